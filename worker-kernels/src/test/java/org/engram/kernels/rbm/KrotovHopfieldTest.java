package org.engram.kernels.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KrotovHopfieldTest {
    /**
     * g for one sample: +1 on the unit with the largest current, −Δ on the unit ranked ℓ + 1
     * (ties broken by the lower index) — the definition the sparse steps' g (KrotovHopfield.compete) is
     * checked against. current, out: length units at offset off; out: modified.
     */
    static void competition(float[] current, int off, int units, int ell, float delta, float[] out, int[] top) {
        KrotovHopfield.ranks(current, off, units, ell, top);
        java.util.Arrays.fill(out, off, off + units, 0f);
        if (top[0] >= 0) {
            out[off + top[0]] = 1f;
        }
        if (units > ell && top[ell] >= 0) {
            out[off + top[ell]] = -delta;
        }
    }

    @Test
    void competitionPicksTheWinnerAndTheUnitRankedEllPlusOne() {
        float[] current = {0.1f, 3f, -1f, 2f, 2.5f, 0f};
        float[] g = new float[6];
        competition(current, 0, 6, 1, 0.4f, g, new int[8]);
        assertArrayEquals(new float[] {0, 1, 0, 0, -0.4f, 0}, g);
        competition(current, 0, 6, 2, 0.4f, g, new int[8]);
        assertArrayEquals(new float[] {0, 1, 0, -0.4f, 0, 0}, g);
        float[] tie = {1f, 1f, 1f};
        competition(tie, 0, 3, 1, 0.5f, g, new int[8]);
        assertEquals(1f, g[0]);
        assertEquals(-0.5f, g[1]);
        assertEquals(0f, g[2]);
        // ℓ at or past the number of units: no anti-Hebbian unit, and a rank buffer of units + 1 suffices
        competition(current, 0, 6, 10, 0.4f, g, new int[7]);
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0}, g);
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

    /** The dense formula of the reference notes, written out with loops, for the same sampled h. */
    static float[] denseTopDown(Rbm rbm, float[] v, int rows, double eps, float delta, float radius, long seed) {
        int m = rbm.hidden;
        float[] h = new float[rows * m];
        new ContrastiveDivergence(rbm.visible, m, rows).hidden(rbm, v, rows, h);
        Fused.bernoulli(h, rows * m, h, new SplittableRandom(seed));
        return denseStep(rbm, h, rows, true, eps, 1, delta, radius);
    }

    /**
     * The dense KH step, W + ε ds / max|ds|, with loops in double: the units of one layer (visible when
     * {@code visibleCompete}, else hidden) compete on I = W x for the other layer's states x (rows of it);
     * ds_{cu,pu} = R² Σ_b g_b,cu x_b,pu − (Σ_b g_b,cu I_b,cu) W_{cu,pu}. Returns the new weights.
     */
    static float[] denseStep(Rbm rbm, float[] x, int rows, boolean visibleCompete, double eps, int ell, float delta,
                             float radius) {
        int n = rbm.visible;
        int m = rbm.hidden;
        int units = visibleCompete ? n : m;
        int partners = visibleCompete ? m : n;
        java.util.function.IntBinaryOperator at = (cu, pu) -> visibleCompete ? cu * m + pu : pu * m + cu;
        double[] ds = new double[n * m];
        double[] sum = new double[units];
        float[] cur = new float[units];
        float[] g = new float[units];
        for (int r = 0; r < rows; r++) {
            for (int cu = 0; cu < units; cu++) {
                double c = 0;
                for (int pu = 0; pu < partners; pu++) {
                    c += rbm.w[at.applyAsInt(cu, pu)] * x[r * partners + pu];
                }
                cur[cu] = (float) c;
            }
            competition(cur, 0, units, ell, delta, g, new int[units + 1]);
            for (int cu = 0; cu < units; cu++) {
                sum[cu] += g[cu] * cur[cu];
                for (int pu = 0; pu < partners; pu++) {
                    ds[at.applyAsInt(cu, pu)] += radius * radius * g[cu] * x[r * partners + pu];
                }
            }
        }
        double max = 0;
        for (int cu = 0; cu < units; cu++) {
            for (int pu = 0; pu < partners; pu++) {
                int q = at.applyAsInt(cu, pu);
                ds[q] -= sum[cu] * rbm.w[q];
                max = Math.max(max, Math.abs(ds[q]));
            }
        }
        float[] w = rbm.w.clone();
        for (int q = 0; q < w.length; q++) {
            w[q] += (float) (eps * ds[q] / Math.max(max, 1e-50));
        }
        return w;
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(floats = {0.4f, 0f}) // Δ = 0: the rank-(ℓ + 1) unit is not touched
    void sparseTopDownStepEqualsTheDenseFormula(float delta) {
        SplittableRandom init = new SplittableRandom(11);
        Rbm rbm = Rbm.initialised(30, 7, Rbm.Init.STD_NORMAL, init);
        int rows = 9;
        float[] v = new float[rows * 30];
        for (int q = 0; q < v.length; q++) {
            v[q] = init.nextBoolean() ? 1f : 0f;
        }
        float[] expected = denseTopDown(rbm, v, rows, 0.02, delta, 1f, 77);
        new KrotovHopfield(30, 7, rows).apply(rbm, v, rows,
                new KrotovHopfield.Settings(KrotovHopfield.Direction.TOP_DOWN, 1, delta, 1.0), 0.02, new SplittableRandom(77));
        for (int q = 0; q < expected.length; q++) {
            assertEquals(expected[q], rbm.w[q], 1e-5f, "w[" + q + "]");
        }
    }

    /** Non-binary inputs too (the step does not assume 0/1); ℓ = 2 and Δ = 0 change which units are involved. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"1, 0.4, true", "1, 0, true", "2, 0.3, false", "1, 0.4, false"})
    void sparseBottomUpStepEqualsTheDenseFormula(int ell, float delta, boolean binary) {
        SplittableRandom init = new SplittableRandom(13);
        int n = 30;
        int m = 25; // more hidden units than 2 × rows: some are never involved
        Rbm rbm = Rbm.initialised(n, m, Rbm.Init.STD_NORMAL, init);
        int rows = 9;
        float[] v = new float[rows * n];
        for (int q = 0; q < v.length; q++) {
            v[q] = binary ? (init.nextBoolean() ? 1f : 0f) : (float) init.nextDouble();
        }
        float[] expected = denseStep(rbm, v, rows, false, 0.02, ell, delta, 0.5f);
        Rbm before = rbm.copy();
        new KrotovHopfield(n, m, rows).apply(rbm, v, rows,
                new KrotovHopfield.Settings(KrotovHopfield.Direction.BOTTOM_UP, ell, delta, 0.5), 0.02,
                new SplittableRandom(1));
        int changed = 0;
        for (int q = 0; q < expected.length; q++) {
            assertEquals(expected[q], rbm.w[q], 1e-5f, "w[" + q + "]");
            changed += rbm.w[q] != before.w[q] ? 1 : 0;
        }
        assertTrue(changed > 0 && changed < expected.length, "only the involved hidden units change: " + changed);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = KrotovHopfield.Direction.class, names = {"TOP_DOWN", "BOTTOM_UP"})
    void sharedHiddenPreActivationEqualsTheProductWithTheUpdatedWeights(KrotovHopfield.Direction direction) {
        SplittableRandom init = new SplittableRandom(12);
        Rbm rbm = Rbm.initialised(40, 9, Rbm.Init.LECUN, init);
        int rows = 8; // fewer than the 9 hidden units: bottom-up shares v·W' only when M > B
        float[] v = new float[rows * 40];
        for (int q = 0; q < v.length; q++) {
            v[q] = init.nextDouble() < 0.3 ? 1f : 0f;
        }
        float[] pre = new float[rows * 9];
        boolean filled = new KrotovHopfield(40, 9, rows).apply(rbm, v, rows,
                new KrotovHopfield.Settings(direction, 1, 0.4, 0.1), 0.05, new SplittableRandom(3), pre);
        assertTrue(filled);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < 9; j++) {
                double x = 0;
                for (int i = 0; i < 40; i++) {
                    x += v[r * 40 + i] * rbm.weight(i, j);
                }
                assertEquals(x, pre[r * 9 + j], 1e-5, "row " + r + " unit " + j);
            }
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
