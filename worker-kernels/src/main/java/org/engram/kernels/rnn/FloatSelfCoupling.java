package org.engram.kernels.rnn;

/**
 * The straightforward kernel for eq. 3.1: couplings as a row-major float matrix of ±1 entries and a
 * plain matrix–vector loop per sweep, one state at a time. It is the reference the bit-packed
 * {@link SelfCouplingDynamics} is tested against and the baseline its benchmark is measured against.
 * Entries and spins are ±1 so every partial sum is an exact integer in float (n &lt; 2^24).
 */
public final class FloatSelfCoupling {
    private final int n;
    private final float[] j;

    public FloatSelfCoupling(PackedCouplings packed) {
        this.n = packed.n();
        if ((long) n * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("n = " + n + " is too large for a dense float matrix");
        }
        this.j = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < n; c++) {
                j[i * n + c] = c == i ? 0f : packed.sign(i, c);
            }
        }
    }

    public int n() {
        return n;
    }

    /** m_i = Σ_{j≠i} J'_ij s_j. s: not modified; out: modified. */
    public void fields(float[] s, float[] out) {
        for (int i = 0; i < n; i++) {
            float acc = 0f;
            int off = i * n;
            for (int c = 0; c < n; c++) {
                acc += j[off + c] * s[c];
            }
            out[i] = acc;
        }
    }

    /** One synchronous sweep; returns the number of flips. s: modified; scratch: modified. */
    public int sweep(float[] s, double selfCoupling, float[] scratch) {
        fields(s, scratch);
        double c = selfCoupling * Math.sqrt(n);
        int flips = 0;
        for (int i = 0; i < n; i++) {
            float nv = scratch[i] + c * s[i] >= 0 ? 1f : -1f;
            if (nv != s[i]) {
                flips++;
            }
            scratch[i] = nv;
        }
        System.arraycopy(scratch, 0, s, 0, n);
        return flips;
    }
}
