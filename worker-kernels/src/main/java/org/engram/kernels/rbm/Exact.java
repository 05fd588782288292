package org.engram.kernels.rbm;

/**
 * Exact quantities of a small RBM by enumerating all 2^N visible states (N ≤ 24): the partition
 * function, the log-likelihood and its gradient ⟨v hᵀ⟩_data − ⟨v hᵀ⟩_model with h's conditional
 * expectation in both terms (eq. 4). For tests and for checking sampling-based estimators.
 */
public final class Exact {
    private Exact() {
    }

    static void check(Rbm rbm) {
        if (rbm.visible > 24) {
            throw new IllegalArgumentException("exact enumeration needs visible ≤ 24, found " + rbm.visible);
        }
    }

    static float[] state(int code, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (code >>> i) & 1;
        }
        return v;
    }

    /** log Z = log Σ_v e^{−F(v)} (log-sum-exp). */
    public static double logZ(Rbm rbm) {
        check(rbm);
        int states = 1 << rbm.visible;
        double[] neg = new double[states];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < states; c++) {
            neg[c] = -rbm.freeEnergy(state(c, rbm.visible));
            max = Math.max(max, neg[c]);
        }
        double s = 0;
        for (double x : neg) {
            s += Math.exp(x - max);
        }
        return max + Math.log(s);
    }

    /** Mean log-likelihood of the rows of {@code data} (rows × N, 0/1). */
    public static double logLikelihood(Rbm rbm, float[][] data) {
        double lz = logZ(rbm);
        double s = 0;
        for (float[] v : data) {
            s += -rbm.freeEnergy(v) - lz;
        }
        return s / data.length;
    }

    /** The exact gradient of the mean log-likelihood. */
    public static Gradient gradient(Rbm rbm, float[][] data) {
        check(rbm);
        int n = rbm.visible;
        int m = rbm.hidden;
        double[] gw = new double[n * m];
        double[] ga = new double[n];
        double[] gb = new double[m];
        float[] p = new float[m];
        for (float[] v : data) {
            accumulate(rbm, v, 1.0 / data.length, p, gw, ga, gb);
        }
        double lz = logZ(rbm);
        int states = 1 << n;
        for (int c = 0; c < states; c++) {
            float[] v = state(c, n);
            double pv = Math.exp(-rbm.freeEnergy(v) - lz);
            accumulate(rbm, v, -pv, p, gw, ga, gb);
        }
        Gradient g = new Gradient(n, m);
        for (int q = 0; q < gw.length; q++) {
            g.dw[q] = (float) gw[q];
        }
        for (int i = 0; i < n; i++) {
            g.da[i] = (float) ga[i];
        }
        for (int j = 0; j < m; j++) {
            g.db[j] = (float) gb[j];
        }
        return g;
    }

    private static void accumulate(Rbm rbm, float[] v, double weight, float[] p, double[] gw, double[] ga, double[] gb) {
        rbm.hiddenProbabilities(v, p);
        int m = rbm.hidden;
        for (int i = 0; i < rbm.visible; i++) {
            ga[i] += weight * v[i];
            if (v[i] != 0) {
                for (int j = 0; j < m; j++) {
                    gw[i * m + j] += weight * v[i] * p[j];
                }
            }
        }
        for (int j = 0; j < m; j++) {
            gb[j] += weight * p[j];
        }
    }
}
