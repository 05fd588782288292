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

    /**
     * The gradient against central differences of the value, asked after values at other points (the line search's
     * pattern: the gradient's product is made only when asked, from the logits of the point asked).
     */
    @Test
    void theGradientIsTheValuesDerivativeAfterValuesElsewhere() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        int rows = 40;
        int d = 6;
        int classes = 3;
        float[] x = new float[rows * d];
        byte[] y = new byte[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = (byte) r.nextInt(classes);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (r.nextGaussian() + (j % classes == y[i] ? 1 : 0));
            }
        }
        LogisticProbe.Objective f = new LogisticProbe.Objective(x, y, rows, d, classes, 0.5);
        double[] p = new double[(d + 1) * classes];
        double[] q = new double[p.length];
        for (int k = 0; k < p.length; k++) {
            p[k] = 0.3 * r.nextGaussian();
            q[k] = 0.3 * r.nextGaussian();
        }
        f.value(p);
        f.value(q);
        double[] g = f.gradient(p);
        double h = 1e-3;
        for (int k = 0; k < p.length; k++) {
            double[] up = p.clone();
            double[] down = p.clone();
            up[k] += h;
            down[k] -= h;
            double numeric = (f.value(up) - f.value(down)) / (2 * h);
            assertEquals(numeric, g[k], 2e-4, "coordinate " + k);
        }
        assertEquals(f.value(q), f.value(q), 0.0);
        double[] gq = f.gradient(q);
        assertTrue(java.util.stream.IntStream.range(0, p.length).anyMatch(k -> Math.abs(gq[k] - g[k]) > 1e-3),
                "the gradient at another point differs");
    }

    /** One report per CG iteration after the first (the checker compares two points), rising, within [0, 1]. */
    @Test
    void progressIsReportedOncePerIteration() {
        float[] x = {-2, -1, 1, 2, 1, 0.5f, -0.5f};
        byte[] y = {0, 0, 1, 1, 0, 1, 0};
        java.util.List<Double> reports = new java.util.ArrayList<>();
        LogisticProbe p = LogisticProbe.fit(x, y, 7, 1, 2, 1.0, 500, reports::add);
        assertEquals(p.iterations() - 1, reports.size(), reports.toString());
        assertTrue(reports.size() >= 2, reports.toString());
        for (int i = 0; i < reports.size(); i++) {
            assertTrue(reports.get(i) > 0 && reports.get(i) <= 1, reports.toString());
            assertTrue(i == 0 || reports.get(i) > reports.get(i - 1), reports.toString());
        }
    }
}
