package org.engram.kernels.hopfield;

import dev.ludovic.netlib.blas.BLAS;
import java.util.function.DoubleUnaryOperator;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;

/**
 * Coupling matrices of the unlearning paper, N × N row-major floats. Eq. 2 is printed without i ≠ j, so each maker
 * can keep the diagonal (J_ii = P/N = α for Hebb: a self-coupling the zero-temperature dynamics feels) or zero it
 * (the usual Hopfield convention, and Benedetti et al.'s for classic unlearning).
 *
 * <ul>
 *   <li>Hebb (eq. 2): J = (1/N) Ξᵀ Ξ, one rank-P product through BLAS (sgemm; the entries are integers / N, so
 *       float is exact up to the one division).</li>
 *   <li>Dreamt: any map g applied to the spectrum of J0 = (1/N) Ξᵀ Ξ (diagonal kept, as in A36): with
 *       C = (1/N) Ξ Ξᵀ = U diag(c) Uᵀ (P × P, Hipparchus), g(J0) = (1/N) Ξᵀ U diag(g(c_k)/c_k) Uᵀ Ξ for g(0) = 0.
 *       Eq. 10 repeated n times, J ← J − ε f′² J², is {@link #iterated} (the per-eigenvalue recursion, exact, not
 *       an approximation of it); its limit, eq. 9 / A37, is {@link #closedForm}: J0 (1 + λ² J0)⁻¹, which the
 *       Woodbury identity turns into (1/N) Ξ (1 + λ² C)⁻¹ Ξᵀ. The diagonal, when zeroed, is zeroed after the map
 *       (the map acts on J0 with its diagonal, as A35–A37 do).</li>
 * </ul>
 * Ξ is P × N row-major (row μ = pattern μ), as {@link Patterns} makes it.
 */
public final class Couplings {
    private Couplings() {
    }

    /** The Hebbian couplings J_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ with J_ii = 0 (eq. 2 with i ≠ j), through sgemm. */
    public static float[] hebb(float[] xi, int p, int n) {
        return hebb(xi, p, n, false);
    }

    /** Eq. 2 through sgemm; the diagonal J_ii = P/N kept, or zeroed. */
    public static float[] hebb(float[] xi, int p, int n, boolean keepDiagonal) {
        float[] j = new float[n * n];
        // row-major J (n×n) = Ξᵀ Ξ; in BLAS's column-major view J is its own transpose, so J = Ξᵀ Ξ with Ξ
        // (column-major N × P, leading dimension N) times its transpose
        BLAS.getInstance().sgemm("N", "T", n, n, p, 1f / n, xi, n, xi, n, 0f, j, n);
        if (!keepDiagonal) {
            zeroDiagonal(j, n);
        }
        return j;
    }

    /** The naive triple loop of {@link #hebb}, for the benchmark's baseline. */
    public static float[] hebbNaive(float[] xi, int p, int n) {
        float[] j = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                if (i == k) {
                    continue;
                }
                float s = 0;
                for (int mu = 0; mu < p; mu++) {
                    s += xi[mu * n + i] * xi[mu * n + k];
                }
                j[i * n + k] = s / n;
            }
        }
        return j;
    }

    /** The pattern correlation matrix C_μν = (1/N) Σ_i ξ_i^μ ξ_i^ν (A38), P × P row-major doubles. */
    public static double[] correlation(float[] xi, int p, int n) {
        double[] c = new double[p * p];
        for (int mu = 0; mu < p; mu++) {
            for (int nu = mu; nu < p; nu++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += xi[mu * n + i] * xi[nu * n + i];
                }
                c[mu * p + nu] = s / n;
                c[nu * p + mu] = s / n;
            }
        }
        return c;
    }

    /**
     * g(J0) with J0 = (1/N) Ξᵀ Ξ (diagonal kept) for a map with g(0) = 0, then the diagonal zeroed; see the class
     * comment.
     */
    public static float[] spectral(float[] xi, int p, int n, DoubleUnaryOperator g) {
        return spectral(xi, p, n, g, false);
    }

    /** g(J0) as {@link #spectral(float[], int, int, DoubleUnaryOperator)}, its diagonal kept or zeroed. */
    public static float[] spectral(float[] xi, int p, int n, DoubleUnaryOperator g, boolean keepDiagonal) {
        double[] c = correlation(xi, p, n);
        double[][] rows = new double[p][];
        for (int mu = 0; mu < p; mu++) {
            rows[mu] = java.util.Arrays.copyOfRange(c, mu * p, (mu + 1) * p);
        }
        EigenDecompositionSymmetric eig = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(rows, false));
        double[] ev = eig.getEigenvalues();
        // M = U diag(g(c_k)/c_k) Uᵀ (P × P); a zero eigenvalue of C is one of J0 too and g(0) = 0 drops it
        double[] m = new double[p * p];
        for (int k = 0; k < p; k++) {
            double w = ev[k] > 1e-12 ? g.applyAsDouble(ev[k]) / ev[k] : 0;
            double[] u = eig.getEigenvector(k).toArray();
            for (int a = 0; a < p; a++) {
                for (int b = 0; b < p; b++) {
                    m[a * p + b] += w * u[a] * u[b];
                }
            }
        }
        // J = (1/N) Ξᵀ M Ξ: first Y = M Ξ (P × N), then Ξᵀ Y
        float[] mf = new float[p * p];
        for (int k = 0; k < mf.length; k++) {
            mf[k] = (float) m[k];
        }
        float[] y = new float[p * n];
        BLAS blas = BLAS.getInstance();
        // column-major: Ξ is N × P (ld N), M is P × P; Y (N × P) = Ξ M (M symmetric)
        blas.sgemm("N", "N", n, p, p, 1f, xi, n, mf, p, 0f, y, n);
        float[] j = new float[n * n];
        blas.sgemm("N", "T", n, n, p, 1f / n, y, n, xi, n, 0f, j, n);
        if (!keepDiagonal) {
            zeroDiagonal(j, n);
        }
        return j;
    }

    /** Eq. 10 repeated {@code steps} times on one eigenvalue: x ← x − ε f′² x² (f′² = {@code fprime2}). */
    public static DoubleUnaryOperator iterated(double eps, long steps, double fprime2) {
        return x -> {
            double y = x;
            for (long s = 0; s < steps; s++) {
                y -= eps * fprime2 * y * y;
            }
            return y;
        };
    }

    /** The closed form eq. 9 / A37 on one eigenvalue: x / (1 + λ² x). */
    public static DoubleUnaryOperator closedForm(double lambda2) {
        return x -> x / (1 + lambda2 * x);
    }

    static void zeroDiagonal(float[] j, int n) {
        for (int i = 0; i < n; i++) {
            j[i * n + i] = 0f;
        }
    }
}
