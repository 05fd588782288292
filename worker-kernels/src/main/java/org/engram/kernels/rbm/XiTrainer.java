package org.engram.kernels.rbm;

import java.util.SplittableRandom;

/**
 * Training written in the Langevin-like form of the KH-RBM paper's eq. 10: with G the CD estimate of
 * the log-likelihood gradient (ascent) and δ the KH step, one minibatch update is
 * θ ← θ + η (G(θ) + ξ) with ξ = G(θ + δ) − G(θ) + δ/η — exactly "KH, then CD at θ + δ" — so that ξ
 * (the paper's ξ_t = ∇L(θ+δ) − ∇L(θ) − δ/η for the loss L = −log-likelihood, up to the common sign) can
 * be measured: its magnitude ratio |ξ|/|G| and its cosine with the gradient (Fig. 2), and, for the
 * shuffle control, replaced by a copy whose components are randomly permuted.
 * Both gradient estimates use the same minibatch. With {@code commonNoise} (the default reading) they
 * also use the same Gibbs-sampling stream, so that G(θ + δ) − G(θ) is the effect of δ and not the
 * difference of two independent estimates: with independent noise ξ contains that difference, which
 * is as large as G itself and anti-correlated with it (cos ≈ −1/√2 even when δ = 0), so the measured
 * ratio and cosine would describe the estimator's noise rather than KH.
 */
public final class XiTrainer {
    /** Averages over the minibatches of one epoch. */
    public record Stats(double ratio, double cosine) {
    }

    private final int visible;
    private final int hidden;
    private final RbmTrainer.Settings settings;
    private final ContrastiveDivergence cd;
    private final KrotovHopfield kh;
    private final Gradient g0;
    private final Gradient g1;
    private final float[] batch;
    private final double[] xi;
    private final int[] perm;
    private Rbm shadow;

    private final boolean commonNoise;

    public XiTrainer(int visible, int hidden, RbmTrainer.Settings settings) {
        this(visible, hidden, settings, true);
    }

    public XiTrainer(int visible, int hidden, RbmTrainer.Settings settings, boolean commonNoise) {
        this.commonNoise = commonNoise;
        this.visible = visible;
        this.hidden = hidden;
        this.settings = settings;
        this.cd = new ContrastiveDivergence(visible, hidden, settings.batch(), settings.labels());
        this.kh = new KrotovHopfield(visible, hidden, settings.batch());
        this.g0 = new Gradient(visible, hidden);
        this.g1 = new Gradient(visible, hidden);
        this.batch = new float[settings.batch() * visible];
        int params = visible * hidden + visible + hidden;
        this.xi = new double[params];
        this.perm = new int[params];
    }

    /** Sees θ before each minibatch update of an epoch (step = minibatch index within the epoch). */
    @FunctionalInterface
    public interface StepHook {
        void before(int step, Rbm theta);
    }

    /** One epoch; shuffle = the control in which ξ's components are permuted before the update. */
    public Stats epoch(Rbm rbm, float[] data, int rows, int epoch, int[] order, SplittableRandom rng, boolean shuffle) {
        return epoch(rbm, data, rows, epoch, order, rng, shuffle, null);
    }

    /** One epoch, with {@code hook} (may be null) called before every minibatch update. */
    public Stats epoch(Rbm rbm, float[] data, int rows, int epoch, int[] order, SplittableRandom rng, boolean shuffle,
                       StepHook hook) {
        org.engram.kernels.random.Shuffle.permutation(order, rows, rng);
        double eps = KrotovHopfield.epsilon(settings.eps0(), epoch, settings.khWindow());
        float eta = settings.learningRate();
        double ratioSum = 0;
        double cosSum = 0;
        int batches = 0;
        int nw = visible * hidden;
        int step = 0;
        for (int from = 0; from < rows; from += settings.batch()) {
            int b = Math.min(settings.batch(), rows - from);
            for (int r = 0; r < b; r++) {
                System.arraycopy(data, order[from + r] * visible, batch, r * visible, visible);
            }
            if (hook != null) {
                hook.before(step, rbm);
            }
            step++;
            Stats st = measure(rbm, b, eps, rng);
            if (!Double.isNaN(st.ratio()) && !Double.isNaN(st.cosine())) {
                ratioSum += st.ratio();
                cosSum += st.cosine();
                batches++;
            }
            if (shuffle) {
                org.engram.kernels.random.Shuffle.permutation(perm, xi.length, rng);
            }
            for (int q = 0; q < nw; q++) {
                rbm.w[q] += eta * (g0.dw[q] + (float) xi[shuffle ? perm[q] : q]);
            }
            for (int i = 0; i < visible; i++) {
                rbm.a[i] += eta * (g0.da[i] + (float) xi[shuffle ? perm[nw + i] : nw + i]);
            }
            for (int j = 0; j < hidden; j++) {
                rbm.b[j] += eta * (g0.db[j] + (float) xi[shuffle ? perm[nw + visible + j] : nw + visible + j]);
            }
        }
        return batches == 0 ? new Stats(Double.NaN, Double.NaN) : new Stats(ratioSum / batches, cosSum / batches);
    }

    /** The last minibatch's ξ, before any permutation (for tests). */
    double[] lastXi() {
        return xi.clone();
    }

    /** The last minibatch's G(θ) (for tests). */
    Gradient lastGradient() {
        return g0;
    }

    /**
     * One independent trial of Fig. 2 at a fixed θ_t: a fresh minibatch of {@code batch} rows drawn
     * uniformly without replacement and fresh sampling noise; θ is left unchanged.
     */
    public Stats trial(Rbm theta, float[] data, int rows, int epoch, SplittableRandom rng) {
        int b = Math.min(settings.batch(), rows);
        int[] picked = new int[b];
        java.util.HashSet<Integer> seen = new java.util.HashSet<>();
        for (int r = 0; r < b; r++) {
            int i;
            do {
                i = rng.nextInt(rows);
            } while (!seen.add(i));
            picked[r] = i;
            System.arraycopy(data, i * visible, batch, r * visible, visible);
        }
        return measure(theta, b, KrotovHopfield.epsilon(settings.eps0(), epoch, settings.khWindow()), rng);
    }

    /**
     * ξ of eq. 10 on the minibatch in {@code batch}: G(θ) into g0, ξ into xi; |ξ|/|G| (NaN when G vanishes,
     * 0 when ξ does) and cos(G, ξ) (NaN when either vanishes). θ itself is not changed.
     */
    private Stats measure(Rbm rbm, int b, double eps, SplittableRandom rng) {
        if (shadow == null) {
            shadow = new Rbm(visible, hidden);
        }
        float eta = settings.learningRate();
        int nw = visible * hidden;
        long noise = rng.nextLong();
        cd.estimate(rbm, batch, b, settings.k(), commonNoise ? new SplittableRandom(noise) : rng, null, g0);
        System.arraycopy(rbm.w, 0, shadow.w, 0, nw);
        System.arraycopy(rbm.a, 0, shadow.a, 0, visible);
        System.arraycopy(rbm.b, 0, shadow.b, 0, hidden);
        kh.apply(shadow, batch, b, settings.kh(), eps, rng);
        cd.estimate(shadow, batch, b, settings.k(), commonNoise ? new SplittableRandom(noise) : rng, null, g1);
        double gg = 0;
        double xx = 0;
        double gx = 0;
        for (int q = 0; q < nw; q++) {
            double x = g1.dw[q] - g0.dw[q] + (shadow.w[q] - rbm.w[q]) / eta;
            xi[q] = x;
            gg += (double) g0.dw[q] * g0.dw[q];
            xx += x * x;
            gx += g0.dw[q] * x;
        }
        for (int i = 0; i < visible; i++) {
            double x = g1.da[i] - g0.da[i];
            xi[nw + i] = x;
            gg += (double) g0.da[i] * g0.da[i];
            xx += x * x;
            gx += g0.da[i] * x;
        }
        for (int j = 0; j < hidden; j++) {
            double x = g1.db[j] - g0.db[j];
            xi[nw + visible + j] = x;
            gg += (double) g0.db[j] * g0.db[j];
            xx += x * x;
            gx += g0.db[j] * x;
        }
        if (gg == 0) {
            return new Stats(Double.NaN, Double.NaN);
        }
        return new Stats(Math.sqrt(xx / gg), xx > 0 ? gx / Math.sqrt(xx * gg) : Double.NaN);
    }
}
