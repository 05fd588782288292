package org.engram.kernels.hopfield;

import java.util.SplittableRandom;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.RealMatrix;

/**
 * The deep hybrid RBM of the unlearning paper (eqs. 17–18, A40–A60) in "mode 3": the weights are fixed to the
 * patterns (W = ξ) and only β_RBM = 1/T_RBM and the dreaming parameter λ are learnt, by contrastive divergence.
 *
 * <p>Integrating the Gaussian layers out of eq. 18 gives the marginal P(σ) ∝ exp[(β/2N) bᵀ A⁻¹ b] with
 * b = Ξ σ (b_μ = Σ_i ξ_i^μ σ_i), A = 1 + λ² C, C = (1/N) Ξ Ξᵀ: the dreamt Hopfield model of eq. 9 / A37 with
 * H = −½ σᵀ J σ, J = (1/N) Ξᵀ A⁻¹ Ξ. Hence, per sample, ∂ log P/∂β = E(σ) − ⟨E⟩ with E(σ) = (1/2N) bᵀ A⁻¹ b, and
 * ∂ log P/∂λ = −(βλ/N) [bᵀ A⁻¹ C A⁻¹ b](σ) − ⟨same⟩ (from ∂A⁻¹/∂λ = −2λ A⁻¹ C A⁻¹). The gradient printed as A59
 * carries a factor i and is not real; this is the derivative of the exact marginal, the model term estimated,
 * as in A44–A50, by k reconstruction steps σ → z → σ′: z ~ N(A⁻¹ b/√N, T A⁻¹) (the imaginary layer φ
 * integrated out), σ′_i = +1 with probability 1/(1 + e^{−2β (Ξᵀz)_i/√N}) (A46–A48; φ does not couple to σ). The
 * gradient is zero in expectation at the true parameters when the data come from the model (a Gibbs step
 * preserves the model's law), which {@code DreamingRbmTest} checks by recovering a known (λ, T).
 *
 * <p>The reconstruction error (RCE) is the mean fraction of bits that differ between a data sample and its
 * one-step reconstruction σ′ (the paper does not define it).
 */
public final class DreamingRbm {
    private final double[] xi;
    private final int p;
    private final int n;
    private final double[] c;
    private double beta;
    private double lambda;

    /** Learnt parameters and the reconstruction error after an epoch. */
    public record Epoch(double temperature, double lambda, double reconstructionError) {
    }

    /** Hyper-parameters of the training. */
    public record Settings(double rateBeta, double rateLambda, int batch, int cdSteps) {
    }

    public DreamingRbm(float[] patterns, int p, int n, double temperature, double lambda) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("T_RBM must be > 0: " + temperature);
        }
        this.p = p;
        this.n = n;
        this.xi = new double[p * n];
        for (int k = 0; k < xi.length; k++) {
            xi[k] = patterns[k];
        }
        this.c = Couplings.correlation(patterns, p, n);
        this.beta = 1 / temperature;
        this.lambda = lambda;
    }

    public double temperature() {
        return 1 / beta;
    }

    public double lambda() {
        return lambda;
    }

    /** A⁻¹ and the Cholesky factor L of A = L Lᵀ for the current λ. */
    private record Factors(double[] inverse, double[] lower) {
    }

    private Factors factors() {
        double[][] a = new double[p][p];
        for (int mu = 0; mu < p; mu++) {
            for (int nu = 0; nu < p; nu++) {
                a[mu][nu] = (mu == nu ? 1 : 0) + lambda * lambda * c[mu * p + nu];
            }
        }
        CholeskyDecomposition ch = new CholeskyDecomposition(new Array2DRowRealMatrix(a, false), 1e-12, 1e-12);
        RealMatrix inv = ch.getSolver().getInverse();
        RealMatrix l = ch.getL();
        double[] ai = new double[p * p];
        double[] lo = new double[p * p];
        for (int mu = 0; mu < p; mu++) {
            for (int nu = 0; nu < p; nu++) {
                ai[mu * p + nu] = inv.getEntry(mu, nu);
                lo[mu * p + nu] = l.getEntry(mu, nu);
            }
        }
        return new Factors(ai, lo);
    }

    /** b = Ξ σ. */
    private void project(float[] s, int off, double[] b) {
        for (int mu = 0; mu < p; mu++) {
            double sum = 0;
            int o = mu * n;
            for (int i = 0; i < n; i++) {
                sum += xi[o + i] * s[off + i];
            }
            b[mu] = sum;
        }
    }

    /** {(1/2N) bᵀA⁻¹b, (1/N) bᵀA⁻¹CA⁻¹b} for b. */
    private double[] statistics(double[] b, double[] ai) {
        double[] y = new double[p];
        for (int mu = 0; mu < p; mu++) {
            double sum = 0;
            for (int nu = 0; nu < p; nu++) {
                sum += ai[mu * p + nu] * b[nu];
            }
            y[mu] = sum;
        }
        double e = 0;
        double q = 0;
        for (int mu = 0; mu < p; mu++) {
            e += b[mu] * y[mu];
            double cy = 0;
            for (int nu = 0; nu < p; nu++) {
                cy += c[mu * p + nu] * y[nu];
            }
            q += y[mu] * cy;
        }
        return new double[] {e / (2 * n), q / n};
    }

    /** One Gibbs step σ → z → σ′ (into {@code out}); {@code b} holds Ξσ on entry. */
    private void gibbs(double[] b, Factors f, float[] out, int off, SplittableRandom rng) {
        double sqrtN = Math.sqrt(n);
        double[] z = new double[p];
        // mean A⁻¹ b / √N
        for (int mu = 0; mu < p; mu++) {
            double sum = 0;
            for (int nu = 0; nu < p; nu++) {
                sum += f.inverse()[mu * p + nu] * b[nu];
            }
            z[mu] = sum / sqrtN;
        }
        // noise √T L⁻ᵀ ε has covariance T A⁻¹: solve Lᵀ x = ε by back substitution
        double[] x = new double[p];
        double[] eps = new double[p];
        for (int mu = 0; mu < p; mu++) {
            eps[mu] = gaussian(rng);
        }
        for (int mu = p - 1; mu >= 0; mu--) {
            double sum = eps[mu];
            for (int nu = mu + 1; nu < p; nu++) {
                sum -= f.lower()[nu * p + mu] * x[nu];
            }
            x[mu] = sum / f.lower()[mu * p + mu];
        }
        double sqrtT = Math.sqrt(1 / beta);
        for (int mu = 0; mu < p; mu++) {
            z[mu] += sqrtT * x[mu];
        }
        for (int i = 0; i < n; i++) {
            double field = 0;
            for (int mu = 0; mu < p; mu++) {
                field += xi[mu * n + i] * z[mu];
            }
            field /= sqrtN;
            double pPlus = 1 / (1 + Math.exp(-2 * beta * field));
            out[off + i] = rng.nextDouble() < pPlus ? 1f : -1f;
        }
    }

    /** Standard normal by Box–Muller (one value per call, deterministic in the stream). */
    private static double gaussian(SplittableRandom rng) {
        double u = rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    /**
     * One epoch of CD-k over {@code count} samples (rows of N ±1 in {@code data}) in a random order, mini-batches
     * of {@code settings.batch()}; β and λ follow the mean gradients (β kept positive).
     */
    public Epoch epoch(float[] data, int count, Settings settings, SplittableRandom rng) {
        int[] order = new int[count];
        Patterns.permutation(order, rng);
        double[] b = new double[p];
        float[] chain = new float[n];
        long differing = 0;
        for (int from = 0; from < count; from += settings.batch()) {
            int to = Math.min(count, from + settings.batch());
            Factors f = factors();
            double gBeta = 0;
            double gLambda = 0;
            for (int k = from; k < to; k++) {
                int off = order[k] * n;
                project(data, off, b);
                double[] sd = statistics(b, f.inverse());
                for (int step = 0; step < settings.cdSteps(); step++) {
                    gibbs(b, f, chain, 0, rng);
                    if (step == 0) {
                        for (int i = 0; i < n; i++) {
                            if (chain[i] != data[off + i]) {
                                differing++;
                            }
                        }
                    }
                    project(chain, 0, b);
                }
                double[] sm = statistics(b, f.inverse());
                gBeta += sd[0] - sm[0];
                gLambda += -beta * lambda * (sd[1] - sm[1]);
            }
            int size = to - from;
            beta = Math.max(1e-6, beta + settings.rateBeta() * gBeta / size);
            lambda += settings.rateLambda() * gLambda / size;
        }
        return new Epoch(1 / beta, lambda, (double) differing / ((double) count * n));
    }

    /**
     * Samples of a Hopfield network's persistent dynamics (eq. 14) at temperature T and persistence a: one chain
     * per start state (each started at pattern (chain mod P), with the sign alternating between chain cycles),
     * {@code burnIn} sweeps discarded, then a sample every {@code thin} sweeps until each chain gave
     * count/chains samples. Rows of N ±1.
     */
    public static float[] sample(Hopfield net, float[] patterns, int p, double temperature, double a, int chains,
                                 int burnIn, int thin, int count, SplittableRandom rng) {
        int n = net.n();
        float[] out = new float[count * n];
        double beta = temperature == 0 ? Double.POSITIVE_INFINITY : 1 / temperature;
        int row = 0;
        for (int ch = 0; ch < chains; ch++) {
            int per = count / chains + (ch < count % chains ? 1 : 0);
            float[] s = new float[n];
            int mu = ch % p;
            float sign = (ch / p) % 2 == 0 ? 1f : -1f;
            for (int i = 0; i < n; i++) {
                s[i] = sign * patterns[mu * n + i];
            }
            double[] h = new double[n];
            net.fields(s, h);
            boolean[] last = new boolean[n];
            for (int sweep = 0; sweep < burnIn; sweep++) {
                net.persistentSweep(s, h, last, beta, a, rng);
            }
            for (int k = 0; k < per; k++) {
                for (int sweep = 0; sweep < thin; sweep++) {
                    net.persistentSweep(s, h, last, beta, a, rng);
                }
                System.arraycopy(s, 0, out, row * n, n);
                row++;
            }
        }
        return out;
    }
}
