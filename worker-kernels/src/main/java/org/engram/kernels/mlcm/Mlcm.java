package org.engram.kernels.mlcm;

import dev.ludovic.netlib.blas.BLAS;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A Multi-Layer Chain Model (thesis Part II, ch. 6 and appendix A): L random recurrent layers of N
 * spins chained by ferromagnetic couplings, an input field on layer 1, an output field on layer L
 * (eq. 6.1), and a softmax readout of the last layer (eq. 6.2).
 *
 * <p>Readings of the thesis fixed here (each also a documented config key of the mlcm jobs):
 * <ul>
 *   <li>The dynamics use eq. 6.1: layer 1 feels λ_IN x, layer L feels λ_OUT W_back y and no λ_R^L term
 *       (λ_R^L has no layer L+1; the {0,1} thresholds κ^L of eq. 7.1 confirm that reading). The perceptron
 *       update (eq. 6.3, algorithm 3) uses λ_L^1 as the weight of x on layer 1, as algorithm 3 does; the
 *       thesis sets λ_L^1 = λ_IN = 6.</li>
 *   <li>J^l starts Gaussian with variance 1/N and zero diagonal (the random RNN of ch. 3); W_back is a
 *       fixed ±1 matrix (or, {@code gaussianBack}, standard Gaussian); W_fwd starts at zero.</li>
 *   <li>sign(0) = +1 and θ(0) = 1, so the {0,1} model at γ = 0 reproduces the ±1 model exactly.</li>
 *   <li>{0,1} states (§7.2): fields in units of eq. 7.1 with κ_i^l from the fields that are switched on
 *       (the right/output terms are off at inference, and so are their halves of κ). Inputs are x01 =
 *       (x+1)/2 on the image's pixels; zero padding contributes neither field nor threshold.</li>
 *   <li>The perceptron rule for {0,1} states works on the ±1 images σ = 2z − 1 with the stability
 *       measured against the neuron's threshold (γ, or the WTA cut-off): at γ = 0 it is the ±1 rule.</li>
 * </ul>
 *
 * <p>States live as float matrices, one per layer, column-major N × batch (sample b's N values are
 * contiguous), so a layer's fields for the whole batch are one sgemm. A sample stops as soon as a whole
 * sweep leaves every layer unchanged (a fixed point of the deterministic orders); finished samples are
 * swapped out of the active block so later sweeps multiply only the active ones.
 *
 * <p>The synchronous orders keep each layer's recurrent field J^l s^l between sweeps and update it by the
 * columns of J^l of the units that flipped (a flip of s_c adds J_{·c} δ_c) instead of multiplying again:
 * after the first sweep a few units in a thousand flip per sweep, so the later sweeps cost a few axpys
 * instead of an N × N product. A sweep in which more than one unit in {@value #INCREMENTAL_FRACTION} of a
 * layer's (sample, unit) pairs flipped recomputes that layer's field by sgemm instead, which also bounds
 * the float rounding the updates accumulate.
 */
public final class Mlcm {
    /** The four update orders of §6.2.1. */
    public enum Order { LAYER_SEQUENTIAL_SYNC, LAYER_INDEPENDENT_SYNC, LAYER_SEQUENTIAL_ASYNC, LAYER_INDEPENDENT_ASYNC }

    /** Algorithm 1's state initialisation. */
    public enum Init { INPUT, ZEROS }

    /** ±1 spins (ch. 6) or {0,1} units with thresholds (§7.2). */
    public enum States { SPIN, BINARY }

    /**
     * Hyper-parameters. {@code left}/{@code right} have one entry per layer; {@code wtaDelta} NaN means
     * no winner-takes-all (otherwise the middle layers keep ⌊N δ⌋ units on; layers 1 and L use γ = 0).
     */
    public record Params(int n, int layers, int classes, double selfCoupling, double[] left, double[] right,
                         double lambdaIn, double lambdaOut, Order order, Init init, States states, double gamma,
                         double wtaDelta, int tMax, boolean gaussianBack) implements java.io.Serializable {
        /** W_back ±1, as the thesis has it. */
        public Params(int n, int layers, int classes, double selfCoupling, double[] left, double[] right,
                      double lambdaIn, double lambdaOut, Order order, Init init, States states, double gamma,
                      double wtaDelta, int tMax) {
            this(n, layers, classes, selfCoupling, left, right, lambdaIn, lambdaOut, order, init, states, gamma,
                    wtaDelta, tMax, false);
        }

        public Params {
            if (n < 1 || layers < 1 || classes < 1 || tMax < 1) {
                throw new IllegalArgumentException("n, layers, classes and tMax must be ≥ 1");
            }
            if (left.length != layers || right.length != layers) {
                throw new IllegalArgumentException("left and right couplings need one value per layer (" + layers
                        + "), got " + left.length + " and " + right.length);
            }
            if (!Double.isNaN(wtaDelta) && (wtaDelta <= 0 || wtaDelta > 1 || states != States.BINARY)) {
                throw new IllegalArgumentException("winner-takes-all needs {0,1} states and 0 < δ ≤ 1, got " + wtaDelta);
            }
            if (!Double.isNaN(wtaDelta) && (order == Order.LAYER_SEQUENTIAL_ASYNC || order == Order.LAYER_INDEPENDENT_ASYNC)) {
                throw new IllegalArgumentException("winner-takes-all picks a layer's winners at once: it needs a "
                        + "synchronous update order, got " + order);
            }
        }

        public boolean wta() {
            return !Double.isNaN(wtaDelta);
        }

        /** Units kept on by winner-takes-all on a middle layer: ⌊N δ⌋. */
        public int winners() {
            return (int) Math.floor(n * wtaDelta + 1e-9);
        }

        /** Whether layer l (0-based) is a winner-takes-all layer. */
        public boolean wtaLayer(int l) {
            return wta() && l > 0 && l < layers - 1;
        }
    }

    /** A layer's field is updated flip by flip while at most 1/this of its (sample, unit) pairs flipped. */
    static final int INCREMENTAL_FRACTION = 16;

    final Params p;
    final int n;
    /** J^l transposed (jt[l][c*n + i] = J_ic: the column of unit c contiguous), for the flip updates. */
    private final float[][] jt;
    /** Whether jt[l] is J^l's transpose as of this relaxation (J changes between relaxations). */
    private final boolean[] jtCurrent;
    private boolean incremental = true;
    final int layers;
    /** J^l, row-major (J[l][i*n + j] = J_ij), zero diagonal. */
    public final float[][] j;
    /** W_back, row-major n × classes. */
    public final float[] back;
    /** W_fwd, row-major classes × n. */
    public final float[] fwd;
    private final BLAS blas = BLAS.getInstance();

    /** Where the time goes: sgemm calls (with their flops), and the convergence and update steps in all. */
    public static final class Counters {
        public long gemmNanos;
        public long gemmFlops;
        public long convergeNanos;
        public long updateNanos;
    }

    public final Counters counters = new Counters();

    private void sgemm(String ta, String tb, int m, int nn, int k, float alpha, float[] a, int lda, float[] b, int ldb,
                       float beta, float[] c, int ldc) {
        long t0 = System.nanoTime();
        blas.sgemm(ta, tb, m, nn, k, alpha, a, lda, b, ldb, beta, c, ldc);
        counters.gemmNanos += System.nanoTime() - t0;
        counters.gemmFlops += 2L * m * nn * k;
    }

    public Mlcm(Params p, SplittableRandom rng) {
        this.p = p;
        this.n = p.n();
        this.layers = p.layers();
        this.j = new float[layers][n * n];
        double sd = 1 / Math.sqrt(n);
        for (float[] jl : j) {
            for (int i = 0; i < n * n; i++) {
                jl[i] = (float) (sd * rng.nextGaussian());
            }
            zeroDiagonal(jl);
        }
        back = new float[n * p.classes()];
        for (int i = 0; i < back.length; i++) {
            back[i] = p.gaussianBack() ? (float) rng.nextGaussian() : rng.nextBoolean() ? 1f : -1f;
        }
        fwd = new float[p.classes() * n];
        jt = new float[layers][];
        jtCurrent = new boolean[layers];
    }

    /**
     * Whether the synchronous orders update the recurrent fields flip by flip (default) or multiply J^l s^l
     * afresh every sweep — the same dynamics up to float rounding; {@code bench mlcm} times one against the other.
     */
    public void incrementalFields(boolean on) {
        incremental = on;
    }

    public Params params() {
        return p;
    }

    void zeroDiagonal(float[] jl) {
        for (int i = 0; i < n; i++) {
            jl[i * n + i] = 0f;
        }
    }

    /**
     * A batch: inputs, labels, states of every layer and per-sample results. Reused across batches
     * (allocation-free after the first one of a given capacity).
     */
    public final class Batch {
        final int capacity;
        int size;
        /** Inputs: ±1 on the image's {@code inputs} dims, 0 on the padding (column-major n × size). */
        final float[] x;
        /** Label per sample, −1 when none is clamped. */
        final int[] label;
        /** States per layer (column-major n × size). */
        public final float[][] s;
        final float[][] next;
        final float[] field;
        /** Per-sample sweeps until convergence (tMax when it did not converge). */
        public final int[] iterations;
        public final boolean[] converged;
        /** order[r] = the sample held in working column r. */
        final int[] order;
        /** Per layer J^l s^l of every working column, kept across sweeps (synchronous orders). */
        final float[][] recurrent;
        /** Per layer whether {@link #recurrent} must be recomputed by sgemm before its next use. */
        final boolean[] stale;
        /** The flips of the layer being swept: working column, unit and new − old state. */
        final int[] flipColumn;
        final int[] flipUnit;
        final float[] flipDelta;
        int flips;
        final float[] col;
        int inputs;

        Batch(int capacity) {
            this.capacity = capacity;
            x = new float[n * capacity];
            label = new int[capacity];
            s = new float[layers][n * capacity];
            next = new float[layers][n * capacity];
            field = new float[n * capacity];
            iterations = new int[capacity];
            converged = new boolean[capacity];
            order = new int[capacity];
            col = new float[n];
            recurrent = new float[layers][n * capacity];
            stale = new boolean[layers];
            flipColumn = new int[n * capacity];
            flipUnit = new int[n * capacity];
            flipDelta = new float[n * capacity];
        }

        public int size() {
            return size;
        }

        /** The state of sample b in layer l, unit i (after {@link #converge}, in the caller's order). */
        public float state(int l, int b, int i) {
            return s[l][b * n + i];
        }
    }

    public Batch batch(int capacity) {
        return new Batch(capacity);
    }

    /**
     * Loads rows {@code rows[0..count)} of {@code data} (±1, {@code inputs} values per row) into the batch,
     * zero-padded to N, with their labels ({@code labels == null}: no output field).
     */
    public void load(Batch bt, float[] data, int inputs, int[] rows, int from, int count, byte[] labels) {
        if (inputs > n) {
            throw new IllegalArgumentException("inputs (" + inputs + ") exceed the layer size N = " + n);
        }
        bt.size = count;
        bt.inputs = inputs;
        for (int b = 0; b < count; b++) {
            int r = rows == null ? from + b : rows[from + b];
            System.arraycopy(data, r * inputs, bt.x, b * n, inputs);
            Arrays.fill(bt.x, b * n + inputs, b * n + n, 0f);
            bt.label[b] = labels == null ? -1 : labels[r] & 0xff;
        }
    }

    /** Algorithm 1's initial states (lines 2–6). */
    public void initialise(Batch bt) {
        for (int l = 0; l < layers; l++) {
            float[] sl = bt.s[l];
            for (int b = 0; b < bt.size; b++) {
                for (int i = 0; i < n; i++) {
                    float xi = bt.x[b * n + i];
                    float v = p.init() == Init.ZEROS ? 0f : xi;
                    if (p.states() == States.BINARY) {
                        v = p.init() == Init.ZEROS || i >= bt.inputs ? 0f : (xi + 1f) / 2f;
                    }
                    sl[b * n + i] = v;
                }
            }
        }
    }

    private boolean binary() {
        return p.states() == States.BINARY;
    }

    /** Σ_j J_ij of every unit of every layer (κ's J part), once per convergence or update step. */
    private double[][] rowSums() {
        double[][] r = new double[layers][n];
        for (int l = 0; l < layers; l++) {
            float[] jl = j[l];
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int c = 0; c < n; c++) {
                    sum += jl[i * n + c];
                }
                r[l][i] = sum;
            }
        }
        return r;
    }

    /**
     * κ_i^l of eq. 7.1 with the fields that are on: ½(Σ_j J_ij + J_D + left + right), where left is λ_IN on
     * the image's pixels of layer 1 (0 on padding) and λ_L^l elsewhere, right is λ_R^l when the right field
     * is on (never on layer L: its output field is not converted).
     */
    private float kappa(double rowSum, int l, boolean rightOn, boolean inputUnit, boolean includeSelf) {
        double left = l == 0 ? (inputUnit ? p.lambdaIn() : 0) : p.left()[l];
        double right = rightOn && l < layers - 1 ? p.right()[l] : 0;
        return (float) (0.5 * (rowSum + (includeSelf ? p.selfCoupling() : 0) + left + right));
    }

    /**
     * Runs the dynamics of eq. 6.1 (or 7.1) until every sample sits at a fixed point or tMax sweeps
     * (algorithm 2). {@code train}: right and output fields on (convergence step); otherwise off
     * (inference). {@code rng} orders the asynchronous updates. Returns the number of sweeps of the slowest
     * sample.
     */
    public int converge(Batch bt, boolean train, SplittableRandom rng) {
        long t0 = System.nanoTime();
        try {
            return relax(bt, train, rng);
        } finally {
            counters.convergeNanos += System.nanoTime() - t0;
        }
    }

    /** The dynamics themselves ({@link #converge} times them). */
    private int relax(Batch bt, boolean train, SplittableRandom rng) {
        int size = bt.size;
        for (int b = 0; b < size; b++) {
            bt.order[b] = b;
            bt.iterations[b] = p.tMax();
            bt.converged[b] = false;
        }
        float[][] kap = thresholds(bt, train);
        Arrays.fill(bt.stale, true);
        Arrays.fill(jtCurrent, false); // J may have changed since the last relaxation
        int active = size;
        int sweeps = 0;
        boolean[] changed = new boolean[size];
        for (int t = 1; t <= p.tMax() && active > 0; t++) {
            sweeps = t;
            Arrays.fill(changed, 0, active, false);
            switch (p.order()) {
                case LAYER_SEQUENTIAL_SYNC -> sweepSync(bt, active, train, kap, changed, true);
                case LAYER_INDEPENDENT_SYNC -> sweepSync(bt, active, train, kap, changed, false);
                case LAYER_SEQUENTIAL_ASYNC -> sweepAsync(bt, active, train, kap, changed, rng, true);
                case LAYER_INDEPENDENT_ASYNC -> sweepAsync(bt, active, train, kap, changed, rng, false);
            }
            // retire converged samples: swap them behind the active block
            for (int r = active - 1; r >= 0; r--) {
                if (!changed[r]) {
                    int sample = bt.order[r];
                    bt.iterations[sample] = t;
                    bt.converged[sample] = true;
                    active--;
                    if (r != active) {
                        swapColumns(bt, r, active);
                        boolean c = changed[r];
                        changed[r] = changed[active];
                        changed[active] = c;
                    }
                }
            }
        }
        restoreOrder(bt);
        return sweeps;
    }

    /** Per-layer thresholds κ (with J_D) for {0,1} states; on layer 1 the image's pixels and the padding differ. */
    private float[][] thresholds(Batch bt, boolean train) {
        float[][] kap = new float[layers][];
        if (!binary()) {
            return kap;
        }
        double[][] sums = rowSums();
        for (int l = 0; l < layers; l++) {
            kap[l] = new float[n];
            for (int i = 0; i < n; i++) {
                kap[l][i] = kappa(sums[l][i], l, train, i < bt.inputs, true);
            }
        }
        return kap;
    }

    private void swapColumns(Batch bt, int a, int c) {
        swap(bt.x, a, c, bt.col);
        for (int l = 0; l < layers; l++) {
            swap(bt.s[l], a, c, bt.col);
            swap(bt.recurrent[l], a, c, bt.col);
        }
        int t = bt.order[a];
        bt.order[a] = bt.order[c];
        bt.order[c] = t;
        int lab = bt.label[a];
        bt.label[a] = bt.label[c];
        bt.label[c] = lab;
    }

    private void swap(float[] m, int a, int c, float[] tmp) {
        System.arraycopy(m, a * n, tmp, 0, n);
        System.arraycopy(m, c * n, m, a * n, n);
        System.arraycopy(tmp, 0, m, c * n, n);
    }

    /** Puts columns back in the caller's sample order. */
    private void restoreOrder(Batch bt) {
        for (int r = 0; r < bt.size; r++) {
            while (bt.order[r] != r) {
                swapColumns(bt, r, bt.order[r]);
            }
        }
    }

    /** The field on unit i of layer l for working column b, from the given states (without J·s). */
    private float external(Batch bt, float[][] st, int l, int b, int i, boolean train) {
        float f = 0f;
        if (l == 0) {
            float xi = bt.x[b * n + i];
            f += (float) p.lambdaIn() * (binary() && i < bt.inputs ? (xi + 1f) / 2f : xi);
        } else {
            f += (float) p.left()[l] * st[l - 1][b * n + i];
        }
        if (train) {
            if (l < layers - 1) {
                f += (float) p.right()[l] * st[l + 1][b * n + i];
            } else if (bt.label[b] >= 0) {
                // λ_OUT W_back y for a one-hot y, halved for {0,1} states (eq. 7.1)
                f += (float) (binary() ? p.lambdaOut() / 2 : p.lambdaOut()) * back[i * p.classes() + bt.label[b]];
            }
        }
        return f;
    }

    private void sweepSync(Batch bt, int active, boolean train, float[][] kap, boolean[] changed,
                           boolean sequential) {
        float[][] src = bt.s;
        if (!sequential) {
            for (int l = 0; l < layers; l++) {
                System.arraycopy(bt.s[l], 0, bt.next[l], 0, active * n);
            }
            src = bt.next; // the previous sweep's states, read by every layer
        }
        float jd = (float) p.selfCoupling();
        for (int l = 0; l < layers; l++) {
            float[] h = bt.field;
            float[] g = bt.recurrent[l];
            if (bt.stale[l] || !incremental) {
                // g = J^l s^l, with s^l the layer's state before this sweep updates it (in either order); states
                // that start as the zero-padded input are zero past the first k units, and so are J's columns' terms
                int k = incremental ? support(src[l], active) : n;
                if (k == 0) {
                    Arrays.fill(g, 0, active * n, 0f);
                } else {
                    sgemm("T", "N", n, active, k, 1f, j[l], n, src[l], n, 0f, g, n);
                }
                bt.stale[l] = false;
            }
            bt.flips = 0;
            for (int b = 0; b < active; b++) {
                int o = b * n;
                for (int i = 0; i < n; i++) {
                    float v = g[o + i] + jd * src[l][o + i] + external(bt, src, l, b, i, train);
                    if (binary()) {
                        v -= kap[l][i];
                    }
                    h[o + i] = v;
                }
                changed[b] |= activate(l, h, o, bt.s[l], bt, b);
            }
            if ((long) bt.flips * INCREMENTAL_FRACTION > (long) active * n) {
                bt.stale[l] = true;
            } else if (bt.flips > 0) {
                addFlips(bt, l);
            }
        }
    }

    /** 1 + the largest unit index with a non-zero state in any of the first {@code active} columns (0: all zero). */
    private int support(float[] st, int active) {
        int k = 0;
        for (int b = 0; b < active && k < n; b++) {
            int o = b * n;
            for (int i = n - 1; i >= k; i--) {
                if (st[o + i] != 0f) {
                    k = i + 1;
                    break;
                }
            }
        }
        return k;
    }

    /** g^l += J^l δ over the recorded flips: each flip of unit c in column b adds δ_c times J's column c. */
    private void addFlips(Batch bt, int l) {
        if (!jtCurrent[l]) {
            if (jt[l] == null) {
                jt[l] = new float[n * n];
            }
            float[] t = jt[l];
            float[] jl = j[l];
            for (int i0 = 0; i0 < n; i0 += 64) { // in 64 × 64 tiles, which stay in cache both ways
                for (int c0 = 0; c0 < n; c0 += 64) {
                    for (int i = i0; i < Math.min(n, i0 + 64); i++) {
                        for (int c = c0; c < Math.min(n, c0 + 64); c++) {
                            t[c * n + i] = jl[i * n + c];
                        }
                    }
                }
            }
            jtCurrent[l] = true;
        }
        float[] t = jt[l];
        float[] g = bt.recurrent[l];
        for (int f = 0; f < bt.flips; f++) {
            int o = bt.flipColumn[f] * n;
            int c = bt.flipUnit[f] * n;
            float d = bt.flipDelta[f];
            for (int i = 0; i < n; i++) {
                g[o + i] += d * t[c + i];
            }
        }
    }

    /** Records that unit i of working column b changed by {@code delta} (for {@link #addFlips}). */
    private static void flip(Batch bt, int b, int i, float delta) {
        int f = bt.flips++;
        bt.flipColumn[f] = b;
        bt.flipUnit[f] = i;
        bt.flipDelta[f] = delta;
    }

    /**
     * New states of one layer of one sample from its fields {@code h[o..o+n)} (pre-threshold γ): sign for
     * ±1, θ(h − γ) for {0,1}, or the ⌊Nδ⌋ largest on a winner-takes-all layer; records each change as a flip of
     * working column b. Returns whether any changed.
     */
    private boolean activate(int l, float[] h, int o, float[] dst, Batch bt, int b) {
        boolean ch = false;
        if (p.wtaLayer(l)) {
            float cut = kthLargest(h, o, n, p.winners());
            int on = 0;
            int ties = 0;
            for (int i = 0; i < n; i++) {
                if (h[o + i] > cut) {
                    on++;
                } else if (h[o + i] == cut) {
                    ties++;
                }
            }
            int tiesOn = p.winners() - on; // ties broken by index, so exactly ⌊Nδ⌋ are on
            for (int i = 0; i < n; i++) {
                float v;
                if (h[o + i] > cut) {
                    v = 1f;
                } else if (h[o + i] == cut && tiesOn > 0) {
                    v = 1f;
                    tiesOn--;
                } else {
                    v = 0f;
                }
                if (dst[o + i] != v) {
                    ch = true;
                    flip(bt, b, i, v - dst[o + i]);
                    dst[o + i] = v;
                }
            }
            return ch;
        }
        float off = binary() ? 0f : -1f;
        float gamma = binary() && !(p.wta() && (l == 0 || l == layers - 1)) ? (float) p.gamma() : 0f;
        for (int i = 0; i < n; i++) {
            float v = h[o + i] - gamma >= 0f ? 1f : off;
            if (dst[o + i] != v) {
                ch = true;
                flip(bt, b, i, v - dst[o + i]);
                dst[o + i] = v;
            }
        }
        return ch;
    }

    private float[] scratch = new float[0];

    /** The k-th largest of h[o..o+len) (k ≥ 1; +∞ when k = 0), by quickselect on a reused copy: O(len). */
    float kthLargest(float[] h, int o, int len, int k) {
        if (k <= 0) {
            return Float.POSITIVE_INFINITY;
        }
        if (scratch.length < len) {
            scratch = new float[len];
        }
        float[] a = scratch;
        System.arraycopy(h, o, a, 0, len);
        return select(a, len, len - k);
    }

    /** The element of rank r (0-based, ascending) of a[0..len); a is permuted. */
    static float select(float[] a, int len, int r) {
        int lo = 0;
        int hi = len - 1;
        while (hi > lo) {
            // median of three as pivot, then Hoare partition
            int mid = (lo + hi) >>> 1;
            float x = a[lo];
            float y = a[mid];
            float z = a[hi];
            float pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (r <= j) {
                hi = j;
            } else if (r >= i) {
                lo = i;
            } else {
                return a[r];
            }
        }
        return a[r];
    }

    private void sweepAsync(Batch bt, int active, boolean train, float[][] kap, boolean[] changed,
                            SplittableRandom rng, boolean sequential) {
        float jd = (float) p.selfCoupling();
        int[] perm = new int[sequential ? n : n * layers];
        for (int b = 0; b < active; b++) {
            int o = b * n;
            for (int l0 = 0; l0 < (sequential ? layers : 1); l0++) {
                for (int q = 0; q < perm.length; q++) {
                    perm[q] = q;
                }
                org.engram.kernels.random.Shuffle.permutation(perm, perm.length, rng);
                for (int q : perm) {
                    int l = sequential ? l0 : q / n;
                    int i = sequential ? q : q % n;
                    float[] jl = j[l];
                    float[] sl = bt.s[l];
                    float v = 0f;
                    for (int c = 0; c < n; c++) {
                        v += jl[i * n + c] * sl[o + c];
                    }
                    v += jd * sl[o + i] + external(bt, bt.s, l, b, i, train);
                    if (binary()) {
                        v -= kap[l][i];
                    }
                    float gamma = binary() ? (float) p.gamma() : 0f;
                    float nv = v - gamma >= 0f ? 1f : (binary() ? 0f : -1f);
                    if (sl[o + i] != nv) {
                        sl[o + i] = nv;
                        changed[b] = true;
                    }
                }
            }
        }
    }

    /**
     * Algorithm 3 on a converged training batch: the perceptron rule with robustness ρ on every layer
     * (forward field only: λ_L^l s^{l−1} + J^l s^l, eq. 6.3), weight decay ξ, diagonal reset; then one
     * cross-entropy step of the readout (summed over the batch, as line 13).
     *
     * @return the fraction of (sample, unit) pairs that were unstable (InstabilityCond), per layer
     */
    public double[] update(Batch bt, double eta, double decay, double robustness, double readoutRate) {
        long t0 = System.nanoTime();
        try {
            return updateTimed(bt, eta, decay, robustness, readoutRate);
        } finally {
            counters.updateNanos += System.nanoTime() - t0;
        }
    }

    private double[] updateTimed(Batch bt, double eta, double decay, double robustness, double readoutRate) {
        int size = bt.size;
        double[] unstable = new double[layers];
        float[] h = bt.field;
        double[][] sums = binary() ? rowSums() : null;
        for (int l = 0; l < layers; l++) {
            float[] sl = bt.s[l];
            sgemm("T", "N", n, size, n, 1f, j[l], n, sl, n, 0f, h, n);
            float[] sigma = bt.next[l]; // ±1 images of the states, the learning rule's inputs
            long count = 0;
            float[] kap = binary() ? forwardThresholds(sums[l], l, bt.inputs) : null;
            for (int b = 0; b < size; b++) {
                int o = b * n;
                for (int i = 0; i < n; i++) {
                    float left = l == 0 ? bt.x[o + i] : bt.s[l - 1][o + i];
                    float lam = (float) p.left()[l];
                    float pre;
                    if (binary()) {
                        float leftZ = l == 0 ? (i < bt.inputs ? (left + 1f) / 2f : 0f) : left;
                        pre = h[o + i] + lam * leftZ - kap[i];
                    } else {
                        pre = h[o + i] + lam * left;
                    }
                    h[o + i] = pre;
                }
                if (binary()) {
                    float gamma = (float) p.gamma();
                    if (p.wtaLayer(l)) {
                        int k = p.winners();
                        float a = kthLargest(h, o, n, k);
                        float c = k < n ? kthLargest(h, o, n, k + 1) : a - 1f;
                        gamma = (a + c) / 2f;
                    } else if (p.wta()) {
                        gamma = 0f;
                    }
                    for (int i = 0; i < n; i++) {
                        float sg = 2f * sl[o + i] - 1f;
                        sigma[o + i] = sg;
                        h[o + i] = 2f * (h[o + i] - gamma); // back in ±1 units
                    }
                }
                for (int i = 0; i < n; i++) {
                    float si = binary() ? sigma[o + i] : sl[o + i];
                    boolean cond = h[o + i] * si <= robustness;
                    if (cond) {
                        count++;
                    }
                    h[o + i] = cond ? si : 0f; // U = s ⊙ InstabilityCond
                }
            }
            unstable[l] = count / (double) ((long) size * n);
            float[] src = binary() ? sigma : sl;
            sgemm("N", "T", n, n, size, (float) (eta / size), src, n, h, n, (float) (1 - eta * decay), j[l], n);
            zeroDiagonal(j[l]);
        }
        readoutStep(bt.s[layers - 1], size, bt.label, readoutRate);
        return unstable;
    }

    /** κ without the self-coupling and the right field: the forward-only threshold of eq. 6.3 in {0,1} units. */
    private float[] forwardThresholds(double[] sums, int l, int inputs) {
        float[] k = new float[n];
        for (int i = 0; i < n; i++) {
            k[i] = kappa(sums[i], l, false, i < inputs, false);
        }
        return k;
    }

    // ---- readout (eq. 6.2) ----

    private float[] logits = new float[0];

    /** Cross-entropy step of W_fwd on states {@code st} (column-major n × size); labels per column. */
    void readoutStep(float[] st, int size, int[] labels, double rate) {
        Readout.step(blas, fwd, p.classes(), n, st, size, labels, rate, logitsBuffer(size));
    }

    private float[] logitsBuffer(int size) {
        if (logits.length < p.classes() * size) {
            logits = new float[p.classes() * size];
        }
        return logits;
    }

    /** Predicted class per sample from layer L's states (eq. 6.2's argmax). */
    public void predict(Batch bt, int[] out) {
        Readout.predict(blas, fwd, p.classes(), n, bt.s[layers - 1], bt.size, out, logitsBuffer(bt.size));
    }

    /** Fraction of units on (+1 or 1) in layer l over the batch. */
    public double activity(Batch bt, int l) {
        long on = 0;
        float[] sl = bt.s[l];
        for (int i = 0; i < bt.size * n; i++) {
            if (sl[i] > 0f) {
                on++;
            }
        }
        return on / (double) ((long) bt.size * n);
    }
}
