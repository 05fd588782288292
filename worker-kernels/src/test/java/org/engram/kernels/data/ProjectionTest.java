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
}
