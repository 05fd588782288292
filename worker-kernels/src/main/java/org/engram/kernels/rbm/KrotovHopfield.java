package org.engram.kernels.rbm;

import dev.ludovic.netlib.blas.BLAS;
import java.util.SplittableRandom;

/**
 * The Krotov–Hopfield step of the KH-RBM paper (eqs. 5–8), as the authors' code applies it
 * (REFERENCE-NOTES): for each sample the receiving units compete on their currents I; the winner
 * gets g = +1 and the unit ranked ℓ + 1 gets g = −Δ (anti-Hebbian), all others 0; then
 * ds_{μν} = Σ_b g R² x_b − (Σ_b g I) W_{μν} (eq. 7, Oja-like), normalised by ONE global max |ds|
 * (floored at 1e-50), and W += ε ds/max — the largest element of ΔW is exactly ε.
 *
 * <ul>
 *   <li>{@link Direction#BOTTOM_UP}: x = v, I = Wᵀv; the hidden units compete.</li>
 *   <li>{@link Direction#TOP_DOWN}: x = h ~ p(h | v) with the current W and b, I = W h; the visible
 *       units compete.</li>
 * </ul>
 * ε follows ε0 (1 − epoch/S)^{3/2} with 0-based epoch ({@link #epsilon}).
 */
public final class KrotovHopfield {
    /** Which layer receives the competition. NONE is the plain RBM. */
    public enum Direction { NONE, TOP_DOWN, BOTTOM_UP }

    /**
     * @param direction which units compete
     * @param ell       the anti-Hebbian unit is the one ranked ℓ + 1 (ℓ ≥ 1)
     * @param delta     Δ, the anti-Hebbian strength
     * @param radius    R, the sphere radius the weights are driven to
     */
    public record Settings(Direction direction, int ell, double delta, double radius) {
        public Settings {
            if (ell < 1) {
                throw new IllegalArgumentException("ell must be at least 1, found " + ell);
            }
            if (!(delta >= 0) || !(radius > 0)) {
                throw new IllegalArgumentException("delta must be ≥ 0 and radius > 0, found " + delta + ", " + radius);
            }
        }
    }

    private final int visible;
    private final int hidden;
    private final int batch;
    private final float[] x;
    private final float[] current;
    private final float[] g;
    private final float[] ds;
    private final float[] s;
    private final ContrastiveDivergence conditionals;
    private final BLAS blas = BLAS.getInstance();

    public KrotovHopfield(int visible, int hidden, int batch) {
        this.visible = visible;
        this.hidden = hidden;
        this.batch = batch;
        int width = Math.max(visible, hidden);
        this.x = new float[batch * width];
        this.current = new float[batch * width];
        this.g = new float[batch * width];
        this.ds = new float[visible * hidden];
        this.s = new float[width];
        this.conditionals = new ContrastiveDivergence(visible, hidden, batch);
    }

    /** ε = ε0 (1 − epoch/S)^{3/2}, zero from epoch S on. */
    public static double epsilon(double eps0, int epoch, int schedule) {
        double f = 1.0 - epoch / (double) schedule;
        return f <= 0 ? 0 : eps0 * Math.pow(f, 1.5);
    }

    /**
     * g for one sample: +1 on the unit with the largest current, −Δ on the unit ranked ℓ + 1
     * (ties broken by the lower index). current, out: length units at offset off; out: modified.
     */
    static void competition(float[] current, int off, int units, int ell, float delta, float[] out) {
        int[] top = new int[ell + 1];
        java.util.Arrays.fill(top, -1);
        for (int u = 0; u < units; u++) {
            float c = current[off + u];
            int pos = ell + 1;
            while (pos > 0 && (top[pos - 1] < 0 || current[off + top[pos - 1]] < c)) {
                pos--;
            }
            if (pos <= ell) {
                System.arraycopy(top, pos, top, pos + 1, ell - pos);
                top[pos] = u;
            }
        }
        java.util.Arrays.fill(out, off, off + units, 0f);
        if (top[0] >= 0) {
            out[off + top[0]] = 1f;
        }
        if (units > ell && top[ell] >= 0) {
            out[off + top[ell]] = -delta;
        }
    }

    /** Applies one KH step to rbm.w for the batch v (rows × N). rbm: modified. */
    public void apply(Rbm rbm, float[] v, int rows, Settings k, double eps, SplittableRandom rng) {
        if (k.direction() == Direction.NONE || eps == 0) {
            return;
        }
        float r2 = (float) (k.radius() * k.radius());
        boolean topDown = k.direction() == Direction.TOP_DOWN;
        int out = topDown ? visible : hidden;  // competing units
        if (topDown) {
            conditionals.hidden(rbm, v, rows, x);
            ContrastiveDivergence.sample(x, rows * hidden, x, rng);
            blas.sgemm("T", "N", visible, rows, hidden, 1f, rbm.w, hidden, x, hidden, 0f, current, visible);
        } else {
            System.arraycopy(v, 0, x, 0, rows * visible);
            blas.sgemm("N", "N", hidden, rows, visible, 1f, rbm.w, hidden, x, visible, 0f, current, hidden);
        }
        java.util.Arrays.fill(s, 0, out, 0f);
        for (int r = 0; r < rows; r++) {
            competition(current, r * out, out, k.ell(), (float) k.delta(), g);
            for (int u = 0; u < out; u++) {
                s[u] += g[r * out + u] * current[r * out + u];
            }
        }
        // ds (N × M, row-major): Hebbian R² Σ_b g ⊗ x, oriented as W
        if (topDown) {
            // ds_{μν} = R² Σ_b g_{bμ} h_{bν}
            blas.sgemm("N", "T", hidden, visible, rows, r2, x, hidden, g, visible, 0f, ds, hidden);
        } else {
            // ds_{μν} = R² Σ_b v_{bμ} g_{bν}
            blas.sgemm("N", "T", hidden, visible, rows, r2, g, hidden, x, visible, 0f, ds, hidden);
        }
        float max = 0f;
        for (int i = 0; i < visible; i++) {
            for (int j = 0; j < hidden; j++) {
                int q = i * hidden + j;
                float sub = topDown ? s[i] : s[j];
                ds[q] -= sub * rbm.w[q];
                max = Math.max(max, Math.abs(ds[q]));
            }
        }
        float scale = (float) (eps / Math.max((double) max, 1e-50));
        for (int q = 0; q < ds.length; q++) {
            rbm.w[q] += scale * ds[q];
        }
    }
}
