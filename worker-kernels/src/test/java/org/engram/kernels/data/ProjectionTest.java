package org.engram.kernels.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProjectionTest {
    @Test
    void projectionIsFixedBySeedSignValuedAndRowWise() {
        float[] x = org.engram.kernels.mlcm.MlcmTest.spins(50, 784, 1);
        float[] a = Projection.project(x, 50, 784, 100, 7);
        float[] b = Projection.project(x, 50, 784, 100, 7);
        assertArrayEquals(a, b, "same seed, same projection");
        assertEquals(50 * 100, a.length);
        int plus = 0;
        for (float v : a) {
            assertTrue(v == 1f || v == -1f);
            plus += v > 0 ? 1 : 0;
        }
        assertTrue(plus > 0.4 * a.length && plus < 0.6 * a.length, "balanced signs: " + plus);
        // a row's image depends on that row only: projecting a subset gives the same rows
        float[] first = Projection.project(java.util.Arrays.copyOf(x, 10 * 784), 10, 784, 100, 7);
        assertArrayEquals(java.util.Arrays.copyOf(a, 10 * 100), first);
        // a linear map then sign: −x projects to −y (no zero fields with Gaussian weights)
        float[] neg = x.clone();
        for (int i = 0; i < neg.length; i++) {
            neg[i] = -neg[i];
        }
        float[] c = Projection.project(neg, 50, 784, 100, 7);
        for (int i = 0; i < a.length; i++) {
            assertEquals(-a[i], c[i]);
        }
        float[] other = Projection.project(x, 50, 784, 100, 8);
        int differ = 0;
        for (int i = 0; i < a.length; i++) {
            differ += a[i] != other[i] ? 1 : 0;
        }
        assertTrue(differ > 0.3 * a.length, "another seed is another projection");
        assertThrows(IllegalArgumentException.class, () -> Projection.project(x, 51, 784, 100, 7));
    }

    @Test
    void centringRemovesTheConstantBorderThatPinsProjectedBits() {
        // 10 "border" pixels −1 in every image, 10 random ±1: uncentred, each projected bit carries the border's
        // fixed field c_k ~ N(0, 10) against the images' ~ N(0, 10) and keeps its majority value in ≈ 75% of the
        // images (E Φ(|Z|) = 3/4); centred, the border contributes exactly 0 and the bits are balanced (≈ 50%)
        int rows = 400;
        int in = 20;
        int out = 40;
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        float[] x = new float[rows * in];
        for (int q = 0; q < rows; q++) {
            for (int i = 0; i < in; i++) {
                x[q * in + i] = i < 10 ? -1f : (r.nextBoolean() ? 1f : -1f);
            }
        }
        float[] mean = Projection.mean(x, rows, in);
        assertEquals(-1f, mean[0]);
        double plain = majority(Projection.project(x, rows, in, out, 9), rows, out);
        double centred = majority(Projection.project(x, rows, in, out, 9, mean), rows, out);
        assertTrue(plain > 0.68, "uncentred: bits pinned by the border, majority share " + plain);
        assertTrue(centred < 0.58, "centred: balanced bits, majority share " + centred);
        // centring is the projection of x − mean
        float[] shifted = x.clone();
        for (int q = 0; q < rows; q++) {
            for (int i = 0; i < in; i++) {
                shifted[q * in + i] -= mean[i];
            }
        }
        assertArrayEquals(Projection.project(shifted, rows, in, out, 9), Projection.project(x, rows, in, out, 9, mean));
    }

    /** The mean over output bits of the share of rows holding that bit's majority value. */
    static double majority(float[] y, int rows, int out) {
        double sum = 0;
        for (int k = 0; k < out; k++) {
            int plus = 0;
            for (int q = 0; q < rows; q++) {
                plus += y[q * out + k] > 0 ? 1 : 0;
            }
            sum += Math.max(plus, rows - plus) / (double) rows;
        }
        return sum / out;
    }
}
