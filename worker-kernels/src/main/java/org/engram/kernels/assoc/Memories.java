package org.engram.kernels.assoc;

import java.util.SplittableRandom;

/**
 * Memory matrices of the softmax-synapse network (associative-networks paper, Appendix B.2): N_h rows of
 * N_v values. Rows are orthogonalised by Gram–Schmidt from Gaussian draws and scaled to norm √N_v (eq. 42),
 * and the observed patterns are those rows plus independent N(0, σ²) noise drawn once (eq. 41).
 * Matrices are row-major {@code double[rows * cols]}.
 */
public final class Memories {
    private Memories() {
    }

    /**
     * N_h orthogonal rows of norm √N_v (modified Gram–Schmidt, re-orthogonalised once for accuracy).
     *
     * @throws IllegalArgumentException unless 1 ≤ N_h ≤ N_v
     */
    public static double[] orthogonal(int nh, int nv, SplittableRandom rng) {
        if (nh < 1 || nv < nh) {
            throw new IllegalArgumentException("need 1 <= N_h <= N_v for orthogonal memories, found N_h = " + nh
                    + ", N_v = " + nv);
        }
        double[] xi = new double[nh * nv];
        for (int mu = 0; mu < nh; mu++) {
            double norm;
            do {
                for (int i = 0; i < nv; i++) {
                    xi[mu * nv + i] = gaussian(rng);
                }
                for (int pass = 0; pass < 2; pass++) {
                    for (int nu = 0; nu < mu; nu++) {
                        double dot = 0;
                        for (int i = 0; i < nv; i++) {
                            dot += xi[mu * nv + i] * xi[nu * nv + i];
                        }
                        for (int i = 0; i < nv; i++) {
                            xi[mu * nv + i] -= dot * xi[nu * nv + i];
                        }
                    }
                }
                norm = Math.sqrt(dot(xi, mu, xi, mu, nv));
            } while (norm < 1e-8);
            for (int i = 0; i < nv; i++) {
                xi[mu * nv + i] /= norm; // unit rows while orthogonalising the next ones
            }
        }
        double scale = Math.sqrt(nv);
        for (int k = 0; k < xi.length; k++) {
            xi[k] *= scale;
        }
        return xi;
    }

    /** ξ' = ξ⁽⁰⁾ + η, η_{μi} ~ N(0, σ²) independent (eq. 41). */
    public static double[] noisy(double[] xi0, double sigma, SplittableRandom rng) {
        double[] out = xi0.clone();
        for (int k = 0; k < out.length; k++) {
            out[k] += sigma * gaussian(rng);
        }
        return out;
    }

    /** Dot product of row {@code r} of {@code a} and row {@code s} of {@code b} (rows of length n). */
    static double dot(double[] a, int r, double[] b, int s, int n) {
        double d = 0;
        for (int i = 0; i < n; i++) {
            d += a[r * n + i] * b[s * n + i];
        }
        return d;
    }

    /** The cosine of row {@code r} of {@code a} and row {@code s} of {@code b} (eq. 36). */
    public static double cosine(double[] a, int r, double[] b, int s, int n) {
        return dot(a, r, b, s, n) / Math.sqrt(dot(a, r, a, r, n) * dot(b, s, b, s, n));
    }

    /** {@code n} independent N(0, sd²) deviates from {@code rng} (random memories, initial states). */
    public static double[] gaussians(int n, double sd, SplittableRandom rng) {
        double[] out = new double[n];
        for (int k = 0; k < n; k++) {
            out[k] = sd * gaussian(rng);
        }
        return out;
    }

    static double gaussian(SplittableRandom rng) {
        // Marsaglia's polar method: exact, and needs only the stream's uniforms
        double u;
        double v;
        double s;
        do {
            u = 2 * rng.nextDouble() - 1;
            v = 2 * rng.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }
}
