package org.engram.kernels.rbm;

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
}
