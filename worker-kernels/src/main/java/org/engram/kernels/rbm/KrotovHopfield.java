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
    private final float[] ds;
    private final float[] gram;
    private final float[] s;
    private final int[] winners;
    private final int[] seconds;
    private final int[] slot;
    private final float[] vCols;
    private final int[] involvedRows;
    private final int[] top;
    private final int[] contribStart;
    private final int[] contribFill;
    private final int[] contribOff;
    private final float[] contribCoef;
    private final BLAS blas = BLAS.getInstance();

    public KrotovHopfield(int visible, int hidden, int batch) {
        this.visible = visible;
        this.hidden = hidden;
        this.batch = batch;
        int width = Math.max(visible, hidden);
        this.x = new float[batch * width];
        this.current = new float[batch * width];
        this.ds = new float[visible * hidden];
        this.gram = new float[batch * batch];
        this.s = new float[width];
        this.winners = new int[batch];
        this.seconds = new int[batch];
        this.slot = new int[width];
        this.vCols = new float[batch * visible];
        java.util.Arrays.fill(slot, -1);
        this.involvedRows = new int[width];
        this.top = new int[Math.max(visible, hidden) + 1]; // ranks keeps at most units + 1 entries
        this.contribStart = new int[width + 1];
        this.contribFill = new int[width];
        this.contribOff = new int[2 * batch];
        this.contribCoef = new float[2 * batch];
    }

    /** ε = ε0 (1 − epoch/S)^{3/2}, zero from epoch S on. */
    public static double epsilon(double eps0, int epoch, int khWindow) {
        double f = 1.0 - epoch / (double) khWindow;
        return f <= 0 ? 0 : eps0 * Math.pow(f, 1.5);
    }

    /**
     * The indices of the ℓ + 1 largest currents, largest first (ties: lower index first), into
     * top[0..min(ℓ, units)]; −1 where there are fewer units. top: modified.
     */
    static void ranks(float[] current, int off, int units, int ell, int[] top) {
        if (ell == 1 && Fused.top2(current, off, units, top)) {
            return;
        }
        if (ell == 1) {
            int first = -1;
            int second = -1;
            float f = Float.NEGATIVE_INFINITY;
            float sv = Float.NEGATIVE_INFINITY;
            for (int u = 0; u < units; u++) {
                float c = current[off + u];
                if (first < 0 || c > f) {
                    second = first;
                    sv = f;
                    first = u;
                    f = c;
                } else if (second < 0 || c > sv) {
                    second = u;
                    sv = c;
                }
            }
            top[0] = first;
            top[1] = second;
            return;
        }
        int kept = Math.min(ell, units); // ranks beyond the last unit stay −1 (callers check units > ℓ)
        java.util.Arrays.fill(top, 0, kept + 1, -1);
        for (int u = 0; u < units; u++) {
            float c = current[off + u];
            int pos = kept + 1;
            while (pos > 0 && (top[pos - 1] < 0 || current[off + top[pos - 1]] < c)) {
                pos--;
            }
            if (pos <= kept) {
                System.arraycopy(top, pos, top, pos + 1, kept - pos);
                top[pos] = u;
            }
        }
    }

    /** Applies one KH step to rbm.w for the batch v (rows × N). rbm: modified. */
    public void apply(Rbm rbm, float[] v, int rows, Settings k, double eps, SplittableRandom rng) {
        apply(rbm, v, rows, k, eps, rng, null);
    }

    /**
     * As {@link #apply(Rbm, float[], int, Settings, double, SplittableRandom)}; when {@code hiddenPre}
     * is given it receives v·W for the updated W (rows × M, no bias) — the hidden pre-activation the
     * following CD step needs, obtained from the step's own product plus the few rows (top-down) or
     * columns (bottom-up, when M > B) KH changed instead of a second full product. Returns whether it
     * was filled.
     */
    public boolean apply(Rbm rbm, float[] v, int rows, Settings k, double eps, SplittableRandom rng, float[] hiddenPre) {
        if (k.direction() == Direction.NONE || eps == 0) {
            return false;
        }
        if (k.direction() == Direction.TOP_DOWN) {
            topDown(rbm, v, rows, k, eps, rng, hiddenPre);
            return hiddenPre != null;
        }
        // the Gram correction costs B·B·N against a product's B·M·N: worth it only when M > B
        float[] pre = hiddenPre != null && hidden > rows ? hiddenPre : null;
        bottomUp(rbm, v, rows, k, eps, pre);
        return pre != null;
    }

    /**
     * The competition of every sample (row of {@code current}, {@code units} wide): the winner and the
     * unit ranked ℓ + 1 are entered as involved units (involvedRows, in order of first involvement;
     * slot maps a unit to its place), winners/seconds get each sample's two places (−1: none), and
     * s[place] = Σ_b g I. With Δ = 0 the unit ranked ℓ + 1 gets g = 0: it changes nothing and is not
     * involved. Returns the number of involved units; the caller resets their slots.
     */
    private int compete(float[] current, int rows, int units, Settings k) {
        float delta = (float) k.delta();
        int involvedCount = 0;
        for (int r = 0; r < rows; r++) {
            int off = r * units;
            ranks(current, off, units, k.ell(), top);
            int win = top[0];
            int second = units > k.ell() && delta != 0f ? top[k.ell()] : -1;
            if (win >= 0 && slot[win] < 0) {
                slot[win] = involvedCount;
                s[involvedCount] = 0f;
                involvedRows[involvedCount++] = win;
            }
            if (second >= 0 && slot[second] < 0) {
                slot[second] = involvedCount;
                s[involvedCount] = 0f;
                involvedRows[involvedCount++] = second;
            }
            winners[r] = win < 0 ? -1 : slot[win];
            seconds[r] = second < 0 ? -1 : slot[second];
            if (win >= 0) {
                s[winners[r]] += current[off + win];
            }
            if (second >= 0) {
                s[seconds[r]] -= delta * current[off + second];
            }
        }
        return involvedCount;
    }

    /**
     * Top-down: each sample's g has two non-zeros (winner, rank ℓ + 1), so ds has non-zero rows only
     * for the ≤ 2B visible units that won or came ℓ + 1-th somewhere; only those rows are built (in a
     * compact block, one row per involved unit in order of first involvement), normalised and updated —
     * the result is the same as the dense formula.
     */
    private void topDown(Rbm rbm, float[] v, int rows, Settings k, double eps, SplittableRandom rng, float[] pre) {
        float r2 = (float) (k.radius() * k.radius());
        float delta = (float) k.delta();
        float[] p = pre != null ? pre : x;
        blas.sgemm("N", "N", hidden, rows, visible, 1f, rbm.w, hidden, v, visible, 0f, p, hidden);
        Fused.sigmoidRows(p, x, rows, hidden, rbm.b);
        ContrastiveDivergence.sample(x, rows * hidden, x, rng);
        blas.sgemm("T", "N", visible, rows, hidden, 1f, rbm.w, hidden, x, hidden, 0f, current, visible);
        int involvedCount = compete(current, rows, visible, k);
        // each involved row's contributions (sample, coefficient) in sample order: a counting sort of the
        // ≤ 2B (row, sample) pairs, so that each ds row is built in one pass and its max taken on the way
        java.util.Arrays.fill(contribStart, 0, involvedCount + 1, 0);
        for (int r = 0; r < rows; r++) {
            if (winners[r] >= 0) {
                contribStart[winners[r] + 1]++;
            }
            if (seconds[r] >= 0) {
                contribStart[seconds[r] + 1]++;
            }
        }
        for (int c = 0; c < involvedCount; c++) {
            contribStart[c + 1] += contribStart[c];
            contribFill[c] = contribStart[c];
        }
        float secondCoef = -delta * r2;
        for (int r = 0; r < rows; r++) {
            if (winners[r] >= 0) {
                int e = contribFill[winners[r]]++;
                contribOff[e] = r * hidden;
                contribCoef[e] = r2;
            }
            if (seconds[r] >= 0) {
                int e = contribFill[seconds[r]]++;
                contribOff[e] = r * hidden;
                contribCoef[e] = secondCoef;
            }
        }
        // ds rows, compact: row c is visible unit involvedRows[c]; ds_c = −s_c W_c + Σ_b g_bc R² h_b
        float max = 0f;
        for (int c = 0; c < involvedCount; c++) {
            max = Math.max(max, Fused.combineRow(-s[c], rbm.w, involvedRows[c] * hidden, x, contribOff, contribCoef,
                    contribStart[c], contribStart[c + 1], ds, c * hidden, hidden));
        }
        float scale = (float) (eps / Math.max((double) max, 1e-50));
        for (int c = 0; c < involvedCount; c++) {
            Fused.axpy(scale, ds, c * hidden, rbm.w, involvedRows[c] * hidden, hidden);
        }
        if (pre != null && involvedCount > 0) {
            // v·W' = v·W + v[:, involved]·ΔW[involved, :] — one small product (inner dimension: involved rows)
            for (int r = 0; r < rows; r++) {
                int vOff = r * visible;
                int o = r * involvedCount;
                for (int c = 0; c < involvedCount; c++) {
                    vCols[o + c] = v[vOff + involvedRows[c]];
                }
            }
            blas.sgemm("N", "N", hidden, rows, involvedCount, scale, ds, hidden, vCols, involvedCount, 1f, pre, hidden);
        }
        for (int c = 0; c < involvedCount; c++) {
            slot[involvedRows[c]] = -1;
        }
    }

    /**
     * Bottom-up: the hidden units compete on I = v·W; as top-down, each sample's g has two non-zeros,
     * so ds has non-zero columns only for the ≤ 2B hidden units that won or came ℓ + 1-th somewhere.
     * Those columns are built in a compact visible × K block, ds[:, c] = R² Σ_b g_bc v_b − s_c W[:, c],
     * normalised by their max |ds| and added back — the same result as the dense formula, without the
     * dense N × M product. With {@code pre}: v·W' = v·W + scale (R² (v vᵀ) G − (v·W) diag(s)) on the
     * involved columns, from the B × B Gram matrix of the batch instead of a full product (used when
     * M > B; measured at M = 500, B = 100, one BLAS thread: KH-BU-CD-1 0.73× the time of the dense step
     * followed by a CD step that recomputes v·W').
     */
    private void bottomUp(Rbm rbm, float[] v, int rows, Settings k, double eps, float[] pre) {
        float r2 = (float) (k.radius() * k.radius());
        float delta = (float) k.delta();
        float[] c = pre != null ? pre : current;
        blas.sgemm("N", "N", hidden, rows, visible, 1f, rbm.w, hidden, v, visible, 0f, c, hidden);
        int kk = compete(c, rows, hidden, k); // involved hidden units
        // ds, compact and row-major: ds[i·K + q] is visible unit i, hidden unit involvedRows[q]
        for (int i = 0; i < visible; i++) {
            int wOff = i * hidden;
            int dOff = i * kk;
            for (int q = 0; q < kk; q++) {
                ds[dOff + q] = -s[q] * rbm.w[wOff + involvedRows[q]];
            }
        }
        for (int r = 0; r < rows; r++) {
            int vOff = r * visible;
            int wq = winners[r];
            int sq = seconds[r];
            for (int i = 0; i < visible; i++) {
                float xv = v[vOff + i];
                if (xv != 0f) {
                    if (wq >= 0) {
                        ds[i * kk + wq] += r2 * xv;
                    }
                    if (sq >= 0) {
                        ds[i * kk + sq] -= delta * r2 * xv;
                    }
                }
            }
        }
        float max = Fused.maxAbs(ds, 0, visible * kk);
        float scale = (float) (eps / Math.max((double) max, 1e-50));
        if (pre != null && kk > 0) {
            // with the old W still in place: pre[r, unit_q] = (v_r·W[:, unit_q]) (1 − scale s_q) + scale R² Σ_b gram_rb g_bq
            blas.sgemm("T", "N", rows, rows, visible, 1f, v, visible, v, visible, 0f, gram, rows);
            for (int r = 0; r < rows; r++) {
                int off = r * hidden;
                for (int q = 0; q < kk; q++) {
                    pre[off + involvedRows[q]] *= 1f - scale * s[q];
                }
            }
            for (int b = 0; b < rows; b++) {
                int wu = winners[b] < 0 ? -1 : involvedRows[winners[b]];
                int su = seconds[b] < 0 ? -1 : involvedRows[seconds[b]];
                for (int r = 0; r < rows; r++) {
                    float gr = scale * r2 * gram[b * rows + r];
                    if (wu >= 0) {
                        pre[r * hidden + wu] += gr;
                    }
                    if (su >= 0) {
                        pre[r * hidden + su] -= delta * gr;
                    }
                }
            }
        }
        for (int i = 0; i < visible; i++) {
            int wOff = i * hidden;
            int dOff = i * kk;
            for (int q = 0; q < kk; q++) {
                rbm.w[wOff + involvedRows[q]] += scale * ds[dOff + q];
            }
        }
        for (int q = 0; q < kk; q++) {
            slot[involvedRows[q]] = -1;
        }
    }
}
