package org.engram.kernels.rbm;

import dev.ludovic.netlib.blas.BLAS;
import java.util.SplittableRandom;

/**
 * Training of a ±1 RBM without biases by one of the RAPID paper's four methods (Sec. V A, the authors' code in
 * REFERENCE-NOTES): every step estimates the log-likelihood gradient G = ⟨v tanh(vᵀW)⟩_data − ⟨v tanh(vᵀW)⟩_neg
 * (V × H) on a minibatch and differs in the negative phase and in what is updated.
 * <ul>
 * <li>{@link Method#RAPID}: an RA model (eq. 5) whose patterns ascend G through eq. A7 by plain SGD; the
 * negative states are the patterns' visible parts sign(ξ_v) (PID, eq. 6) when {@code gibbs} = 0, else
 * {@code gibbs} Gibbs steps seeded at ξ_v (eq. B2); W is rebuilt after every step; the patterns are signed after
 * every epoch ({@link Constraint#SIGN_PER_EPOCH}, eq. B1) or clipped to [−x, x] after every step
 * ({@link Constraint#CLIP}).</li>
 * <li>{@link Method#CD}: CD-k, chains start at the minibatch, the negative states are v after k steps.</li>
 * <li>{@link Method#PCD}: PCD-k with {@code chains} persistent fantasy particles (random ±1 at the start).</li>
 * <li>{@link Method#EXACT}: the negative phase is the exact model average by enumeration ({@link SpinExact}).</li>
 * </ul>
 * The W-models (CD, PCD, exact) start from N(0, init-sd²) weights and take Adam steps (β = 0.9, 0.999, ε = 1e-8);
 * the bias correction is by epoch for CD and PCD (the authors' Adam_pm divides by 1 − β^{epoch+1}) and by step
 * for the exact gradient (torch.optim.Adam, which the authors used there), or plain SGD when asked.
 * The learning rate is multiplied by {@code decay} after every epoch past {@code decayAfter} while it exceeds
 * {@code lrFloor}.
 */
public final class SpinTrainer {
    public enum Method { RAPID, CD, PCD, EXACT }

    public enum Optimiser { ADAM, SGD }

    public enum Constraint { SIGN_PER_EPOCH, CLIP, NONE }

    /**
     * @param method     training method
     * @param k          RAPID: patterns K; others: unused
     * @param gibbs      Gibbs steps of the negative phase (CD-k / PCD-k; RAPID: 0 = pure PID)
     * @param batch      minibatch size
     * @param chains     PCD fantasy particles
     * @param optimiser  Adam or SGD for the W-models (RAPID is always SGD on the patterns)
     * @param lr         learning rate
     * @param decay      lr × decay after every epoch from epoch decayAfter on, while lr &gt; lrFloor (1 = none)
     * @param lrFloor    see decay
     * @param decayAfter see decay (the authors' MNIST notebook: 100; their Bars script: 0)
     * @param constraint RAPID: what brings the patterns back
     * @param clip       RAPID with CLIP: the bound x
     * @param initSd     W-models: the standard deviation of the initial weights
     * @param threads    threads of the exact enumeration
     */
    public record Settings(Method method, int k, int gibbs, int batch, int chains, Optimiser optimiser, double lr,
                           double decay, double lrFloor, int decayAfter, Constraint constraint, double clip,
                           double initSd, int threads) {
    }

    private final Settings s;
    public final SpinRbm rbm;
    /** RAPID only. */
    public final RaPatterns patterns;
    private final float[] data;
    private final int rows;
    private final SplittableRandom rng;
    private double lr;
    private int epoch;
    private long step;
    private final float[] g;
    private final float[] m;
    private final float[] v2;
    /** PCD chains (chains × V). */
    private float[] persistent;
    private float[] negative;
    private int negativeRows;
    private static final BLAS BLAS_ = BLAS.getInstance();
    /** tanh of the fields of the states being correlated (n × H), reused across steps. */
    private float[] tanh = new float[0];

    /**
     * A trainer on rows × V training states (±1, row-major; not copied, not modified). The initial model is
     * drawn from {@code rng}, which then drives minibatch order and sampling.
     */
    public SpinTrainer(Settings s, int visible, int hidden, float[] data, int rows, SplittableRandom rng) {
        this.s = s;
        this.data = data;
        this.rows = rows;
        this.rng = rng;
        this.lr = s.lr();
        if (s.method() == Method.RAPID) {
            patterns = RaPatterns.random(s.k(), visible, hidden, rng);
            rbm = patterns.model();
        } else {
            patterns = null;
            rbm = SpinRbm.gaussian(visible, hidden, s.initSd(), rng);
        }
        g = new float[visible * hidden];
        boolean adam = s.method() != Method.RAPID && s.optimiser() == Optimiser.ADAM;
        m = adam ? new float[g.length] : null;
        v2 = adam ? new float[g.length] : null;
        if (s.method() == Method.PCD) {
            persistent = SpinRbm.randomSpins(s.chains(), visible, rng);
        }
    }

    public int epochs() {
        return epoch;
    }

    public double learningRate() {
        return lr;
    }

    /** One pass over the training states in a fresh random order, then the per-epoch pattern sign and lr decay. */
    public void trainEpoch() {
        int vis = rbm.visible;
        int[] order = new int[rows];
        org.engram.kernels.random.Shuffle.permutation(order, rows, rng);
        float[] batch = new float[s.batch() * vis];
        for (int from = 0; from < rows; from += s.batch()) {
            int b = Math.min(s.batch(), rows - from);
            for (int r = 0; r < b; r++) {
                System.arraycopy(data, order[from + r] * vis, batch, r * vis, vis);
            }
            step(batch, b);
        }
        if (s.method() == Method.RAPID && s.constraint() == Constraint.SIGN_PER_EPOCH) {
            patterns.binarise();
            patterns.weights(rbm);
        }
        epoch++;
        if (epoch > s.decayAfter() && lr > s.lrFloor()) {
            lr *= s.decay();
        }
    }

    /** One update from the b × V states in batch. */
    public void step(float[] batch, int b) {
        java.util.Arrays.fill(g, 0f);
        correlate(batch, b, 1f / b);
        switch (s.method()) {
            case EXACT -> {
                double[] c = SpinExact.enumerate(rbm, true, s.threads()).correlation();
                for (int q = 0; q < g.length; q++) {
                    g[q] -= (float) c[q];
                }
                negative = null;
            }
            case RAPID -> {
                int k = patterns.k;
                float[] neg = new float[k * rbm.visible];
                if (s.gibbs() == 0) {
                    for (int q = 0; q < neg.length; q++) {
                        neg[q] = patterns.xv[q] >= 0 ? 1f : -1f;
                    }
                } else {
                    System.arraycopy(patterns.xv, 0, neg, 0, neg.length);
                    neg = gibbs(neg, k, s.gibbs());
                }
                correlate(neg, k, -1f / k);
                remember(neg, k);
            }
            case CD -> {
                float[] neg = gibbs(batch.clone(), b, s.gibbs());
                correlate(neg, b, -1f / b);
                remember(neg, b);
            }
            case PCD -> {
                persistent = gibbs(persistent, s.chains(), s.gibbs());
                correlate(persistent, s.chains(), -1f / s.chains());
                remember(persistent, s.chains());
            }
        }
        step++;
        if (s.method() == Method.RAPID) {
            patterns.ascend(g, lr);
            if (s.constraint() == Constraint.CLIP) {
                patterns.clip((float) s.clip());
            }
            patterns.weights(rbm);
        } else if (m == null) {
            Fused.axpy((float) lr, g, 0, rbm.w, 0, g.length);
        } else {
            adam();
        }
    }

    private void remember(float[] neg, int n) {
        negative = neg;
        negativeRows = n;
    }

    /** g += scale · Σ_r v_r ⊗ tanh(v_rᵀW) over n states. */
    private void correlate(float[] states, int n, float scale) {
        int h = rbm.hidden;
        if (tanh.length < n * h) {
            tanh = new float[n * h]; // grown once to the largest batch (PCD: the chains), then reused every step
        }
        float[] t = tanh;
        rbm.hiddenFields(states, 0, n, 2f, t, 0);
        double[] abs = new double[1];
        for (int r = 0; r < n; r++) {
            Fused.logCoshRow(t, r * h, h, true, abs); // doubled fields → tanh(field)
        }
        BLAS_.sgemm("N", "T", h, rbm.visible, n, scale, t, 0, h, states, 0, rbm.visible, 1f, g, 0, h);
    }

    /** steps Gibbs sweeps (h|v, then v|h) of n chains starting at v (modified); returns v. */
    float[] gibbs(float[] v, int n, int steps) {
        rbm.gibbs(v, n, steps, null, rng);
        return v;
    }

    private void adam() {
        final double b1 = 0.9;
        final double b2 = 0.999;
        final double eps = 1e-8;
        // CD / PCD: the authors' Adam_pm corrects by epoch; the exact gradient used torch.optim.Adam (by step)
        double t = s.method() == Method.EXACT ? step : epoch + 1;
        double c1 = 1 - Math.pow(b1, t);
        double c2 = 1 - Math.pow(b2, t);
        for (int q = 0; q < g.length; q++) {
            m[q] = (float) (b1 * m[q] + (1 - b1) * g[q]);
            v2[q] = (float) (b2 * v2[q] + (1 - b2) * g[q] * g[q]);
            rbm.w[q] += (float) (lr * (m[q] / c1) / (Math.sqrt(v2[q] / c2) + eps));
        }
    }

    /**
     * Method ground-state accessibility's numerator (Fig. 2b, the authors' protocol): the lowest energy among
     * the configurations the negative phase uses — RAPID: the patterns (−ξ_vᵀWξ_h); PCD: the chains with h
     * sampled from them; CD: {@code repeats} × the whole training set run k Gibbs steps, h sampled; exact: NaN
     * (no configurations).
     */
    public double methodEnergy(int repeats) {
        switch (s.method()) {
            case EXACT:
                return Double.NaN;
            case RAPID:
                return patterns.lowestEnergy(rbm);
            case PCD:
                return withHidden(persistent.clone(), s.chains());
            default:
                double min = Double.POSITIVE_INFINITY;
                for (int r = 0; r < repeats; r++) {
                    float[] v = gibbs(java.util.Arrays.copyOf(data, rows * rbm.visible), rows, s.gibbs());
                    min = Math.min(min, withHidden(v, rows));
                }
                return min;
        }
    }

    /** min over n chains of −vᵀWh with h ~ P(h|v). */
    private double withHidden(float[] v, int n) {
        float[] h = new float[n * rbm.hidden];
        rbm.sampleHidden(v, n, h, h, rng);
        float[] scratch = new float[n * rbm.hidden];
        return rbm.minEnergy(v, h, n, scratch);
    }

    /** The negative states of the last step (null for the exact gradient), rows × V. */
    public float[] lastNegative() {
        return negative == null ? null : java.util.Arrays.copyOf(negative, negativeRows * rbm.visible);
    }
}
