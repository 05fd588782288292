package org.engram.kernels.mlcm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.engram.kernels.mlcm.Mlcm.Init;
import org.engram.kernels.mlcm.Mlcm.Order;
import org.engram.kernels.mlcm.Mlcm.Params;
import org.engram.kernels.mlcm.Mlcm.States;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

public class MlcmTest {
    static final double[] LEFT = {6, 4, 4, 4, 4};
    static final double[] RIGHT = {2, 2, 2, 2, 1.5};

    static Params params(int n, States states, double gamma, double delta, Order order) {
        return new Params(n, 5, 10, 0.1, LEFT, RIGHT, 6, 12, order, Init.INPUT, states, gamma, delta, 200);
    }

    /** rows × d random ±1 values (also used by the data package's tests). */
    public static float[] spins(int rows, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[rows * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextBoolean() ? 1f : -1f;
        }
        return x;
    }

    static byte[] labels(int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] y = new byte[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = (byte) r.nextInt(10);
        }
        return y;
    }

    /**
     * Eq. 6.1 written out literally, one sample at a time in double precision: layer-sequential
     * synchronous sweeps, J_D s_i, λ_IN x on layer 1, λ_L s^{l−1}, λ_R s^{l+1}, λ_OUT W_back y on layer L.
     */
    static int reference(Mlcm m, float[] x, int label, boolean train, double[][] s) {
        Params p = m.params();
        int n = p.n();
        for (int t = 1; t <= p.tMax(); t++) {
            boolean changed = false;
            for (int l = 0; l < p.layers(); l++) {
                double[] h = new double[n];
                for (int i = 0; i < n; i++) {
                    double f = 0;
                    for (int c = 0; c < n; c++) {
                        if (c != i) {
                            f += m.j[l][i * n + c] * s[l][c];
                        }
                    }
                    f += p.selfCoupling() * s[l][i];
                    f += l == 0 ? p.lambdaIn() * x[i] : p.left()[l] * s[l - 1][i];
                    if (train) {
                        f += l < p.layers() - 1 ? p.right()[l] * s[l + 1][i] : p.lambdaOut() * m.back[i * 10 + label];
                    }
                    h[i] = f;
                }
                for (int i = 0; i < n; i++) {
                    double v = h[i] >= 0 ? 1 : -1;
                    changed |= v != s[l][i];
                    s[l][i] = v;
                }
            }
            if (!changed) {
                return t;
            }
        }
        return p.tMax();
    }

    @Test
    void batchedDynamicsFollowEquation61SampleBySample() {
        int n = 60;
        int d = 40;
        int rows = 12;
        Mlcm m = new Mlcm(params(n, States.SPIN, 0, Double.NaN, Order.LAYER_SEQUENTIAL_SYNC), new SplittableRandom(3));
        float[] x = spins(rows, d, 5);
        byte[] y = labels(rows, 6);
        for (boolean train : new boolean[] {true, false}) {
            Mlcm.Batch bt = m.batch(rows);
            m.load(bt, x, d, null, 0, rows, y);
            m.initialise(bt);
            m.converge(bt, train, new SplittableRandom(1));
            int distinct = 0;
            for (int b = 0; b < rows; b++) {
                float[] xp = new float[n];
                System.arraycopy(x, b * d, xp, 0, d); // zero padding
                double[][] s = new double[5][n];
                for (double[] sl : s) {
                    for (int i = 0; i < n; i++) {
                        sl[i] = xp[i];
                    }
                }
                int it = reference(m, xp, y[b], train, s);
                assertEquals(it, bt.iterations[b], "sweeps of sample " + b);
                distinct += it;
                for (int l = 0; l < 5; l++) {
                    for (int i = 0; i < n; i++) {
                        assertEquals(s[l][i], bt.state(l, b, i), "layer " + l + " unit " + i + " sample " + b);
                    }
                }
            }
            assertTrue(distinct > rows, "samples should need more than one sweep");
        }
    }

    /** Configurations whose synchronous sweeps keep fields across sweeps: ±1 both orders, {0,1} with γ, WTA. */
    enum Sync {
        SPIN_SEQUENTIAL(States.SPIN, 0, Double.NaN, Order.LAYER_SEQUENTIAL_SYNC),
        SPIN_INDEPENDENT(States.SPIN, 0, Double.NaN, Order.LAYER_INDEPENDENT_SYNC),
        BINARY_GAMMA(States.BINARY, 0.1, Double.NaN, Order.LAYER_SEQUENTIAL_SYNC),
        BINARY_WTA(States.BINARY, 0, 0.2, Order.LAYER_SEQUENTIAL_SYNC);

        final States states;
        final double gamma;
        final double delta;
        final Order order;

        Sync(States states, double gamma, double delta, Order order) {
            this.states = states;
            this.gamma = gamma;
            this.delta = delta;
            this.order = order;
        }
    }

    /**
     * The fields kept across sweeps and updated by the flipped units' columns of J give the same relaxation as
     * multiplying J^l s^l afresh every sweep — same states and sweeps for every sample, training and inference,
     * over batches with training updates between them (so J's transposed copy must follow J) — for a fraction
     * of the multiply-adds.
     */
    @ParameterizedTest
    @EnumSource(Sync.class)
    void incrementalFieldsRelaxExactlyAsMultiplyingEverySweep(Sync c) {
        int n = 200;
        int d = 100; // zero-padded: the first sweep's product needs only the input's 100 columns
        int rows = 30;
        Params p = params(n, c.states, c.gamma, c.delta, c.order);
        Mlcm inc = new Mlcm(p, new SplittableRandom(31));
        Mlcm full = new Mlcm(p, new SplittableRandom(31));
        full.incrementalFields(false);
        float[] x = spins(rows * 4, d, 32);
        byte[] y = labels(rows * 4, 33);
        Mlcm.Batch bi = inc.batch(rows);
        Mlcm.Batch bf = full.batch(rows);
        long sweeps = 0;
        for (int batch = 0; batch < 4; batch++) {
            for (boolean train : new boolean[] {true, false}) {
                inc.load(bi, x, d, null, batch * rows, rows, y);
                full.load(bf, x, d, null, batch * rows, rows, y);
                inc.initialise(bi);
                full.initialise(bf);
                inc.converge(bi, train, new SplittableRandom(5));
                full.converge(bf, train, new SplittableRandom(5));
                String where = c + ", batch " + batch + (train ? ", training" : ", inference");
                assertArrayEquals(Arrays.copyOf(bf.iterations, rows), Arrays.copyOf(bi.iterations, rows), where);
                for (int l = 0; l < 5; l++) {
                    assertArrayEquals(bf.s[l], bi.s[l], where + ", layer " + (l + 1));
                }
                for (int b = 0; b < rows; b++) {
                    sweeps += bi.iterations[b];
                }
                if (train) {
                    inc.update(bi, 0.05, 1e-3, 0.5, 1e-3);
                    full.update(bf, 0.05, 1e-3, 0.5, 1e-3);
                    for (int l = 0; l < 5; l++) {
                        assertArrayEquals(full.j[l], inc.j[l], where + ", J^" + (l + 1));
                    }
                }
            }
        }
        assertTrue(sweeps > 2L * 8 * rows, "the samples should relax over several sweeps: " + sweeps);
        assertTrue(inc.counters.gemmFlops < 0.6 * full.counters.gemmFlops, "flip updates should replace most "
                + "products: " + inc.counters.gemmFlops + " against " + full.counters.gemmFlops + " flops");
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void zeroOneStatesAtGammaZeroGiveExactlyTheSpinDynamicsAndTraining(Order order) {
        int n = 50;
        int rows = 16;
        Params spin = params(n, States.SPIN, 0, Double.NaN, order);
        Params bin = params(n, States.BINARY, 0, Double.NaN, order);
        Mlcm a = new Mlcm(spin, new SplittableRandom(11));
        Mlcm b = new Mlcm(bin, new SplittableRandom(11));
        float[] x = spins(rows * 3, n, 12); // no padding: "input" initial states map one to one
        byte[] y = labels(rows * 3, 13);
        Mlcm.Batch ba = a.batch(rows);
        Mlcm.Batch bb = b.batch(rows);
        long active = 0;
        for (int batch = 0; batch < 3; batch++) {
            for (boolean train : new boolean[] {true, false}) {
                a.load(ba, x, n, null, batch * rows, rows, y);
                b.load(bb, x, n, null, batch * rows, rows, y);
                a.initialise(ba);
                b.initialise(bb);
                a.converge(ba, train, new SplittableRandom(7));
                b.converge(bb, train, new SplittableRandom(7));
                assertArrayEquals(Arrays.copyOf(ba.iterations, rows), Arrays.copyOf(bb.iterations, rows));
                for (int l = 0; l < 5; l++) {
                    for (int k = 0; k < rows * n; k++) {
                        assertEquals((ba.s[l][k] + 1f) / 2f, bb.s[l][k], "layer " + l + " entry " + k);
                        active += bb.s[l][k] > 0 ? 1 : 0;
                    }
                }
                if (train) {
                    a.update(ba, 0.05, 1e-3, 0.5, 1e-3);
                    b.update(bb, 0.05, 1e-3, 0.5, 1e-3);
                    for (int l = 0; l < 5; l++) {
                        assertArrayEquals(a.j[l], b.j[l], 1e-5f, "J^" + (l + 1) + " after a training step");
                    }
                }
            }
        }
        assertTrue(active > 0.3 * 6 * 5 * rows * n && active < 0.7 * 6 * 5 * rows * n, "activity " + active);
    }

    @Test
    void aThresholdLowersTheActivityOfTheMiddleLayers() {
        int n = 80;
        int rows = 40;
        float[] x = spins(rows, 60, 21);
        byte[] y = labels(rows, 22);
        double[] mid = new double[2];
        int g = 0;
        for (double gamma : new double[] {0, 1.0}) {
            Mlcm m = new Mlcm(params(n, States.BINARY, gamma, Double.NaN, Order.LAYER_SEQUENTIAL_SYNC),
                    new SplittableRandom(4));
            Mlcm.Batch bt = m.batch(rows);
            m.load(bt, x, 60, null, 0, rows, y);
            m.initialise(bt);
            m.converge(bt, true, new SplittableRandom(1));
            mid[g++] = (m.activity(bt, 1) + m.activity(bt, 2) + m.activity(bt, 3)) / 3;
        }
        assertTrue(mid[1] < mid[0] - 0.01, "γ = 1 should switch units off: " + Arrays.toString(mid));
    }

    @Test
    void winnerTakesAllKeepsExactlyFloorNDeltaUnitsOnInTheMiddleLayers() {
        int n = 101;
        int rows = 20;
        double delta = 0.35; // ⌊101 · 0.35⌋ = 35
        Mlcm m = new Mlcm(params(n, States.BINARY, 0, delta, Order.LAYER_SEQUENTIAL_SYNC), new SplittableRandom(8));
        assertEquals(35, m.params().winners());
        float[] x = spins(rows, 70, 9);
        byte[] y = labels(rows, 10);
        Mlcm.Batch bt = m.batch(rows);
        for (boolean train : new boolean[] {true, false}) {
            m.load(bt, x, 70, null, 0, rows, y);
            m.initialise(bt);
            m.converge(bt, train, new SplittableRandom(2));
            for (int b = 0; b < rows; b++) {
                for (int l = 1; l <= 3; l++) {
                    int on = 0;
                    for (int i = 0; i < n; i++) {
                        on += bt.state(l, b, i) > 0 ? 1 : 0;
                    }
                    assertEquals(35, on, "layer " + (l + 1) + " of sample " + b);
                }
            }
        }
        // the update step runs on WTA layers too
        m.load(bt, x, 70, null, 0, rows, y);
        m.initialise(bt);
        m.converge(bt, true, new SplittableRandom(2));
        double[] unstable = m.update(bt, 0.05, 0, 0.5, 1e-3);
        double middle = unstable[1] + unstable[2] + unstable[3];
        assertTrue(middle > 0 && middle < 3, Arrays.toString(unstable));
    }

    @Test
    void quickselectAgreesWithSorting() {
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            int len = 1 + r.nextInt(300);
            float[] a = new float[len];
            for (int i = 0; i < len; i++) {
                a[i] = trial % 2 == 0 ? r.nextInt(7) : (float) r.nextGaussian(); // many ties, or none
            }
            float[] sorted = a.clone();
            Arrays.sort(sorted);
            int rank = r.nextInt(len);
            assertEquals(sorted[rank], Mlcm.select(a.clone(), len, rank), "len " + len + " rank " + rank);
        }
    }

    @Test
    void convergenceIsDetectedAndACycleRunsToTmax() {
        // one layer, no couplings: the input field alone fixes the state in one sweep, confirmed by a second
        Params fixed = new Params(4, 1, 2, 0, new double[] {1}, new double[] {0}, 1, 0, Order.LAYER_SEQUENTIAL_SYNC,
                Init.ZEROS, States.SPIN, 0, Double.NaN, 50);
        Mlcm m = new Mlcm(fixed, new SplittableRandom(1));
        Arrays.fill(m.j[0], 0f);
        Mlcm.Batch bt = m.batch(1);
        m.load(bt, new float[] {1, -1, 1, -1}, 4, null, 0, 1, null);
        m.initialise(bt);
        assertEquals(2, m.converge(bt, false, new SplittableRandom(1)));
        assertTrue(bt.converged[0]);
        assertEquals(2, bt.iterations[0]);
        assertEquals(-1f, bt.state(0, 0, 1));
        // J_01 = 1, J_10 = −1: a period-4 cycle of synchronous updates, never a fixed point
        Params cyc = new Params(2, 1, 2, 0, new double[] {1}, new double[] {0}, 0, 0, Order.LAYER_SEQUENTIAL_SYNC,
                Init.INPUT, States.SPIN, 0, Double.NaN, 37);
        Mlcm c = new Mlcm(cyc, new SplittableRandom(1));
        c.j[0][1] = 1f;
        c.j[0][2] = -1f;
        Mlcm.Batch cb = c.batch(1);
        c.load(cb, new float[] {1, 1}, 2, null, 0, 1, null);
        c.initialise(cb);
        assertEquals(37, c.converge(cb, false, new SplittableRandom(1)));
        assertFalse(cb.converged[0]);
        assertEquals(37, cb.iterations[0]);
    }

    @Test
    void thePerceptronRuleMovesAnUnstableNeuronTowardsStability() {
        int n = 40;
        Params p = new Params(n, 2, 10, 0.1, new double[] {6, 4}, new double[] {2, 1.5}, 6, 12,
                Order.LAYER_SEQUENTIAL_SYNC, Init.INPUT, States.SPIN, 0, Double.NaN, 100);
        Mlcm m = new Mlcm(p, new SplittableRandom(31));
        Mlcm.Batch bt = m.batch(1);
        m.load(bt, spins(1, n, 32), n, null, 0, 1, new byte[] {3});
        m.initialise(bt);
        m.converge(bt, true, new SplittableRandom(1));
        double rho = 2.0;
        double[] before = stability(m, bt, 1);
        float[] s = Arrays.copyOf(bt.s[1], n);
        m.update(bt, 0.05, 0, rho, 0);
        // fields recomputed with the same (fixed) states: h_i s_i must rise for every unstable neuron
        Arrays.fill(bt.s[1], 0, n, 0f);
        System.arraycopy(s, 0, bt.s[1], 0, n);
        double[] after = stability(m, bt, 1);
        int unstable = 0;
        for (int i = 0; i < n; i++) {
            if (before[i] <= rho) {
                unstable++;
                assertTrue(after[i] > before[i], "neuron " + i + ": " + before[i] + " → " + after[i]);
            }
        }
        assertTrue(unstable > 0, "the case must have an unstable neuron");
    }

    @Test
    void theUpdateOfABatchIsThePerceptronRuleWrittenOut() {
        // algorithm 1's update, per layer l, over a batch of B samples (spins, robustness ρ, rate η, decay ξ):
        //   U_i^b = s_i^b if s_i^b (λ_L[l] left_i^b + Σ_c J_ic s_c^b) ≤ ρ, else 0   (left = x for l = 0, s^{l−1} else)
        //   J_ic ← (1 − η ξ) J_ic + (η / B) Σ_b U_i^b s_c^b,   J_ii = 0
        // i is the postsynaptic unit (the row whose field it is): an unstable unit learns from its inputs c
        int n = 24;
        int batch = 5;
        double eta = 0.07;
        double decay = 0.3;
        double rho = 1.5;
        Params p = new Params(n, 3, 10, 0.1, new double[] {6, 4, 4}, new double[] {2, 2, 1.5}, 6, 12,
                Order.LAYER_SEQUENTIAL_SYNC, Init.INPUT, States.SPIN, 0, Double.NaN, 40);
        Mlcm m = new Mlcm(p, new SplittableRandom(5));
        Mlcm.Batch bt = m.batch(batch);
        m.load(bt, spins(batch, n, 6), n, null, 0, batch, labels(batch, 7));
        m.initialise(bt);
        m.converge(bt, true, new SplittableRandom(8));
        float[][] before = new float[3][];
        float[][] s = new float[3][];
        for (int l = 0; l < 3; l++) {
            before[l] = m.j[l].clone();
            s[l] = bt.s[l].clone();
        }
        float[] x = bt.x.clone();
        m.update(bt, eta, decay, rho, 0);
        int stableRows = 0;
        int unstableRows = 0;
        for (int l = 0; l < 3; l++) {
            for (int i = 0; i < n; i++) {
                double[] delta = new double[n];
                boolean any = false;
                for (int b = 0; b < batch; b++) {
                    double h = p.left()[l] * (l == 0 ? x[b * n + i] : s[l - 1][b * n + i]);
                    for (int c = 0; c < n; c++) {
                        h += before[l][i * n + c] * s[l][b * n + c];
                    }
                    if (h * s[l][b * n + i] <= rho) {
                        any = true;
                        for (int c = 0; c < n; c++) {
                            delta[c] += eta / batch * s[l][b * n + i] * s[l][b * n + c];
                        }
                    }
                }
                if (any) {
                    unstableRows++;
                } else {
                    stableRows++;
                }
                for (int c = 0; c < n; c++) {
                    double want = c == i ? 0 : (1 - eta * decay) * before[l][i * n + c] + delta[c];
                    assertEquals(want, m.j[l][i * n + c], 1e-5, "layer " + l + ", J_" + i + "," + c
                            + (any ? "" : " (a unit stable in every sample: decay only)"));
                }
            }
        }
        assertTrue(stableRows > 0 && unstableRows > 0, "both kinds of unit occur: " + stableRows + " stable, "
                + unstableRows + " unstable");
    }

    /** s_i (λ_L s^{l−1}_i + Σ_j J_ij s_j): the forward stability of eq. 6.3. */
    static double[] stability(Mlcm m, Mlcm.Batch bt, int l) {
        int n = m.params().n();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double h = m.params().left()[l] * bt.state(l - 1, 0, i);
            for (int c = 0; c < n; c++) {
                h += m.j[l][i * n + c] * bt.state(l, 0, c);
            }
            out[i] = h * bt.state(l, 0, i);
        }
        return out;
    }

    @Test
    void sameSeedGivesIdenticalTrainingAndLearningBeatsChance() {
        int n = 64;
        int rows = 1100;
        // a learnable task: the label is which of 4 prototypes a noisy pattern comes from
        SplittableRandom r = new SplittableRandom(5);
        float[][] proto = new float[4][48];
        for (float[] pr : proto) {
            for (int i = 0; i < 48; i++) {
                pr[i] = r.nextBoolean() ? 1f : -1f;
            }
        }
        float[] x = new float[rows * 48];
        byte[] y = new byte[rows];
        for (int k = 0; k < rows; k++) {
            y[k] = (byte) r.nextInt(4);
            for (int i = 0; i < 48; i++) {
                x[k * 48 + i] = r.nextDouble() < 0.25 ? -proto[y[k]][i] : proto[y[k]][i];
            }
        }
        double[] acc = new double[2];
        float[][] j = new float[2][];
        for (int run = 0; run < 2; run++) {
            Params p = new Params(n, 3, 4, 0.1, new double[] {6, 4, 4}, new double[] {2, 2, 1.5}, 6, 12,
                    Order.LAYER_SEQUENTIAL_SYNC, Init.INPUT, States.SPIN, 0, Double.NaN, 100);
            Mlcm m = new Mlcm(p, new SplittableRandom(77));
            // η of order 1/√N·(a few): J must grow to compete with the λ_L = 4 chain field
            MlcmTrainer t = new MlcmTrainer(m, new MlcmTrainer.Settings(20, 0.1, 1e-3, 0.5, 1e-3));
            SplittableRandom rng = new SplittableRandom(78);
            int[] order = new int[1000];
            for (int e = 0; e < 4; e++) {
                t.epoch(x, 48, y, 1000, order, rng);
            }
            float[] val = Arrays.copyOfRange(x, 1000 * 48, rows * 48);
            byte[] vy = Arrays.copyOfRange(y, 1000, rows);
            acc[run] = t.evaluate(val, 48, vy, 100, rng).accuracy();
            j[run] = m.j[1];
        }
        assertArrayEquals(j[0], j[1]);
        assertEquals(acc[0], acc[1]);
        assertTrue(acc[0] > 0.6, "4 classes, chance 0.25: accuracy " + acc[0]);
    }
    @Test
    void inferenceStatesAreTheFixedPointsTheReadoutPredictsFrom() {
        int n = 96;
        int rows = 130; // not a multiple of the batch
        float[] x = spins(rows, 70, 3);
        byte[] y = labels(rows, 4);
        Params p = new Params(n, 3, 10, 0.1, new double[] {6, 4, 4}, new double[] {2, 2, 1.5}, 6, 12,
                Order.LAYER_SEQUENTIAL_SYNC, Init.INPUT, States.SPIN, 0, Double.NaN, 100);
        Mlcm m = new Mlcm(p, new SplittableRandom(9));
        SplittableRandom w = new SplittableRandom(10);
        for (int i = 0; i < m.fwd.length; i++) {
            m.fwd[i] = (float) w.nextGaussian();
        }
        MlcmTrainer t = new MlcmTrainer(m, new MlcmTrainer.Settings(32, 0.05, 1e-3, 1, 1e-3));
        MlcmTrainer.Pass eval = t.evaluate(x, 70, y, rows, new SplittableRandom(1));
        MlcmTrainer.States st = t.inferenceStates(x, 70, rows, new SplittableRandom(1), r -> { });
        assertEquals(rows, st.count());
        assertEquals(rows * n, st.s().length);
        for (float v : st.s()) {
            assertEquals(1f, Math.abs(v), "±1 fixed points");
        }
        // the readout's accuracy on the copied states is the inference pass's, to the sample
        double acc = Readout.accuracy(dev.ludovic.netlib.blas.BLAS.getInstance(), m.fwd, 10, n, st.s(), y, rows, 7,
                new float[n * 7], new int[7], new float[10 * 7]);
        assertEquals(eval.accuracy(), acc, 0);
        assertTrue(Double.isNaN(st.pass().accuracy()));
        assertEquals(eval.meanSweeps(), st.pass().meanSweeps(), 0);
        assertArrayEquals(eval.activity(), st.pass().activity(), 0);
        // row r is sample r's layer-L state: one sample alone relaxes to the same point
        Mlcm.Batch bt = m.batch(1);
        m.load(bt, x, 70, null, 57, 1, null);
        m.initialise(bt);
        m.converge(bt, false, new SplittableRandom(1));
        for (int i = 0; i < n; i++) {
            assertEquals(bt.state(2, 0, i), st.s()[57 * n + i]);
        }
    }
}
