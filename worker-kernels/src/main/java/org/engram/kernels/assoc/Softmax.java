package org.engram.kernels.assoc;

/** The softmax of eq. 13, max-subtracted so that large β S cannot overflow. */
final class Softmax {
    private Softmax() {
    }

    /**
     * Replaces the scores {@code s} (β S, say) by softmax(s) and returns log Σ exp(s).
     *
     * @param s scores, modified: on return, probabilities summing to 1
     */
    static double inPlace(double[] s) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : s) {
            max = Math.max(max, x);
        }
        double z = 0;
        for (int k = 0; k < s.length; k++) {
            s[k] = Math.exp(s[k] - max);
            z += s[k];
        }
        for (int k = 0; k < s.length; k++) {
            s[k] /= z;
        }
        return max + Math.log(z);
    }
}
