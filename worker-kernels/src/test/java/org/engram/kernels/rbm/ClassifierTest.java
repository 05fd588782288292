package org.engram.kernels.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClassifierTest {
    /** The prediction is the label of lowest free energy F(x, y), found by brute force. */
    @Test
    void predictionIsTheBruteForceFreeEnergyArgmin() {
        int pixels = 12;
        int labels = 4;
        SplittableRandom rng = new SplittableRandom(3);
        Rbm rbm = Rbm.initialised(pixels + labels, 7, Rbm.Init.STD_NORMAL, rng);
        for (int i = 0; i < rbm.a.length; i++) {
            rbm.a[i] = (float) rng.nextGaussian();
        }
        Classifier c = new Classifier(pixels, labels, 7, 50);
        int rows = 200;
        float[] data = new float[rows * pixels];
        byte[] truth = new byte[rows];
        for (int r = 0; r < rows; r++) {
            float[] x = new float[pixels];
            for (int i = 0; i < pixels; i++) {
                x[i] = rng.nextBoolean() ? 1f : 0f;
                data[r * pixels + i] = x[i];
            }
            int best = -1;
            double bestF = Double.POSITIVE_INFINITY;
            for (int y = 0; y < labels; y++) {
                float[] v = new float[pixels + labels];
                System.arraycopy(x, 0, v, 0, pixels);
                v[pixels + y] = 1f;
                double f = rbm.freeEnergy(v);
                if (f < bestF) {
                    bestF = f;
                    best = y;
                }
            }
            truth[r] = (byte) best;
            assertEquals(best, c.predict(rbm, x), "row " + r);
        }
        // the batched path agrees on every row: accuracy against the brute-force labels is 1
        assertEquals(1.0, c.accuracy(rbm, data, rows, truth));
    }

    @Test
    void negativePhaseLabelsAreOneHot() {
        int pixels = 10;
        int labels = 3;
        SplittableRandom rng = new SplittableRandom(5);
        Rbm rbm = Rbm.initialised(pixels + labels, 6, Rbm.Init.STD_NORMAL, rng);
        ContrastiveDivergence cd = new ContrastiveDivergence(pixels + labels, 6, 20, labels);
        float[] v = new float[20 * (pixels + labels)];
        for (int r = 0; r < 20; r++) {
            for (int i = 0; i < pixels; i++) {
                v[r * (pixels + labels) + i] = rng.nextBoolean() ? 1f : 0f;
            }
            v[r * (pixels + labels) + pixels + r % labels] = 1f;
        }
        float[] chains = v.clone();
        cd.estimate(rbm, v, 20, 3, rng, chains, new Gradient(pixels + labels, 6));
        for (int r = 0; r < 20; r++) {
            float sum = 0;
            for (int y = 0; y < labels; y++) {
                float u = chains[r * (pixels + labels) + pixels + y];
                assertTrue(u == 0f || u == 1f);
                sum += u;
            }
            assertEquals(1f, sum, "row " + r + " label block is one-hot");
        }
    }
}
