package org.engram.kernels.assoc;

/**
 * The quasi-equilibrium network of the associative-networks paper (§3, eqs. 3–9) with J = Ξ, I = 0, b = 0:
 * hidden units at equilibrium h = Ξ g(v), their activation the softmax f = softmax(β h) (generating function
 * L_h = β⁻¹ log Σ_μ exp(β h_μ)), and the visible dynamics of eq. 9, τ_v dv/dt = −v + Ξᵀ softmax(β Ξ g(v)),
 * with g = tanh (L_v = Σ log cosh v_i) or the identity (L_v = ½ Σ v_i²). Its energy, the Legendre transform of
 * eq. 3, E_QE(v) = v·g(v) − L_v(v) − L_h(Ξ g(v)), decreases along the dynamics (eqs. 6, 8):
 * dE/dt = −τ_v v̇ᵀ H_v v̇ ≤ 0. Ξ is N_h × N_v, row-major; not modified.
 */
public final class SoftmaxNetwork {
    /** The visible activation g = ∇L_v. */
    public enum Activation { TANH, IDENTITY }

    private final double[] xi;
    private final int nh;
    private final int nv;
    private final double beta;
    private final Activation activation;

    public SoftmaxNetwork(double[] xi, int nh, int nv, double beta, Activation activation) {
        if (xi.length != nh * nv) {
            throw new IllegalArgumentException("Xi has " + xi.length + " entries for N_h × N_v = " + nh + " × " + nv);
        }
        if (!(beta > 0)) {
            throw new IllegalArgumentException("beta must be positive, found " + beta);
        }
        this.xi = xi;
        this.nh = nh;
        this.nv = nv;
        this.beta = beta;
        this.activation = activation;
    }

    private double g(double v) {
        return activation == Activation.TANH ? Math.tanh(v) : v;
    }

    private double lv(double v) {
        if (activation == Activation.IDENTITY) {
            return 0.5 * v * v;
        }
        double a = Math.abs(v); // log cosh v, overflow-safe
        return a + Math.log1p(Math.exp(-2 * a)) - Math.log(2);
    }

    /** h = Ξ g(v) into {@code h} (length N_h); returns it. */
    private double[] hidden(double[] v, double[] h) {
        double[] gv = new double[nv];
        for (int i = 0; i < nv; i++) {
            gv[i] = g(v[i]);
        }
        for (int mu = 0; mu < nh; mu++) {
            h[mu] = Memories.dot(xi, mu, gv, 0, nv);
        }
        return h;
    }

    /** The softmax weights w = softmax(β Ξ g(v)) (max-subtracted). */
    public double[] weights(double[] v) {
        double[] s = scores(v);
        Softmax.inPlace(s);
        return s;
    }

    /** β h = β Ξ g(v). */
    private double[] scores(double[] v) {
        double[] h = hidden(v, new double[nh]);
        for (int mu = 0; mu < nh; mu++) {
            h[mu] *= beta;
        }
        return h;
    }

    /** τ_v dv/dt of eq. 9: −v + Ξᵀ w. */
    public double[] velocity(double[] v) {
        double[] w = weights(v);
        double[] out = new double[nv];
        for (int i = 0; i < nv; i++) {
            double s = -v[i];
            for (int mu = 0; mu < nh; mu++) {
                s += xi[mu * nv + i] * w[mu];
            }
            out[i] = s;
        }
        return out;
    }

    /** E_QE(v) = v·g(v) − L_v(v) − β⁻¹ log Σ_μ exp(β h_μ), h = Ξ g(v) (eq. 3 with I = 0, b = 0). */
    public double energy(double[] v) {
        double e = 0;
        for (int i = 0; i < nv; i++) {
            e += v[i] * g(v[i]) - lv(v[i]);
        }
        return e - Softmax.inPlace(scores(v)) / beta;
    }

    /** One Euler step of eq. 9 with step dt/τ_v, in place. */
    public void step(double[] v, double dtOverTau) {
        double[] dv = velocity(v);
        for (int i = 0; i < nv; i++) {
            v[i] += dtOverTau * dv[i];
        }
    }
}
