package org.engram.kernels.assoc;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The synaptic dynamics of the softmax-synapse network (associative-networks paper, eqs. 12–14 with Λ = 0):
 * with the visible state clamped to an observed pattern v = ξ'_ν, τ_Ξ dΞ/dt = w ⊙ (−Ξ + vᵀ), w =
 * softmax(β Ξ v) (max-subtracted), integrated by Euler steps of size dt. Which pattern is shown at each step
 * is drawn with probabilities p_μ (the paper) or taken in turn (the authors' script). After every step the
 * cosine of each memory row with its target is recorded (eq. 36), beside eq. 40's prediction with
 * τ_μ = τ_Ξ / p_μ (eq. 35) and the measured initial cosines α_μ (eq. 37).
 */
public final class MemoryEvolution {
    private MemoryEvolution() {
    }

    /** How the clamped pattern is chosen at each step. */
    public enum Clamping {
        /** Pattern μ with probability p_μ, independently at every step (the paper, §4). */
        RANDOM,
        /** Patterns in turn, ν = t mod N_h (the authors' script; every p_μ = 1/N_h). */
        CYCLIC
    }

    /**
     * One simulation.
     *
     * @param nv       visible units N_v
     * @param nh       memories N_h
     * @param steps    Euler steps T
     * @param dt       step size
     * @param tau      τ_Ξ
     * @param beta     softmax inverse temperature β
     * @param sigma    noise of the targets
     * @param p        clamping probabilities (length N_h, summing to 1; CYCLIC requires them uniform)
     * @param clamping how the clamped pattern is chosen
     */
    public record Spec(int nv, int nh, int steps, double dt, double tau, double beta, double sigma, double[] p,
                       Clamping clamping) {
        public Spec {
            if (nv < 1 || nh < 1 || nh > nv) {
                throw new IllegalArgumentException("need 1 <= N_h <= N_v, found N_h = " + nh + ", N_v = " + nv);
            }
            if (steps < 1 || !(dt > 0) || !(tau > 0) || !(beta >= 0) || !(sigma >= 0)) {
                throw new IllegalArgumentException("steps, dt and tau must be positive and beta, sigma >= 0, found "
                        + steps + ", " + dt + ", " + tau + ", " + beta + ", " + sigma);
            }
            if (p.length != nh) {
                throw new IllegalArgumentException("p has " + p.length + " entries for N_h = " + nh);
            }
            double sum = 0;
            for (double x : p) {
                if (!(x > 0)) {
                    throw new IllegalArgumentException("every p_mu must be positive, found " + Arrays.toString(p));
                }
                sum += x;
            }
            if (Math.abs(sum - 1) > 1e-9) {
                throw new IllegalArgumentException("p must sum to 1, sums to " + sum);
            }
            p = p.clone();
        }
    }

    /**
     * What a simulation gives.
     *
     * @param alpha      measured initial cosines α_μ (eq. 37)
     * @param simulated  cosines after each step, {@code [step * nh + mu]} (step 0 = after the first update)
     * @param theory     eq. 40 at the same times t = (step + 1) dt
     * @param maxError   max over steps and memories of |simulated − theory|
     * @param timeTo099  the first time (steps × dt) at which every memory's cosine is ≥ 0.99, or NaN
     * @param maxErrorMeanField max over steps and memories of |simulated − the exact cosine of eq. 34's solution|
     *                   (the same mean-field dynamics as eq. 40, with the measured norms |Ξ⁽⁰⁾_μ|², |ξ'_μ|² and
     *                   Ξ⁽⁰⁾_μ·ξ'_μ instead of eq. 38–39's |ξ'_μ|² ≈ N_v): a control that separates the dynamics from
     *                   eq. 40's approximation of the norms, which is off by the factor 1 + σ²
     */
    public record Result(double[] alpha, double[] simulated, double[] theory, double maxError, double timeTo099,
                         double maxErrorMeanField) {
    }

    /** The cosine of e Ξ⁽⁰⁾ + (1 − e) ξ' with ξ' given |Ξ⁽⁰⁾|² = n0, |ξ'|² = n1 and Ξ⁽⁰⁾·ξ' = a (eq. 34, exactly). */
    public static double meanField(double t, double tauMu, double n0, double n1, double a) {
        double e = Math.exp(-t / tauMu);
        double num = e * a + (1 - e) * n1;
        double norm2 = e * e * n0 + (1 - e) * (1 - e) * n1 + 2 * e * (1 - e) * a;
        return num / Math.sqrt(norm2 * n1);
    }

    /** Eq. 40: sim_μ(t) for initial cosine α and time scale τ_μ. */
    public static double theory(double t, double alpha, double tauMu) {
        double e = Math.exp(-t / tauMu);
        double num = e * alpha + (1 - e);
        double den = Math.sqrt(e * e + (1 - e) * (1 - e) + 2 * e * (1 - e) * alpha);
        return num / den;
    }

    /** Uniform probabilities 1/N_h. */
    public static double[] uniform(int nh) {
        double[] p = new double[nh];
        Arrays.fill(p, 1.0 / nh);
        return p;
    }

    /** Skewed probabilities p_μ ∝ μ + 1 (μ = 0 … N_h − 1): for N_h = 4, 0.1, 0.2, 0.3, 0.4. */
    public static double[] skewed(int nh) {
        double[] p = new double[nh];
        double sum = nh * (nh + 1) / 2.0;
        for (int mu = 0; mu < nh; mu++) {
            p[mu] = (mu + 1) / sum;
        }
        return p;
    }

    /**
     * Runs the dynamics from {@code xi0} towards {@code targets} (both N_h × N_v, row-major; not modified).
     *
     * @param rng draws the clamped pattern of each step (RANDOM only)
     */
    public static Result run(Spec s, double[] xi0, double[] targets, SplittableRandom rng) {
        int nv = s.nv();
        int nh = s.nh();
        double[] xi = xi0.clone();
        double[] alpha = new double[nh];
        double[] tauMu = new double[nh];
        double[] n0 = new double[nh];
        double[] n1 = new double[nh];
        double[] a0 = new double[nh];
        for (int mu = 0; mu < nh; mu++) {
            alpha[mu] = Memories.cosine(xi0, mu, targets, mu, nv);
            n0[mu] = Memories.dot(xi0, mu, xi0, mu, nv);
            n1[mu] = Memories.dot(targets, mu, targets, mu, nv);
            a0[mu] = Memories.dot(xi0, mu, targets, mu, nv);
            tauMu[mu] = s.tau() / (s.clamping() == Clamping.CYCLIC ? 1.0 / nh : s.p()[mu]);
        }
        double[] cumulative = new double[nh];
        double c = 0;
        for (int mu = 0; mu < nh; mu++) {
            c += s.p()[mu];
            cumulative[mu] = c;
        }
        double[] sim = new double[s.steps() * nh];
        double[] th = new double[s.steps() * nh];
        double[] score = new double[nh];
        double rate = s.dt() / s.tau();
        double maxError = 0;
        double maxErrorMeanField = 0;
        double timeTo = Double.NaN;
        for (int t = 0; t < s.steps(); t++) {
            int nu = s.clamping() == Clamping.CYCLIC ? t % nh : pick(cumulative, rng.nextDouble());
            // S = Ξ v with v = ξ'_ν, then w = softmax(β S)
            for (int mu = 0; mu < nh; mu++) {
                score[mu] = s.beta() * Memories.dot(xi, mu, targets, nu, nv);
            }
            Softmax.inPlace(score);
            for (int mu = 0; mu < nh; mu++) {
                double g = rate * score[mu];
                for (int i = 0; i < nv; i++) {
                    xi[mu * nv + i] += g * (targets[nu * nv + i] - xi[mu * nv + i]);
                }
            }
            double time = (t + 1) * s.dt();
            boolean all = true;
            for (int mu = 0; mu < nh; mu++) {
                double x = Memories.cosine(xi, mu, targets, mu, nv);
                double y = theory(time, alpha[mu], tauMu[mu]);
                sim[t * nh + mu] = x;
                th[t * nh + mu] = y;
                maxError = Math.max(maxError, Math.abs(x - y));
                maxErrorMeanField = Math.max(maxErrorMeanField,
                        Math.abs(x - meanField(time, tauMu[mu], n0[mu], n1[mu], a0[mu])));
                all &= x >= 0.99;
            }
            if (all && Double.isNaN(timeTo)) {
                timeTo = time;
            }
        }
        return new Result(alpha, sim, th, maxError, timeTo, maxErrorMeanField);
    }

    private static int pick(double[] cumulative, double u) {
        for (int mu = 0; mu < cumulative.length - 1; mu++) {
            if (u < cumulative[mu]) {
                return mu;
            }
        }
        return cumulative.length - 1;
    }
}
