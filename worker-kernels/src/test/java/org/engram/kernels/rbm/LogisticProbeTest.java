package org.engram.kernels.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogisticProbeTest {
    /** Three classes on three corners of a square, two points each: separable, every point right. */
    @Test
    void separableClassesAreAllRight() {
        float[] x = {0, 0, 0.1f, 0, 5, 0, 5, 0.2f, 0, 5, 0.1f, 5};
        byte[] y = {0, 0, 1, 1, 2, 2};
        LogisticProbe p = LogisticProbe.fit(x, y, 6, 2, 3, 100, 500);
        assertEquals(1.0, p.accuracy(x, y, 6), 0.0);
        // a new point near each corner goes to that corner's class
        assertEquals(1.0, p.accuracy(new float[] {0.3f, -0.2f, 4.6f, 0.4f, 0.2f, 4.7f}, new byte[] {0, 1, 2}, 3), 0.0);
    }

    /**
     * Five points on a line, x = −2, −1 (class 0), 1, 2 (class 1) and 1 again with class 0: no classifier gets
     * the two points at x = 1 both right, and the best gets the other three: 4/5 = 0.8 by hand.
     */
    @Test
    void aConflictingDuplicateCostsExactlyOnePoint() {
        float[] x = {-2, -1, 1, 2, 1};
        byte[] y = {0, 0, 1, 1, 0};
        LogisticProbe p = LogisticProbe.fit(x, y, 5, 1, 2, 1.0, 500);
        assertEquals(0.8, p.accuracy(x, y, 5), 1e-12);
        assertTrue(p.iterations() >= 1);
    }

    /** Ten classes, each a band of 28 of 280 ±1 features mostly on, 30 noisy rows per class: nearly all right. */
    @Test
    void bandsInManyDimensionsAreLearnt() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        int rows = 300;
        int d = 280;
        float[] x = new float[rows * d];
        byte[] y = new byte[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = (byte) (i % 10);
            for (int j = 0; j < d; j++) {
                boolean on = j / 28 == y[i] ? r.nextDouble() < 0.9 : r.nextDouble() < 0.05;
                x[i * d + j] = on ? 1f : -1f;
            }
        }
        LogisticProbe p = LogisticProbe.fit(x, y, rows, d, 10, 1.0, 200);
        assertTrue(p.accuracy(x, y, rows) > 0.99, "accuracy " + p.accuracy(x, y, rows) + " after " + p.iterations());
    }
}
