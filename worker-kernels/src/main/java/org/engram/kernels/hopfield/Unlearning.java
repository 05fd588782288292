package org.engram.kernels.hopfield;

import java.util.SplittableRandom;

/**
 * Classic Hebbian unlearning ("dreaming", Hopfield, Feinstein and Palmer 1983; the paper's eqs. 3 and 7 for ±1
 * spins), as Benedetti, Ventura, Marinari, Ruocco and Zamponi (J. Chem. Phys. 156, 104107, 2022) code it: each
 * dream starts from a uniform random ±1 state, runs zero-temperature asynchronous dynamics (sequential sweeps
 * from a random index, ties not flipped) to a fixed point σ*, then J_ij −= (ε/N) σ*_i σ*_j for i ≠ j. J is
 * changed in place (the network sees it at once).
 */
public final class Unlearning {
    private final Hopfield net;
    private final double eps;
    private final int maxSweeps;
    private final float[] s;
    private final double[] h;
    private long dreams;
    private long unconverged;

    public Unlearning(Hopfield net, double eps, int maxSweeps) {
        if (!(eps > 0)) {
            throw new IllegalArgumentException("unlearning rate ε must be > 0: " + eps);
        }
        this.net = net;
        this.eps = eps;
        this.maxSweeps = maxSweeps;
        this.s = new float[net.n()];
        this.h = new double[net.n()];
    }

    /** One dream: relax a random state, subtract (ε/N) σ* σ*ᵀ off the diagonal. */
    public void dream(SplittableRandom rng) {
        int n = net.n();
        for (int i = 0; i < n; i++) {
            s[i] = rng.nextBoolean() ? 1f : -1f;
        }
        net.fields(s, h);
        if (net.relax(s, h, Hopfield.Order.SEQUENTIAL, maxSweeps, rng) < 0) {
            unconverged++;
        }
        float[] j = net.couplings();
        float step = (float) (eps / n);
        for (int i = 0; i < n; i++) {
            float a = step * s[i];
            int o = i * n;
            for (int k = 0; k < n; k++) {
                j[o + k] -= a * s[k];
            }
            j[o + i] = 0f;
        }
        dreams++;
    }

    /** Dreams done so far. */
    public long dreams() {
        return dreams;
    }

    /** Dreams whose relaxation hit the sweep limit (their state was used as it was). */
    public long unconverged() {
        return unconverged;
    }

    /** Stability statistics of the patterns under the current J. */
    public record Stability(double mean, double min, double stableFraction) {
    }

    /** Mean and minimum of Δ_i^μ over all pattern bits, and the fraction with Δ > 0. */
    public static Stability stability(Hopfield net, float[] xi, int p) {
        double[] d = net.stabilities(xi, p);
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        long stable = 0;
        for (double v : d) {
            sum += v;
            min = Math.min(min, v);
            if (v > 0) {
                stable++;
            }
        }
        return new Stability(sum / d.length, min, (double) stable / d.length);
    }
}
