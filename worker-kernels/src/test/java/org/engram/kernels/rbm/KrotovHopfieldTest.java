package org.engram.kernels.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KrotovHopfieldTest {
    @Test
    void competitionPicksTheWinnerAndTheUnitRankedEllPlusOne() {
        float[] current = {0.1f, 3f, -1f, 2f, 2.5f, 0f};
        float[] g = new float[6];
        KrotovHopfield.competition(current, 0, 6, 1, 0.4f, g);
        assertArrayEquals(new float[] {0, 1, 0, 0, -0.4f, 0}, g);
        KrotovHopfield.competition(current, 0, 6, 2, 0.4f, g);
        assertArrayEquals(new float[] {0, 1, 0, -0.4f, 0, 0}, g);
        float[] tie = {1f, 1f, 1f};
        KrotovHopfield.competition(tie, 0, 3, 1, 0.5f, g);
        assertEquals(1f, g[0]);
        assertEquals(-0.5f, g[1]);
        assertEquals(0f, g[2]);
    }

    @Test
    void scheduleDecaysWithPowerThreeHalves() {
        assertEquals(0.02, KrotovHopfield.epsilon(0.02, 0, 100), 1e-15);
        assertEquals(0.02 * Math.pow(0.5, 1.5), KrotovHopfield.epsilon(0.02, 50, 100), 1e-15);
        assertEquals(0.0, KrotovHopfield.epsilon(0.02, 100, 100));
        assertEquals(0.0, KrotovHopfield.epsilon(0.02, 150, 100));
    }

    @Test
    void largestWeightChangeIsExactlyEpsilon() {
        SplittableRandom rng = new SplittableRandom(1);
        Rbm rbm = Rbm.initialised(12, 5, Rbm.Init.LECUN, rng);
        float[] v = new float[8 * 12];
        for (int q = 0; q < v.length; q++) {
            v[q] = rng.nextBoolean() ? 1f : 0f;
        }
        for (KrotovHopfield.Direction d : new KrotovHopfield.Direction[] {KrotovHopfield.Direction.BOTTOM_UP,
                KrotovHopfield.Direction.TOP_DOWN}) {
            Rbm before = rbm.copy();
            new KrotovHopfield(12, 5, 8).apply(rbm, v, 8, new KrotovHopfield.Settings(d, 1, 0.4, 0.1), 0.01, rng);
            float max = 0;
            for (int q = 0; q < rbm.w.length; q++) {
                max = Math.max(max, Math.abs(rbm.w[q] - before.w[q]));
            }
            assertEquals(0.01f, max, 1e-6f, d.toString());
        }
    }

    /** KH alone: every receptive field (hidden unit's weight column) ends on the sphere of radius R. */
    @Test
    void bottomUpKhAloneDrivesEveryHiddenUnitToNormR() {
        int n = 16;
        int m = 4;
        double radius = 1.0;
        SplittableRandom rng = new SplittableRandom(2);
        Rbm rbm = new Rbm(n, m);
        // each hidden unit starts slightly tuned to one group of four inputs, so that each wins some samples
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                rbm.w[i * m + j] = (float) ((i / 4 == j ? 0.08 : 0.02) + 0.01 * rng.nextGaussian());
            }
        }
        int rows = 16;
        float[] v = new float[rows * n];
        KrotovHopfield kh = new KrotovHopfield(n, m, rows);
        KrotovHopfield.Settings s = new KrotovHopfield.Settings(KrotovHopfield.Direction.BOTTOM_UP, 1, 0.0, radius);
        for (int step = 0; step < 6000; step++) {
            java.util.Arrays.fill(v, 0f);
            for (int r = 0; r < rows; r++) {
                int group = rng.nextInt(4);
                for (int i = 0; i < n; i++) {
                    if (i / 4 == group ? rng.nextDouble() < 0.9 : rng.nextDouble() < 0.05) {
                        v[r * n + i] = 1f;
                    }
                }
            }
            kh.apply(rbm, v, rows, s, step < 5000 ? 0.01 : 0.002, rng);
        }
        for (int j = 0; j < m; j++) {
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += rbm.weight(i, j) * rbm.weight(i, j);
            }
            assertEquals(radius, Math.sqrt(norm), 0.03, "hidden unit " + j);
        }
        assertThrows(IllegalArgumentException.class, () -> new KrotovHopfield.Settings(KrotovHopfield.Direction.TOP_DOWN,
                0, 0.4, 1));
        assertTrue(rbm.w.length == n * m);
    }
}
