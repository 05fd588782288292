package org.engram.kernels.rbm;

import java.util.SplittableRandom;

/**
 * One epoch of minibatch training (KH-RBM paper, eq. 9): for each shuffled minibatch the KH step
 * changes W first, then the CD-k (or PCD-k) estimate on the same batch with the KH-modified W is
 * applied by plain SGD, θ += η ∇. Buffers are allocated once; an epoch allocates nothing.
 */
public final class RbmTrainer {
    /**
     * @param batch        minibatch size B
     * @param k            Gibbs steps of CD-k / PCD-k
     * @param persistent   PCD instead of CD
     * @param learningRate η
     * @param kh           the KH step (direction NONE for a plain RBM)
     * @param eps0         ε0 of the schedule
     * @param khWindow     the KH window S: ε anneals to 0 at epoch S and KH stays off from then on
     * @param labels       one-hot label units at the end of the visible layer (classification RBM), or 0
     */
    public record Settings(int batch, int k, boolean persistent, float learningRate, KrotovHopfield.Settings kh,
                           double eps0, int khWindow, int labels) {
        public Settings(int batch, int k, boolean persistent, float learningRate, KrotovHopfield.Settings kh, double eps0,
                        int khWindow) {
            this(batch, k, persistent, learningRate, kh, eps0, khWindow, 0);
        }

        public Settings {
            if (batch < 1 || k < 1 || khWindow < 1) {
                throw new IllegalArgumentException("batch, k and the KH window must be positive, found " + batch + ", " + k
                        + ", " + khWindow);
            }
        }
    }

    private final int visible;
    private final int hidden;
    private final Settings settings;
    private final ContrastiveDivergence cd;
    private final KrotovHopfield kh;
    private final float[] batch;
    private final float[] hiddenPre;
    private float[] chains;

    public RbmTrainer(int visible, int hidden, Settings settings) {
        this.visible = visible;
        this.hidden = hidden;
        this.settings = settings;
        this.cd = new ContrastiveDivergence(visible, hidden, settings.batch(), settings.labels());
        this.kh = new KrotovHopfield(visible, hidden, settings.batch());
        this.batch = new float[settings.batch() * visible];
        this.hiddenPre = new float[settings.batch() * hidden];
    }

    /** The persistent chains (PCD), or null: part of a training run's state, for a checkpoint. */
    public float[] chains() {
        return chains == null ? null : chains.clone();
    }

    /** Restores the persistent chains of a checkpoint (null: none yet). */
    public void chains(float[] saved) {
        chains = saved == null ? null : saved.clone();
    }

    /**
     * One pass over {@code data} (rows × N, 0/1) in an order shuffled by {@code rng}. The last, partial
     * batch is used too. rbm: modified; order: scratch of length rows (modified).
     */
    public void epoch(Rbm rbm, float[] data, int rows, int epoch, int[] order, SplittableRandom rng) {
        if (rbm.visible != visible || rbm.hidden != hidden || data.length < rows * visible) {
            throw new IllegalArgumentException("RBM " + rbm.visible + "×" + rbm.hidden + " and " + rows
                    + " rows do not fit a trainer for " + visible + "×" + hidden);
        }
        org.engram.kernels.random.Shuffle.permutation(order, rows, rng);
        double eps = KrotovHopfield.epsilon(settings.eps0(), epoch, settings.khWindow());
        for (int from = 0; from < rows; from += settings.batch()) {
            int b = Math.min(settings.batch(), rows - from);
            for (int r = 0; r < b; r++) {
                System.arraycopy(data, order[from + r] * visible, batch, r * visible, visible);
            }
            boolean shared = kh.apply(rbm, batch, b, settings.kh(), eps, rng, hiddenPre);
            float[] persistent = null;
            if (settings.persistent()) {
                if (chains == null) {
                    chains = batch.clone();
                }
                persistent = b == settings.batch() ? chains : null;
            }
            cd.step(rbm, batch, b, settings.k(), settings.learningRate(), rng, persistent, shared ? hiddenPre : null);
        }
    }
}
