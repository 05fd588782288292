package org.engram.kernels.hopfield;

import org.hipparchus.analysis.UnivariateFunction;
import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * Moments of f = tanh and f′ = sech² over a continuous spin σ ~ N(0, sd²): ⟨f²⟩, ⟨f′⟩ and ⟨f′²⟩, the factors of
 * the unlearning paper's eqs. 10 and 13 when the spins are the continuous variables of its Sec. III (eq. 4) and the
 * dream's random state σ* is drawn i.i.d. — by Gauss–Legendre quadrature (Hipparchus, 8 nodes on each of 400
 * intervals of ±12 sd; 100-node Gauss–Hermite missed ⟨sech²⟩ by 6·10⁻⁵ at sd 2.5, where the peak is narrow).
 *
 * @param sd      the standard deviation of the random continuous state
 * @param tanh2   ⟨tanh²σ⟩ (1 for saturated ±1 spins, the δ_pq of A33)
 * @param sech2   ⟨sech²σ⟩ = ⟨f′⟩
 * @param sech4   ⟨sech⁴σ⟩ = ⟨f′²⟩ (≥ ⟨f′⟩² by Jensen; equal only when f′ is constant on the states)
 */
public record TanhMoments(double sd, double tanh2, double sech2, double sech4) {
    private static final int INTERVALS = 400;

    /** The moments over σ ~ N(0, sd²); sd must be positive and finite. */
    public static TanhMoments gaussian(double sd) {
        if (!(sd > 0) || Double.isInfinite(sd)) {
            throw new IllegalArgumentException("standard deviation of the random state must be > 0: " + sd);
        }
        double t2 = mean(x -> square(Math.tanh(x)), sd);
        double s2 = mean(TanhMoments::sech2, sd);
        double s4 = mean(x -> square(sech2(x)), sd);
        return new TanhMoments(sd, t2, s2, s4);
    }

    /** ⟨g(σ)⟩ over N(0, sd²). */
    private static double mean(UnivariateFunction g, double sd) {
        GaussIntegratorFactory factory = new GaussIntegratorFactory();
        double width = 24 * sd / INTERVALS;
        double norm = 1 / (sd * Math.sqrt(2 * Math.PI));
        double sum = 0;
        for (int k = 0; k < INTERVALS; k++) {
            double lo = -12 * sd + k * width;
            GaussIntegrator rule = factory.legendre(8, lo, lo + width);
            sum += rule.integrate(x -> g.value(x) * Math.exp(-x * x / (2 * sd * sd)));
        }
        return norm * sum;
    }

    /**
     * Eq. 10 averaged over the dream's random state: Σ_pq J_ip J_jq ⟨f(σ_p) f(σ_q) f′(σ_i) f′(σ_j)⟩ with the spins
     * independent — ⟨f_p f_q⟩ = ⟨f²⟩ δ_pq and f′(σ_i) f′(σ_j) → ⟨f′⟩² (i ≠ j, p ∉ {i, j}) — the factor ⟨f²⟩⟨f′⟩².
     */
    public double dreamtFactor() {
        return tanh2 * sech2 * sech2;
    }

    /** Eq. 13 with |f′(σ_p)|² averaged over the same states: ⟨f′²⟩. */
    public double activeFactor() {
        return sech4;
    }

    private static double sech2(double x) {
        double c = Math.cosh(x);
        return 1 / (c * c);
    }

    private static double square(double x) {
        return x * x;
    }
}
