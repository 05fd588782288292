package org.engram.kernels.mlcm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludovic.netlib.blas.BLAS;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The softmax readout (eq. 6.2) and the single-layer baseline trained by it. */
class ReadoutTest {
    static final BLAS BLAS_ = BLAS.getInstance();

    @Test
    void aStepIsTheCrossEntropyGradientWrittenOut() {
        // W ← W − r Σ_b (softmax(W s_b) − e_{y_b}) s_bᵀ, a sample without a label (−1) contributing nothing;
        // W row-major classes × n, s column-major n × B
        int classes = 3;
        int n = 4;
        int size = 3;
        SplittableRandom rng = new SplittableRandom(3);
        float[] w = new float[classes * n];
        for (int k = 0; k < w.length; k++) {
            w[k] = (float) rng.nextGaussian();
        }
        float[] s = new float[n * size];
        for (int k = 0; k < s.length; k++) {
            s[k] = rng.nextBoolean() ? 1f : -1f;
        }
        int[] labels = {2, -1, 0};
        double rate = 0.1;
        double[] want = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            want[k] = w[k];
        }
        for (int b = 0; b < size; b++) {
            if (labels[b] < 0) {
                continue;
            }
            double[] z = new double[classes];
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                for (int i = 0; i < n; i++) {
                    z[c] += w[c * n + i] * s[b * n + i];
                }
                sum += Math.exp(z[c]);
            }
            for (int c = 0; c < classes; c++) {
                double g = Math.exp(z[c]) / sum - (c == labels[b] ? 1 : 0);
                for (int i = 0; i < n; i++) {
                    want[c * n + i] -= rate * g * s[b * n + i];
                }
            }
        }
        Readout.step(BLAS_, w, classes, n, s, size, labels, rate, new float[classes * size]);
        for (int k = 0; k < w.length; k++) {
            assertEquals(want[k], w[k], 1e-5, "W[" + k / n + "][" + k % n + "]");
        }
    }

    @Test
    void theGradientIsTheLossDerivativeAndLargeLogitsStayFinite() {
        // finite differences of L(W) = −log softmax(W s)_y against the step's update / rate
        int classes = 4;
        int n = 3;
        float[] w = {0.2f, -0.1f, 0.4f, 0.3f, 0.0f, -0.5f, 0.1f, 0.1f, 0.1f, -0.3f, 0.2f, 0.6f};
        float[] s = {1f, -1f, 1f};
        int y = 2;
        float[] stepped = w.clone();
        Readout.step(BLAS_, stepped, classes, n, s, 1, new int[] {y}, 1.0, new float[classes]);
        for (int k = 0; k < w.length; k++) {
            double h = 1e-3;
            float[] plus = w.clone();
            float[] minus = w.clone();
            plus[k] += (float) h;
            minus[k] -= (float) h;
            double numeric = (loss(plus, classes, n, s, y) - loss(minus, classes, n, s, y)) / (2 * h);
            assertEquals(numeric, w[k] - stepped[k], 2e-3, "dL/dW[" + k + "]");
        }
        float[] z = {1000f, 999f, -1000f};
        Readout.softmax(z, 0, 3);
        assertEquals(1.0, z[0] + z[1] + z[2], 1e-6);
        assertEquals(Math.E / (Math.E + 1), z[0], 1e-6, "e / (e + 1): no overflow at logits of 1000");
        assertEquals(0, z[2], 1e-30);
    }

    static double loss(float[] w, int classes, int n, float[] s, int y) {
        double[] z = new double[classes];
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < n; i++) {
                z[c] += w[c * n + i] * s[i];
            }
            sum += Math.exp(z[c]);
        }
        return -(z[y] - Math.log(sum));
    }

    @Test
    void predictionIsTheArgmaxWithTiesToTheLowestClass() {
        int classes = 3;
        int n = 2;
        float[] w = {1f, 0f, 1f, 0f, 0f, 1f}; // classes 0 and 1 tie on every input
        float[] s = {1f, -1f, -1f, 1f, 1f, 1f};
        int[] out = new int[3];
        Readout.predict(BLAS_, w, classes, n, s, 3, out, new float[classes * 3]);
        assertArrayEquals(new int[] {0, 2, 0}, out);
    }

    @Test
    void theSingleLayerLearnsALinearlySeparableTaskAndCountsCorrectly() {
        // 3 classes: the label is which of the first three inputs is +1; the other 7 inputs are noise
        int inputs = 10;
        int count = 300;
        SplittableRandom rng = new SplittableRandom(11);
        float[] x = new float[count * inputs];
        byte[] y = new byte[count];
        int zeros = 0;
        for (int r = 0; r < count; r++) {
            int label = rng.nextInt(3);
            y[r] = (byte) label;
            zeros += label == 0 ? 1 : 0;
            for (int i = 0; i < inputs; i++) {
                x[r * inputs + i] = i < 3 ? (i == label ? 1f : -1f) : (rng.nextBoolean() ? 1f : -1f);
            }
        }
        SingleLayer untrained = new SingleLayer(inputs, 3, 16);
        assertEquals(zeros / (double) count, untrained.accuracy(x, y, count), 1e-12, "all-zero weights predict 0");
        SingleLayer net = new SingleLayer(inputs, 3, 16);
        int[] order = new int[count];
        for (int e = 0; e < 5; e++) {
            net.epoch(x, y, count, order, 0.1, new SplittableRandom(e));
        }
        assertEquals(1.0, net.accuracy(x, y, count), 0, "separable: every training row right");
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 3; i++) {
                float own = net.w[c * inputs + c];
                assertTrue(i == c || own > net.w[c * inputs + i], "class " + c + " weighs its own input most");
            }
        }
        SingleLayer again = new SingleLayer(inputs, 3, 16);
        for (int e = 0; e < 5; e++) {
            again.epoch(x, y, count, order, 0.1, new SplittableRandom(e));
        }
        assertArrayEquals(net.w, again.w, "same data, order seeds and rate: the same weights");
    }

    @Test
    void theThesisPerceptronIsTheRuleWrittenOutAndLearnsASeparableTask() {
        // one epoch of one minibatch of 3 from zero weights: every field is 0, so every (image, class) pair with
        // t h = 0 ≤ ρ updates: W_c = (η / B) Σ_b t_c^b x^b exactly
        int inputs = 4;
        float[] x = {1, -1, 1, 1, -1, -1, 1, -1, 1, 1, -1, -1};
        byte[] y = {0, 2, 0};
        MulticlassPerceptron p = new MulticlassPerceptron(inputs, 3, 3);
        double frac = p.epoch(x, y, 3, new int[3], 0.3, 0.5, 0.0, new SplittableRandom(1));
        assertEquals(1.0, frac, 0, "all 9 pairs at h = 0 are unstable for ρ = 0");
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < inputs; i++) {
                double want = 0;
                for (int b = 0; b < 3; b++) {
                    want += 0.3 / 3 * (y[b] == c ? 1 : -1) * x[b * inputs + i];
                }
                assertEquals(want, p.w[c * inputs + i], 1e-6, "W[" + c + "][" + i + "]");
            }
        }
        // a second epoch: stable pairs are left alone, the decay applies to every weight
        float[] before = p.w.clone();
        p.epoch(x, y, 3, new int[3], 0.3, 0.5, -1e9, new SplittableRandom(2));
        for (int k = 0; k < before.length; k++) {
            assertEquals((1 - 0.3 * 0.5) * before[k], p.w[k], 1e-6, "ρ = −10⁹: nothing unstable, decay only");
        }

        // the separable task of the softmax test: the perceptron rule gets every training row right
        int n = 10;
        int count = 300;
        SplittableRandom rng = new SplittableRandom(11);
        float[] data = new float[count * n];
        byte[] labels = new byte[count];
        for (int r = 0; r < count; r++) {
            int label = rng.nextInt(3);
            labels[r] = (byte) label;
            for (int i = 0; i < n; i++) {
                data[r * n + i] = i < 3 ? (i == label ? 1f : -1f) : (rng.nextBoolean() ? 1f : -1f);
            }
        }
        MulticlassPerceptron net = new MulticlassPerceptron(n, 3, 16);
        int[] order = new int[count];
        for (int e = 0; e < 5; e++) {
            net.epoch(data, labels, count, order, 0.05, 1e-3, 0.5, new SplittableRandom(e));
        }
        assertEquals(1.0, net.accuracy(data, labels, count), 0);
    }
}
