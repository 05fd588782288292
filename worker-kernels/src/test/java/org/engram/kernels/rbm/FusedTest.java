package org.engram.kernels.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FusedTest {
    /** Relative accuracy of the deterministic exponential. */
    static final double EXP_TOL = 3e-7;

    @Test
    void expMatchesMathExp() {
        for (float x = -87f; x <= 87f; x += 0.0137f) {
            double want = Math.exp(x);
            assertEquals(want, Fused.exp(x), EXP_TOL * want, "x = " + x);
        }
    }

    @Test
    void vectorAndScalarPathsGiveTheSameBits() {
        SplittableRandom r = new SplittableRandom(1);
        int width = 37; // a vector part and a scalar tail
        float[] x = new float[5 * width];
        float[] bias = new float[width];
        for (int q = 0; q < x.length; q++) {
            x[q] = (float) (8 * r.nextGaussian());
        }
        float[] y = x.clone();
        Fused.sigmoidRows(y, 5, width, bias);
        for (int q = 0; q < x.length; q++) {
            float scalar = 1f / (1f + Fused.exp(-x[q]));
            assertEquals(Float.floatToIntBits(scalar), Float.floatToIntBits(y[q]), "element " + q);
            assertEquals(Rbm.sigmoid(x[q]), y[q], 2e-7);
        }
    }

    @Test
    void bernoulliSamplesHaveTheirProbabilitiesAndAreIndependent() {
        int n = 1003; // not a multiple of the lane count: the scalar tail is exercised too
        float[] p = new float[n];
        for (int q = 0; q < n; q++) {
            p[q] = (q % 10) / 10f + 0.05f;
        }
        SplittableRandom rng = new SplittableRandom(5);
        int draws = 4000;
        double[] mean = new double[n];
        double neighbours = 0; // E[x_q x_{q+1}] − E[x_q] E[x_{q+1}] summed over q
        double acrossCalls = 0;
        float[] prev = new float[n];
        float[] out = new float[n];
        for (int d = 0; d < draws; d++) {
            Fused.bernoulli(p, n, out, rng);
            for (int q = 0; q < n; q++) {
                assertTrue(out[q] == 0f || out[q] == 1f);
                mean[q] += out[q];
                if (q + 1 < n) {
                    neighbours += out[q] * out[q + 1] - p[q] * p[q + 1];
                }
                acrossCalls += out[q] * prev[q] - (d == 0 ? 0 : p[q] * p[q]);
            }
            System.arraycopy(out, 0, prev, 0, n);
        }
        for (int q = 0; q < n; q++) {
            // binomial: sd ≤ 0.5/√4000 = 0.0079; 5 sd
            assertEquals(p[q], mean[q] / draws, 0.04, "unit " + q);
        }
        // covariances average to 0 (sd of the mean ≈ 0.5²/√(4000·1000) ≈ 1.2e-4)
        assertEquals(0, neighbours / draws / (n - 1), 1e-3, "neighbouring units");
        assertEquals(0, acrossCalls / (draws - 1) / n, 1e-3, "consecutive calls");
        // the vector path and the scalar tail compute the same function: same key, shifted window
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 0.5f);
        float[] a = new float[n];
        Fused.bernoulli(ones, 0, a, 0, n, new SplittableRandom(9));
        long key = new SplittableRandom(9).nextLong();
        for (int q = 0; q < n; q++) {
            int h = Fused.mix(Fused.mix(q ^ (int) key) + (int) (key >>> 32));
            assertEquals((h >>> 8) * 0x1.0p-24f < 0.5f ? 1f : 0f, a[q], "element " + q);
        }
    }

    /** The two largest by (value descending, index ascending), by sorting — the rule the kernel documents. */
    private static int[] sortedTop2(float[] x, int off, int n) {
        Integer[] idx = new Integer[n];
        for (int q = 0; q < n; q++) {
            idx[q] = q;
        }
        java.util.Arrays.sort(idx, (p, q) -> x[off + p] != x[off + q] ? Float.compare(x[off + q], x[off + p]) : p - q);
        return new int[] {idx[0], idx[1]};
    }

    @Test
    void vectorTopTwoEqualsSortingWithTiesAndTails() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        int[] top = new int[2];
        int checked = 0;
        for (int trial = 0; trial < 3000; trial++) {
            int n = trial % 3 == 0 ? 784 : 2 + rng.nextInt(60);
            int off = rng.nextInt(5);
            float[] x = new float[off + n];
            int levels = 1 + rng.nextInt(6); // few distinct values: ties everywhere, including for the maximum
            for (int q = 0; q < n; q++) {
                x[off + q] = rng.nextInt(levels) - (rng.nextBoolean() ? 0f : 0.5f);
            }
            if (trial % 7 == 0) {
                x[off + n - 1] = 10f; // the maximum in the scalar tail
            }
            if (trial % 11 == 0) {
                x[off + rng.nextInt(n)] = -0f;
            }
            if (Fused.top2(x, off, n, top)) {
                assertArrayEquals(sortedTop2(x, off, n), top, "trial " + trial + ", n = " + n);
                checked++;
            }
            int[] viaRanks = new int[2];
            KrotovHopfield.ranks(x, off, n, 1, viaRanks);
            assertArrayEquals(sortedTop2(x, off, n), viaRanks, "ranks, trial " + trial);
        }
        assertTrue(checked > 2000, "vector path used in " + checked + " trials");
        float[] nan = new float[16];
        nan[3] = Float.NaN;
        assertEquals(false, Fused.top2(nan, 0, 16, top), "NaN goes to the scalar path");
    }

    @Test
    void axpyScaleAndMaxAbsMatchTheirScalarDefinitions() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(6);
        for (int n : new int[] {0, 1, 7, 8, 9, 100, 503}) {
            float[] x = new float[n + 3];
            float[] y = new float[n + 2];
            for (int q = 0; q < x.length; q++) {
                x[q] = (float) rng.nextGaussian();
            }
            for (int q = 0; q < y.length; q++) {
                y[q] = (float) rng.nextGaussian();
            }
            float[] expected = y.clone();
            float max = 0f;
            for (int q = 0; q < n; q++) {
                expected[q] += 0.7f * x[q];
                max = Math.max(max, Math.abs(x[1 + q]));
            }
            float[] got = y.clone();
            Fused.axpy(0.7f, x, 0, got, 0, n);
            assertArrayEquals(expected, got, "axpy n = " + n);
            Fused.scale(-2f, x, 1, got, 2, n);
            for (int q = 0; q < n; q++) {
                assertEquals(-2f * x[1 + q], got[2 + q], "scale n = " + n);
            }
            assertEquals(max, Fused.maxAbs(x, 1, n), "maxAbs n = " + n);
        }
    }

    @Test
    void combineRowGivesTheBitsOfScaleThenAxpysAndItsMax() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(9);
        for (int n : new int[] {0, 1, 15, 16, 17, 100, 500}) {
            float[] w = new float[n + 5];
            float[] x = new float[4 * n + 3];
            for (int q = 0; q < w.length; q++) {
                w[q] = (float) rng.nextGaussian();
            }
            for (int q = 0; q < x.length; q++) {
                x[q] = rng.nextInt(3) == 0 ? 1f : (float) rng.nextGaussian();
            }
            int[] off = {3, 0, 2 * n + 1, 3 * n + 2, n};
            float[] coef = {0.01f, -0.004f, 0.01f, 0.01f, -0.004f};
            for (int[] range : new int[][] {{0, 0}, {1, 2}, {0, 5}, {2, 5}}) {
                float[] expected = new float[n + 4];
                Fused.scale(-0.37f, w, 5, expected, 4, n);
                for (int e = range[0]; e < range[1]; e++) {
                    Fused.axpy(coef[e], x, off[e], expected, 4, n);
                }
                float[] got = new float[n + 4];
                float max = Fused.combineRow(-0.37f, w, 5, x, off, coef, range[0], range[1], got, 4, n);
                assertArrayEquals(expected, got, "n = " + n + ", contributions " + range[0] + ".." + range[1]);
                assertEquals(Fused.maxAbs(expected, 4, n), max, "max, n = " + n);
            }
        }
    }

    @Test
    void logAndSoftplusMatchTheirDoubleDefinitions() {
        SplittableRandom r = new SplittableRandom(9);
        for (int t = 0; t < 200_000; t++) {
            // positive normal floats from 1e-30 to 1e30, and the ranges the metrics use: [1e-6, 1] and [1, 2]
            float x = switch (t % 3) {
                case 0 -> (float) Math.exp(r.nextDouble(-69, 69));
                case 1 -> (float) r.nextDouble(1e-6, 1);
                default -> (float) r.nextDouble(1, 2);
            };
            double want = Math.log(x);
            assertEquals(want, Fused.log(x), Math.max(2.5e-7 * Math.abs(want), 1e-45), "log " + x);
        }
        assertEquals(0f, Fused.log(1f));
        float inf = Float.POSITIVE_INFINITY;
        for (float t = -100f; t <= 100f; t += 0.0173f) {
            double want = Rbm.softplus(t);
            // below t = −87 exp's clamp leaves e^−87 ≈ 1.6e-38 (absolute) instead of e^t
            assertEquals(want, Fused.softplusTerm(t, 0f, inf), 4e-7 * want + 1.7e-38, "softplus " + t);
            // the log-loss of a 1 and of a 0 under p = σ(t), clipped to [σ(−10), σ(10)]
            double c = Math.min(10, Math.max(-10, t));
            double p = 1 / (1 + Math.exp(-c));
            assertEquals(-Math.log(p), Fused.softplusTerm(t, 1f, 10f), 4e-7 * -Math.log(p) + 1e-40, "−ln p, t = " + t);
            assertEquals(-Math.log1p(-p), Fused.softplusTerm(t, 0f, 10f), 4e-7 * -Math.log1p(-p) + 1e-40,
                    "−ln(1 − p), t = " + t);
        }
    }

    @Test
    void vectorSumEqualsItsScalarTermsAddedLaneByLane() {
        SplittableRandom r = new SplittableRandom(10);
        int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        for (float bound : new float[] {Float.POSITIVE_INFINITY, 13.8f, 2f}) {
            for (int n : new int[] {0, 1, 7, 8, 9, 37, 100, 784}) {
                float[] x = new float[n + 3];
                float[] y = new float[n + 5];
                float[] d = new float[n + 4];
                for (int q = 0; q < x.length; q++) {
                    x[q] = (float) (8 * r.nextGaussian());
                }
                for (int q = 0; q < y.length; q++) {
                    y[q] = (float) (3 * r.nextGaussian());
                }
                for (int q = 0; q < d.length; q++) {
                    d[q] = r.nextDouble() < 0.3 ? 1f : q % 7 == 0 ? 0.25f : 0f;
                }
                // the definition: lane l sums its elements in float, lanes and the tail add up in double
                int full = n - n % lanes;
                float[] lane = new float[lanes];
                double exact = 0;
                for (int q = 0; q < n; q++) {
                    float t = x[2 + q] + y[1 + q];
                    if (q < full) {
                        lane[q % lanes] += Fused.softplusTerm(t, d[3 + q], bound);
                    }
                    double c = Math.min(bound, Math.max(-bound, t));
                    exact += Rbm.softplus(c) - d[3 + q] * c;
                }
                double want = 0;
                for (float l : lane) {
                    want += l;
                }
                for (int q = full; q < n; q++) {
                    want += Fused.softplusTerm(x[2 + q] + y[1 + q], d[3 + q], bound);
                }
                assertEquals(want, Fused.softplusSum(x, 2, y, 1, d, 3, bound, n), 0, "n = " + n + ", bound " + bound);
                assertEquals(exact, want, 1e-5 * (1 + Math.abs(exact)), "vs double, n = " + n + ", bound " + bound);
            }
        }
    }
}
