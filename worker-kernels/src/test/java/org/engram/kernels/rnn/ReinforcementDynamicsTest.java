package org.engram.kernels.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReinforcementDynamicsTest {

    @Test
    void reinforcementHasExactlyRoundNToTheDDistinctOffDiagonalEntries() {
        for (double d : new double[] {1.0, 1.3, 1.7, 1.95}) {
            int n = 60;
            SparseReinforcement a = SparseReinforcement.draw(n, d, 0.5, new SplittableRandom(1));
            assertEquals(Math.round(Math.pow(n, d)), a.nonZeros(), "d = " + d);
            Set<Long> positions = new HashSet<>();
            for (int i = 0; i < n; i++) {
                assertEquals(0f, a.get(i, i));
                for (int j = 0; j < n; j++) {
                    if (a.get(i, j) != 0f) {
                        assertEquals(0.5f, a.get(i, j));
                        positions.add((long) i * n + j);
                    }
                }
            }
            assertEquals(a.nonZeros(), positions.size());
        }
    }

    /** Straightforward reference: dense J + A, one state at a time, every state kept. */
    private static Trajectory reference(float[] j, SparseReinforcement a, float[] s, int maxSteps) {
        int n = s.length;
        java.util.List<float[]> hist = new java.util.ArrayList<>();
        hist.add(s.clone());
        for (int t = 0; t < maxSteps; t++) {
            float[] next = new float[n];
            for (int i = 0; i < n; i++) {
                float acc = 0f;
                for (int c = 0; c < n; c++) {
                    acc += (j[i + c * n] + (a == null ? 0f : a.get(i, c))) * s[c];
                }
                next[i] = acc >= 0 ? 1f : -1f;
            }
            s = next;
            for (int p = hist.size() - 1; p >= 0; p--) {
                if (java.util.Arrays.equals(hist.get(p), s)) {
                    int ups = 0;
                    for (float v : s) {
                        ups += v > 0 ? 1 : 0;
                    }
                    int period = hist.size() - p;
                    return new Trajectory(period == 1 ? Outcome.FIXED_POINT : Outcome.CYCLE, t + 1, period,
                            (2.0 * ups - n) / n, period == 1 && (ups == 0 || ups == n));
                }
            }
            hist.add(s);
        }
        int ups = 0;
        for (float v : s) {
            ups += v > 0 ? 1 : 0;
        }
        return new Trajectory(Outcome.TIMEOUT, maxSteps, 0, (2.0 * ups - n) / n, false);
    }

    @Test
    void batchedGemmDynamicsAgreesWithTheReferenceLoop() {
        int n = 24;
        int agree = 0;
        int total = 0;
        for (double d : new double[] {1.1, 1.5, 1.8}) {
            for (double av : new double[] {0.05, 0.3, 1.0}) {
                SplittableRandom rng = new SplittableRandom(Double.hashCode(d * 31 + av));
                float[] j = ReinforcementDynamics.gaussianCouplings(n, rng);
                SparseReinforcement a = SparseReinforcement.draw(n, d, av, rng);
                float[][] s = new float[10][n];
                float[][] init = new float[10][];
                for (int k = 0; k < 10; k++) {
                    for (int i = 0; i < n; i++) {
                        s[k][i] = rng.nextBoolean() ? 1f : -1f;
                    }
                    init[k] = s[k].clone();
                }
                Trajectory[] t = ReinforcementDynamics.run(j, a, s, 300);
                for (int k = 0; k < 10; k++) {
                    Trajectory ref = reference(j, a, init[k], 300);
                    total++;
                    if (ref.equals(t[k])) {
                        agree++;
                    }
                }
            }
        }
        // float summation order differs from the GEMM's; a tie flipping a sign is possible but rare
        assertTrue(agree >= total - 1, agree + " of " + total + " trajectories agree");
    }

    @Test
    void strongDenseReinforcementGivesTrivialFixedPoints() {
        int n = 200;
        SplittableRandom rng = new SplittableRandom(3);
        float[] j = ReinforcementDynamics.gaussianCouplings(n, rng);
        SparseReinforcement a = SparseReinforcement.draw(n, 1.9, 1.0, rng);
        float[][] s = new float[6][n];
        for (float[] st : s) {
            for (int i = 0; i < n; i++) {
                st[i] = rng.nextBoolean() ? 1f : -1f;
            }
        }
        for (Trajectory t : ReinforcementDynamics.run(j, a, s, 500)) {
            assertEquals(Outcome.FIXED_POINT, t.outcome());
            assertTrue(t.trivial(), t.toString());
            assertTrue(t.iterations() <= 5, t.toString());
            assertEquals(1.0, Math.abs(t.magnetisation()), 0.0);
        }
    }

    @Test
    void withoutReinforcementLargeGaussianNetworksDoNotConverge() {
        int n = 400;
        SplittableRandom rng = new SplittableRandom(4);
        float[] j = ReinforcementDynamics.gaussianCouplings(n, rng);
        float[][] s = new float[4][n];
        for (float[] st : s) {
            for (int i = 0; i < n; i++) {
                st[i] = rng.nextBoolean() ? 1f : -1f;
            }
        }
        for (Trajectory t : ReinforcementDynamics.run(j, null, s, 200)) {
            assertTrue(t.outcome() != Outcome.FIXED_POINT, t.toString());
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> SparseReinforcement.draw(1, 1.5, 1, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> SparseReinforcement.draw(10, Double.NaN, 1, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> ReinforcementDynamics.run(new float[9], null,
                new float[][] {new float[4]}, 10));
    }
}
