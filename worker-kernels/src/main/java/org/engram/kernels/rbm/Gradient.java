package org.engram.kernels.rbm;

/**
 * A log-likelihood gradient (or an estimate of it) in the parameter space of an {@link Rbm}:
 * dW (N × M row-major), da, db — the direction of ascent, ⟨·⟩_data − ⟨·⟩_model (eq. 4).
 */
public final class Gradient {
    public final float[] dw;
    public final float[] da;
    public final float[] db;

    public Gradient(int visible, int hidden) {
        dw = new float[visible * hidden];
        da = new float[visible];
        db = new float[hidden];
    }

    /** As one vector (dW, da, db). */
    public double[] flatten() {
        return concat(dw, da, db);
    }

    /** The arrays one after another, widened to double. */
    static double[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        double[] out = new double[n];
        int q = 0;
        for (float[] p : parts) {
            for (float x : p) {
                out[q++] = x;
            }
        }
        return out;
    }

    /** θ += rate · gradient. rbm: modified. */
    public void applyTo(Rbm rbm, float rate) {
        for (int q = 0; q < dw.length; q++) {
            rbm.w[q] += rate * dw[q];
        }
        for (int i = 0; i < da.length; i++) {
            rbm.a[i] += rate * da[i];
        }
        for (int j = 0; j < db.length; j++) {
            rbm.b[j] += rate * db[j];
        }
    }
}
