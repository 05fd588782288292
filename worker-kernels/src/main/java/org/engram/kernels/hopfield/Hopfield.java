package org.engram.kernels.hopfield;

import dev.ludovic.netlib.blas.BLAS;
import java.util.SplittableRandom;

/**
 * A Hopfield network of N ±1 spins with symmetric couplings J (N × N row-major floats) and its dynamics (unlearning
 * paper, Secs. II and IV). A nonzero diagonal is a self-coupling: the field h_i = Σ_j J_ij σ_j includes J_ii σ_i, so
 * a spin flips only against a field from the others larger than J_ii.
 *
 * <p><b>One energy convention everywhere:</b> H = −½ Σ_{i≠j} J_ij σ_i σ_j. The paper prints eqs. 1 and 16 without
 * the ½, but its heat-bath rule p_i = 1/(1 + e^{−2βh_i}) (Sec. IV) is exactly the Gibbs conditional of this H
 * (flipping σ_i changes H by 2σ_i h_i, h_i = Σ_j J_ij σ_j), and integrating the Gaussian hidden units out of its
 * RBM (eq. 15) gives exp(β/(2N) Σ (Σ_i ξ_i^μ σ_i)²) = exp(−βH) with this H. Without the ½ the fitted T_RBM and the
 * AGS line would be off by a factor 2.
 *
 * <p>Local fields are kept incrementally: a flip of σ_i adds 2σ_i J_{·i} to every field (O(N), J symmetric so the
 * row is read); a full recompute ({@link #fields}) happens only when a state is set.
 */
public final class Hopfield {
    /** Update order of zero-temperature dynamics. */
    public enum Order {
        /** A fresh uniform random permutation of the spins every sweep. */
        RANDOM,
        /**
         * Spins in index order, cyclically, starting from a random index (Benedetti et al. 2022): a sweep visits
         * every spin once, and dynamics stop after a sweep without a flip.
         */
        SEQUENTIAL,
        /** All spins at once from the same fields (may end in a 2-cycle, which is reported as not converged). */
        SYNCHRONOUS
    }

    private final int n;
    private final float[] j;
    private final int[] perm;

    /** Wraps J (not copied: {@link Unlearning} modifies it in place). */
    public Hopfield(float[] j, int n) {
        if (j.length != n * n) {
            throw new IllegalArgumentException("J has " + j.length + " entries for N = " + n);
        }
        this.n = n;
        this.j = j;
        this.perm = new int[n];
    }

    public int n() {
        return n;
    }

    /** The couplings (live: changes are seen by the dynamics). */
    public float[] couplings() {
        return j;
    }

    /** h = J σ, into {@code h}, through BLAS (sgemv). */
    public void fields(float[] s, double[] h) {
        float[] f = new float[n];
        BLAS.getInstance().sgemv("N", n, n, 1f, j, n, s, 1, 0f, f, 1);
        for (int i = 0; i < n; i++) {
            h[i] = f[i];
        }
    }

    /** Flips σ_i and updates every field in O(N). */
    public void flip(float[] s, double[] h, int i) {
        float twice = -2f * s[i];
        s[i] = -s[i];
        int o = i * n;
        for (int k = 0; k < n; k++) {
            h[k] += twice * j[o + k];
        }
    }

    /** H = −½ σᵀ J σ. */
    public double energy(float[] s) {
        double[] h = new double[n];
        fields(s, h);
        double e = 0;
        for (int i = 0; i < n; i++) {
            e += s[i] * h[i];
        }
        return -0.5 * e;
    }

    /**
     * Zero-temperature dynamics from σ (changed in place) until no spin is unstable (σ_i h_i ≥ 0 for every i; a
     * zero field does not flip) or {@code maxSweeps} sweeps. {@code h} must hold J σ on entry and holds it on
     * exit. Returns the sweeps taken, or −1 when the limit was reached (or a synchronous 2-cycle found).
     */
    public int relax(float[] s, double[] h, Order order, int maxSweeps, SplittableRandom rng) {
        if (order == Order.SYNCHRONOUS) {
            return relaxSynchronous(s, h, maxSweeps);
        }
        for (int sweep = 1; sweep <= maxSweeps; sweep++) {
            boolean flipped = false;
            if (order == Order.RANDOM) {
                shuffle(rng);
                for (int k = 0; k < n; k++) {
                    int i = perm[k];
                    if (s[i] * h[i] < 0) {
                        flip(s, h, i);
                        flipped = true;
                    }
                }
            } else {
                int start = rng.nextInt(n);
                for (int k = 0; k < n; k++) {
                    int i = start + k < n ? start + k : start + k - n;
                    if (s[i] * h[i] < 0) {
                        flip(s, h, i);
                        flipped = true;
                    }
                }
            }
            if (!flipped) {
                return sweep;
            }
        }
        return -1;
    }

    private int relaxSynchronous(float[] s, double[] h, int maxSweeps) {
        float[] previous = null;
        for (int sweep = 1; sweep <= maxSweeps; sweep++) {
            float[] next = new float[n];
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                next[i] = h[i] > 0 ? 1f : h[i] < 0 ? -1f : s[i];
                changed |= next[i] != s[i];
            }
            if (!changed) {
                return sweep;
            }
            if (previous != null && java.util.Arrays.equals(previous, next)) {
                return -1; // a 2-cycle
            }
            previous = s.clone();
            System.arraycopy(next, 0, s, 0, n);
            fields(s, h);
        }
        return -1;
    }

    /**
     * Retrieval (Sec. II): start from pattern μ with round(fraction·N) bits flipped, run zero-temperature dynamics
     * to a fixed point (or {@code maxSweeps}), return the final overlap with ξ^μ.
     */
    public double retrieve(float[] xi, int mu, double fraction, Order order, int maxSweeps, SplittableRandom rng) {
        float[] s = Patterns.corrupted(xi, mu, n, fraction, rng);
        double[] h = new double[n];
        fields(s, h);
        relax(s, h, order, maxSweeps, rng);
        return Patterns.overlap(s, xi, mu, n);
    }

    /**
     * One sweep of the persistent ("active") discrete dynamics of eq. 14 at inverse temperature β (β = ∞ for
     * T = 0), spins in a fresh random order. Spin i with passive probabilities p = 1/(1 + e^{−2βh_i}) (of +1) and
     * q = 1 − p flips with its passive probability (q if σ_i = +1, p if −1) plus γ = a·min(p, q) when its last
     * update flipped it and minus γ when it did not (columns 2–3 and 1–4 of eq. 14): flips follow flips, stays
     * follow stays. a = 0 is exactly the heat-bath chain (the same code and draws, γ = 0), whose stationary law
     * is exp(−βH)/Z. {@code lastFlipped} carries the one step of memory and is updated.
     * Returns the number of flips.
     */
    public int persistentSweep(float[] s, double[] h, boolean[] lastFlipped, double beta, double a,
                               SplittableRandom rng) {
        shuffle(rng);
        int flips = 0;
        for (int k = 0; k < n; k++) {
            int i = perm[k];
            double p = plus(beta, h[i]);
            double q = 1 - p;
            double gamma = a * Math.min(p, q);
            double base = s[i] > 0 ? q : p;
            double pFlip = lastFlipped[i] ? base + gamma : base - gamma;
            boolean f = rng.nextDouble() < pFlip;
            if (f) {
                flip(s, h, i);
                flips++;
            }
            lastFlipped[i] = f;
        }
        return flips;
    }

    /** P(σ_i = +1 | h) = 1/(1 + e^{−2βh}); at β = ∞ the sign of h (½ at h = 0). */
    static double plus(double beta, double h) {
        if (Double.isInfinite(beta)) {
            return h > 0 ? 1 : h < 0 ? 0 : 0.5;
        }
        return 1 / (1 + Math.exp(-2 * beta * h));
    }

    /**
     * Stabilities Δ_i^μ = ξ_i^μ h_i^μ / ‖J_i‖ with h^μ = J ξ^μ and ‖J_i‖ the Euclidean norm of row i (the
     * unlearning literature's measure: pattern bit i is stable when Δ > 0). P × N row-major, through sgemm.
     */
    public double[] stabilities(float[] xi, int p) {
        float[] hf = new float[p * n];
        // column-major: Ξ is N × P; H (N × P) = J Ξ (J symmetric)
        BLAS.getInstance().sgemm("N", "N", n, p, n, 1f, j, n, xi, n, 0f, hf, n);
        double[] norm = new double[n];
        for (int i = 0; i < n; i++) {
            double ss = 0;
            for (int k = 0; k < n; k++) {
                double v = j[i * n + k];
                ss += v * v;
            }
            norm[i] = Math.sqrt(ss);
        }
        double[] d = new double[p * n];
        for (int mu = 0; mu < p; mu++) {
            for (int i = 0; i < n; i++) {
                d[mu * n + i] = xi[mu * n + i] * hf[mu * n + i] / norm[i];
            }
        }
        return d;
    }

    private void shuffle(SplittableRandom rng) {
        Patterns.permutation(perm, rng);
    }
}
