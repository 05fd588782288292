package org.engram.kernels.assoc;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.hipparchus.exception.MathIllegalArgumentException;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.RealMatrix;

/**
 * The tanh network of the associative-networks paper, §5.4 and Appendix A: τ_v dv/dt = ψ(v) =
 * −v + Ξᵀ tanh(Ξ tanh(v)) (eq. 27 with I = b = 0), its Jacobian (eq. 28)
 * −1 + Ξᵀ [1 − diag tanh²(Ξ tanh v)] Ξ [1 − diag tanh²(v)] (eq. 30 with H_h, H_v the Hessians of the log cosh
 * generating functions), and the classification of its fixed points. The Jacobian is −1 plus a product A D_v
 * with A = Ξᵀ D_h Ξ symmetric positive semi-definite and D_v diagonal positive, so its eigenvalues are −1 + μ
 * with μ the (real, ≥ 0) eigenvalues of the symmetric D_v^{1/2} A D_v^{1/2}: a fixed point is hyperbolic when
 * no μ equals 1, stable when every μ < 1, a saddle otherwise. Eigenvalues and solves come from Hipparchus.
 * Ξ is N_h × N_v, row-major; not modified.
 */
public final class TanhNetwork {
    private final double[] xi;
    private final int nh;
    private final int nv;

    public TanhNetwork(double[] xi, int nh, int nv) {
        if (xi.length != nh * nv) {
            throw new IllegalArgumentException("Xi has " + xi.length + " entries for N_h × N_v = " + nh + " × " + nv);
        }
        this.xi = xi;
        this.nh = nh;
        this.nv = nv;
    }

    /** Memories ξ_i^μ ~ N(0, 1/N_h), the random setting of §5.4. */
    public static double[] gaussianMemories(int nh, int nv, SplittableRandom rng) {
        return Memories.gaussians(nh * nv, 1 / Math.sqrt(nh), rng);
    }

    /** tanh of each value, into a new array. */
    private static double[] tanh(double[] x) {
        double[] out = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            out[k] = Math.tanh(x[k]);
        }
        return out;
    }

    /** The hidden field Ξ tanh(v). */
    private double[] hiddenField(double[] v) {
        double[] g = tanh(v);
        double[] h = new double[nh];
        for (int mu = 0; mu < nh; mu++) {
            h[mu] = Memories.dot(xi, mu, g, 0, nv);
        }
        return h;
    }

    /** 1 − tanh²(x) of each x (the slope of tanh), in place; returns the array. */
    private static double[] slopes(double[] x) {
        for (int k = 0; k < x.length; k++) {
            double t = Math.tanh(x[k]);
            x[k] = 1 - t * t;
        }
        return x;
    }

    /** ψ(v) of eq. 27. */
    public double[] psi(double[] v) {
        double[] f = tanh(hiddenField(v));
        double[] out = new double[nv];
        for (int i = 0; i < nv; i++) {
            out[i] = -v[i];
        }
        for (int mu = 0; mu < nh; mu++) {
            for (int i = 0; i < nv; i++) {
                out[i] += xi[mu * nv + i] * f[mu];
            }
        }
        return out;
    }

    /** The Jacobian of eq. 28 at v, N_v × N_v row-major. */
    public double[] jacobian(double[] v) {
        double[] dh = slopes(hiddenField(v));
        double[] dv = slopes(v.clone());
        double[] j = new double[nv * nv];
        for (int i = 0; i < nv; i++) {
            for (int k = 0; k < nv; k++) {
                double s = 0;
                for (int mu = 0; mu < nh; mu++) {
                    s += xi[mu * nv + i] * dh[mu] * xi[mu * nv + k];
                }
                j[i * nv + k] = s * dv[k] - (i == k ? 1 : 0);
            }
        }
        return j;
    }

    /**
     * The eigenvalues μ of the symmetric D_v^{1/2} Ξᵀ D_h Ξ D_v^{1/2} at v, ascending: the Jacobian's eigenvalues
     * are μ − 1. That N_v × N_v matrix has rank ≤ N_h; for N_h &lt; N_v its nonzero eigenvalues are those of the
     * N_h × N_h matrix D_h^{1/2} Ξ D_v Ξᵀ D_h^{1/2}, and the other N_v − N_h are 0 — computed that way (smaller,
     * and no degenerate zero eigenvalues for the eigensolver).
     */
    public double[] mu(double[] v) {
        double[] dh = slopes(hiddenField(v));
        double[] dv = slopes(v.clone());
        double[] out = new double[nv];
        if (nh < nv) {
            double[][] m = new double[nh][nh];
            for (int mu = 0; mu < nh; mu++) {
                for (int nu = mu; nu < nh; nu++) {
                    double s = 0;
                    for (int i = 0; i < nv; i++) {
                        s += xi[mu * nv + i] * dv[i] * xi[nu * nv + i];
                    }
                    m[mu][nu] = s * Math.sqrt(dh[mu] * dh[nu]);
                    m[nu][mu] = m[mu][nu];
                }
            }
            double[] e = symmetricEigenvalues(m);
            System.arraycopy(e, 0, out, nv - nh, nh);
        } else {
            double[][] m = new double[nv][nv];
            for (int i = 0; i < nv; i++) {
                for (int k = i; k < nv; k++) {
                    double s = 0;
                    for (int mu = 0; mu < nh; mu++) {
                        s += xi[mu * nv + i] * dh[mu] * xi[mu * nv + k];
                    }
                    m[i][k] = s * Math.sqrt(dv[i] * dv[k]);
                    m[k][i] = m[i][k];
                }
            }
            out = symmetricEigenvalues(m);
        }
        java.util.Arrays.sort(out);
        return out;
    }

    private static double[] symmetricEigenvalues(double[][] m) {
        double[] e = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(m, false)).getEigenvalues();
        java.util.Arrays.sort(e);
        return e;
    }

    /** The eigenvalues of the N_h × N_h Gram matrix Ξ Ξᵀ, ascending (the nonzero spectrum of Ξᵀ Ξ). */
    public double[] gramEigenvalues() {
        double[][] g = new double[nh][nh];
        for (int mu = 0; mu < nh; mu++) {
            for (int nu = mu; nu < nh; nu++) {
                g[mu][nu] = Memories.dot(xi, mu, xi, nu, nv);
                g[nu][mu] = g[mu][nu];
            }
        }
        return symmetricEigenvalues(g);
    }

    /** A fixed point and what its Jacobian says of it. */
    public record FixedPoint(double[] v, double residual, double[] mu, boolean hyperbolic, boolean stable) {
        /** The distance of the Jacobian's spectrum from the imaginary axis: min |μ − 1|. */
        public double margin() {
            double m = Double.POSITIVE_INFINITY;
            for (double x : mu) {
                m = Math.min(m, Math.abs(x - 1));
            }
            return m;
        }
    }

    /** Classifies v as a fixed point: hyperbolic when min |μ − 1| > {@code tolerance}, stable when every μ < 1. */
    public FixedPoint classify(double[] v, double tolerance) {
        double[] mu = mu(v);
        double margin = Double.POSITIVE_INFINITY;
        for (double x : mu) {
            margin = Math.min(margin, Math.abs(x - 1));
        }
        return new FixedPoint(v.clone(), norm(psi(v)), mu, margin > tolerance, mu[mu.length - 1] < 1 - tolerance);
    }

    /**
     * Newton's method on ψ(v) = 0 from {@code start}: converges to fixed points of every kind, saddles included.
     *
     * @return the fixed point, or null when it did not converge within {@code iterations} to |ψ| ≤ {@code tol}
     */
    public double[] newton(double[] start, int iterations, double tol) {
        double[] v = start.clone();
        for (int it = 0; it < iterations; it++) {
            double[] f = psi(v);
            if (norm(f) <= tol) {
                return v;
            }
            RealMatrix j = new Array2DRowRealMatrix(nv, nv);
            double[] jac = jacobian(v);
            for (int i = 0; i < nv; i++) {
                for (int k = 0; k < nv; k++) {
                    j.setEntry(i, k, jac[i * nv + k]);
                }
            }
            double[] step;
            try {
                step = new LUDecomposition(j).getSolver().solve(new ArrayRealVector(f, false)).toArray();
            } catch (MathIllegalArgumentException e) { // singular Jacobian
                return null;
            }
            for (int i = 0; i < nv; i++) {
                v[i] -= step[i];
                if (!Double.isFinite(v[i]) || Math.abs(v[i]) > 1e6) {
                    return null;
                }
            }
        }
        return norm(psi(v)) <= tol ? v : null;
    }

    /** Euler steps of eq. 27 from {@code start} until |ψ| ≤ tol (a stable fixed point), or null. */
    public double[] relax(double[] start, double dt, int steps, double tol) {
        double[] v = start.clone();
        for (int t = 0; t < steps; t++) {
            double[] f = psi(v);
            if (norm(f) <= tol) {
                return v;
            }
            for (int i = 0; i < nv; i++) {
                v[i] += dt * f[i];
            }
        }
        return null;
    }

    /** The distinct points of {@code points} (closer than {@code distance} counts as the same). */
    public static List<double[]> distinct(List<double[]> points, double distance) {
        List<double[]> out = new ArrayList<>();
        for (double[] p : points) {
            boolean seen = false;
            for (double[] q : out) {
                double d = 0;
                for (int i = 0; i < p.length; i++) {
                    d = Math.max(d, Math.abs(p[i] - q[i]));
                }
                if (d < distance) {
                    seen = true;
                    break;
                }
            }
            if (!seen) {
                out.add(p);
            }
        }
        return out;
    }

    static double norm(double[] x) {
        double s = 0;
        for (double v : x) {
            s = Math.max(s, Math.abs(v));
        }
        return s;
    }
}
