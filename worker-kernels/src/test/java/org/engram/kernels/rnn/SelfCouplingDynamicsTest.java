package org.engram.kernels.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SelfCouplingDynamicsTest {

    @ParameterizedTest
    @ValueSource(ints = {2, 63, 64, 65, 200, 1000})
    void regeneratedCouplingsEqualMaterialisedOnes(int n) {
        PackedCouplings m = PackedCouplings.materialised(n, 42);
        PackedCouplings r = PackedCouplings.regenerated(n, 42);
        long[] a = new long[m.words()];
        long[] b = new long[m.words()];
        for (int i = 0; i < n; i++) {
            m.fillRow(i, a, 0);
            r.fillRow(i, b, 0);
            assertArrayEquals(a, b, "row " + i);
            for (int w = 0; w < m.words(); w++) {
                assertEquals(m.word(i, w), r.word(i, w));
            }
            if ((n & 63) != 0) {
                assertEquals(0L, a[a.length - 1] >>> (n & 63), "padding bits must be zero");
            }
        }
        long ups = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                ups += m.sign(i, j) > 0 ? 1 : 0;
            }
        }
        // ±1 with probability 1/2: the count of +1 is within 5 standard deviations of n²/2
        double sd = Math.sqrt(n * (double) n) / 2;
        assertTrue(Math.abs(ups - n * (double) n / 2) < 5 * sd + 1, "fraction of +1 entries " + ups);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 65, 128, 999})
    void packedFieldsEqualDenseFieldsExactly(int n) {
        PackedCouplings j = PackedCouplings.materialised(n, 7);
        FloatSelfCoupling dense = new FloatSelfCoupling(j);
        SplittableRandom rng = new SplittableRandom(3);
        int[] packed = new int[n];
        float[] ref = new float[n];
        for (int rep = 0; rep < 5; rep++) {
            long[] s = SpinStates.random(n, rng);
            SelfCouplingDynamics.fields(j, s, packed);
            dense.fields(SpinStates.toFloats(s, n), ref);
            for (int i = 0; i < n; i++) {
                assertEquals((int) ref[i], packed[i], "field " + i);
            }
            SelfCouplingDynamics.fields(PackedCouplings.regenerated(n, 7), s, packed);
            for (int i = 0; i < n; i++) {
                assertEquals((int) ref[i], packed[i], "regenerated field " + i);
            }
        }
    }

    @Test
    void threadedFieldsAndTrajectoriesEqualSingleThreadedOnes() {
        int n = 777;
        PackedCouplings j = PackedCouplings.regenerated(n, 3);
        SplittableRandom rng = new SplittableRandom(12);
        long[][] s = new long[5][];
        long[][] t = new long[5][];
        for (int k = 0; k < 5; k++) {
            s[k] = SpinStates.random(n, rng);
            t[k] = s[k].clone();
        }
        int[][] a = new int[5][n];
        int[][] b = new int[5][n];
        SelfCouplingDynamics.fields(j, s, a, 1);
        SelfCouplingDynamics.fields(j, s, b, 3);
        for (int k = 0; k < 5; k++) {
            assertArrayEquals(a[k], b[k]);
        }
        double[] jd = {0.2, 0.6, 1.0, 1.4, 1.8};
        Trajectory[] one = SelfCouplingDynamics.run(j, jd, s, 100, SpinUpdate.SYNCHRONOUS, FieldUpdate.ADAPTIVE, null, 1);
        Trajectory[] three = SelfCouplingDynamics.run(j, jd, t, 100, SpinUpdate.SYNCHRONOUS, FieldUpdate.ADAPTIVE, null, 3);
        assertArrayEquals(one, three);
    }

    @Test
    void incrementalFieldsEqualFullRecompute() {
        int n = 300;
        SplittableRandom rng = new SplittableRandom(11);
        for (PackedCouplings j : new PackedCouplings[] {PackedCouplings.materialised(n, 5),
                PackedCouplings.regenerated(n, 5)}) {
            long[][] s = {SpinStates.random(n, rng)};
            int[][] m = new int[1][n];
            SelfCouplingDynamics.fields(j, s[0], m[0]);
            int[][] flips = new int[1][n];
            int[] count = new int[1];
            for (int q = 0; q < 17; q++) {
                int i = rng.nextInt(n);
                boolean dup = false;
                for (int r = 0; r < count[0]; r++) {
                    dup |= flips[0][r] == i;
                }
                if (!dup) {
                    flips[0][count[0]++] = i;
                    SpinStates.flip(s[0], i);
                }
            }
            SelfCouplingDynamics.incrementalFields(j, s, m, flips, count, new int[] {0}, 1);
            int[] full = new int[n];
            SelfCouplingDynamics.fields(j, s[0], full);
            assertArrayEquals(full, m[0]);
        }
    }

    @Test
    void fieldUpdateModesGiveIdenticalTrajectories() {
        int n = 500;
        PackedCouplings j = PackedCouplings.materialised(n, 9);
        double[] jd = {0.3, 0.8, 1.2, 1.6, 2.0, 3.0};
        List<Trajectory[]> runs = new ArrayList<>();
        List<long[][]> finals = new ArrayList<>();
        for (FieldUpdate mode : FieldUpdate.values()) {
            SplittableRandom rng = new SplittableRandom(1);
            long[][] s = new long[jd.length][];
            for (int k = 0; k < jd.length; k++) {
                s[k] = SpinStates.random(n, rng);
            }
            runs.add(SelfCouplingDynamics.run(j, jd, s, 200, SpinUpdate.SYNCHRONOUS, mode, null));
            finals.add(s);
        }
        for (int r = 1; r < runs.size(); r++) {
            assertArrayEquals(runs.get(0), runs.get(r));
            for (int k = 0; k < jd.length; k++) {
                assertArrayEquals(finals.get(0)[k], finals.get(r)[k]);
            }
        }
    }

    @Test
    void hugeSelfCouplingMakesEveryStateAFixedPointAfterOneSweep() {
        int n = 256;
        PackedCouplings j = PackedCouplings.materialised(n, 1);
        SplittableRandom rng = new SplittableRandom(2);
        for (SpinUpdate u : SpinUpdate.values()) {
            long[][] s = new long[8][];
            long[][] copy = new long[8][];
            double[] jd = new double[8];
            for (int k = 0; k < 8; k++) {
                s[k] = SpinStates.random(n, rng);
                copy[k] = s[k].clone();
                jd[k] = 1000;
            }
            Trajectory[] t = SelfCouplingDynamics.run(j, jd, s, 50, u, FieldUpdate.ADAPTIVE, new SplittableRandom(4));
            for (int k = 0; k < 8; k++) {
                assertEquals(Outcome.FIXED_POINT, t[k].outcome());
                assertEquals(1, t[k].iterations());
                assertArrayEquals(copy[k], s[k]);
            }
        }
    }

    /** Brute force: every state of the trajectory kept, first repeat found by comparison. */
    private static Trajectory bruteForce(FloatSelfCoupling dense, float[] s, double jd, int maxSteps) {
        int n = dense.n();
        List<float[]> history = new ArrayList<>();
        history.add(s.clone());
        float[] scratch = new float[n];
        for (int t = 0; t < maxSteps; t++) {
            dense.sweep(s, jd, scratch);
            for (int p = history.size() - 1; p >= 0; p--) {
                if (java.util.Arrays.equals(history.get(p), s)) {
                    int period = history.size() - p;
                    int ups = 0;
                    for (float v : s) {
                        ups += v > 0 ? 1 : 0;
                    }
                    double mag = (2.0 * ups - n) / n;
                    return period == 1
                            ? new Trajectory(Outcome.FIXED_POINT, t + 1, 1, mag, ups == 0 || ups == n)
                            : new Trajectory(Outcome.CYCLE, t + 1, period, mag, false);
                }
            }
            history.add(s.clone());
        }
        int ups = 0;
        for (float v : s) {
            ups += v > 0 ? 1 : 0;
        }
        return new Trajectory(Outcome.TIMEOUT, maxSteps, 0, (2.0 * ups - n) / n, false);
    }

    @Test
    void convergenceDetectionAgreesWithBruteForceOnSmallNetworks() {
        int seen = 0;
        int[] outcomes = new int[Outcome.values().length];
        for (int n : new int[] {12, 40, 100}) {
            PackedCouplings j = PackedCouplings.materialised(n, n);
            FloatSelfCoupling dense = new FloatSelfCoupling(j);
            SplittableRandom rng = new SplittableRandom(n);
            double[] jd = new double[40];
            long[][] s = new long[40][];
            float[][] f = new float[40][];
            for (int k = 0; k < 40; k++) {
                jd[k] = 0.05 * k;
                s[k] = SpinStates.random(n, rng);
                f[k] = SpinStates.toFloats(s[k], n);
            }
            Trajectory[] t = SelfCouplingDynamics.run(j, jd, s, 60, SpinUpdate.SYNCHRONOUS, FieldUpdate.ADAPTIVE, null);
            for (int k = 0; k < 40; k++) {
                Trajectory expected = bruteForce(dense, f[k], jd[k], 60);
                assertEquals(expected.outcome(), t[k].outcome(), "n=" + n + " k=" + k);
                assertEquals(expected.iterations(), t[k].iterations(), "n=" + n + " k=" + k);
                assertEquals(expected.period(), t[k].period(), "n=" + n + " k=" + k);
                assertEquals(expected.magnetisation(), t[k].magnetisation(), 0.0);
                outcomes[t[k].outcome().ordinal()]++;
                seen++;
            }
        }
        assertEquals(120, seen);
        // the J_D range spans both regimes: some fixed points and some cycles must occur
        assertTrue(outcomes[Outcome.FIXED_POINT.ordinal()] > 0 && outcomes[Outcome.CYCLE.ordinal()] > 0,
                java.util.Arrays.toString(outcomes));
    }

    @Test
    void statesAdvancedTogetherEqualStatesAdvancedAlone() {
        int n = 400;
        PackedCouplings j = PackedCouplings.regenerated(n, 21);
        SplittableRandom rng = new SplittableRandom(8);
        double[] jd = {0.5, 1.0, 1.5, 2.5};
        long[][] s = new long[4][];
        long[][] alone = new long[4][];
        for (int k = 0; k < 4; k++) {
            s[k] = SpinStates.random(n, rng);
            alone[k] = s[k].clone();
        }
        Trajectory[] together = SelfCouplingDynamics.run(j, jd, s, 100, SpinUpdate.SYNCHRONOUS, FieldUpdate.ADAPTIVE, null);
        for (int k = 0; k < 4; k++) {
            Trajectory[] one = SelfCouplingDynamics.run(j, new double[] {jd[k]}, new long[][] {alone[k]}, 100,
                    SpinUpdate.SYNCHRONOUS, FieldUpdate.FULL, null);
            assertEquals(together[k], one[0]);
            assertArrayEquals(s[k], alone[k]);
        }
    }

    @Test
    void asynchronousFixedPointsAreFixedPointsOfTheMap() {
        int n = 200;
        PackedCouplings j = PackedCouplings.materialised(n, 13);
        SplittableRandom rng = new SplittableRandom(5);
        long[][] s = new long[6][];
        double[] jd = new double[6];
        for (int k = 0; k < 6; k++) {
            s[k] = SpinStates.random(n, rng);
            jd[k] = 0.2 + 0.3 * k;
        }
        Trajectory[] t = SelfCouplingDynamics.run(j, jd, s, 500, SpinUpdate.ASYNCHRONOUS, FieldUpdate.ADAPTIVE, rng);
        int fixed = 0;
        int[] m = new int[n];
        for (int k = 0; k < 6; k++) {
            if (t[k].converged()) {
                fixed++;
                SelfCouplingDynamics.fields(j, s[k], m);
                for (int i = 0; i < n; i++) {
                    int si = SpinStates.get(s[k], i);
                    double v = m[i] + jd[k] * Math.sqrt(n) * si;
                    assertEquals(si, v >= 0 ? 1 : -1, "spin " + i + " of state " + k + " would flip");
                }
            }
        }
        assertTrue(fixed >= 4, "asynchronous dynamics with J_D ≥ 0.5 converges, got " + fixed);
    }

    @Test
    void rejectsMismatchedArguments() {
        PackedCouplings j = PackedCouplings.materialised(64, 1);
        assertThrows(IllegalArgumentException.class, () -> SelfCouplingDynamics.run(j, new double[2],
                new long[][] {new long[1]}, 10, SpinUpdate.SYNCHRONOUS, FieldUpdate.FULL, null));
        assertThrows(IllegalArgumentException.class, () -> SelfCouplingDynamics.run(j, new double[1],
                new long[][] {new long[1]}, 0, SpinUpdate.SYNCHRONOUS, FieldUpdate.FULL, null));
        assertThrows(IllegalArgumentException.class, () -> SelfCouplingDynamics.run(j, new double[1],
                new long[][] {new long[2]}, 10, SpinUpdate.SYNCHRONOUS, FieldUpdate.FULL, null));
        assertThrows(IllegalArgumentException.class, () -> PackedCouplings.materialised(1, 0));
    }
}
