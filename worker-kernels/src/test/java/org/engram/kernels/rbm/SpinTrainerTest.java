package org.engram.kernels.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.engram.kernels.data.BarsAndStripes;
import org.junit.jupiter.api.Test;

/** RAPID and its baselines on the 4 × 4 Bars (the paper's Sec. V A settings, H = 1000). */
class SpinTrainerTest {
    static SpinTrainer.Settings rapid() {
        return new SpinTrainer.Settings(SpinTrainer.Method.RAPID, 8, 0, 3, 0, SpinTrainer.Optimiser.SGD, 0.02, 0.96,
                1e-5, 0, SpinTrainer.Constraint.SIGN_PER_EPOCH, 1, 0, 1);
    }

    /**
     * Trained by RAPID for 60 epochs, six instances reconstruct the training images from their top row at a mean
     * Hamming distance below 0.15 per pixel (chance: 0.5; the untrained RA models of these seeds: ≥ 0.2); the
     * patterns stay ±1 after every epoch.
     */
    @Test
    void rapidLearnsTheBars() {
        BarsAndStripes.Images tr = BarsAndStripes.bars4Train();
        double before = 0;
        double after = 0;
        int instances = 6;
        for (int seed = 0; seed < instances; seed++) {
            SplittableRandom rng = new SplittableRandom(100 + seed);
            SpinTrainer t = new SpinTrainer(rapid(), 16, 1000, tr.pixels(), tr.count(), rng);
            before += SpinMeasures.reconstructionDistance(t.rbm, tr.pixels(), tr.count(), tr.keep(), 100, rng);
            for (int e = 0; e < 60; e++) {
                t.trainEpoch();
            }
            for (float x : t.patterns.xv) {
                assertEquals(1f, Math.abs(x), 0f);
            }
            after += SpinMeasures.reconstructionDistance(t.rbm, tr.pixels(), tr.count(), tr.keep(), 100, rng);
        }
        before /= instances;
        after /= instances;
        assertTrue(before >= 0.2, "untrained " + before);
        assertTrue(after < 0.15, "trained " + after);
        System.out.printf("RAPID bars: mean training Hamming distance %.3f untrained, %.3f after 60 epochs%n", before,
                after);
    }

    /** The same seed gives the same model bit for bit; PCD's chains and CD's negatives have the shapes asked. */
    @Test
    void trainingIsDeterministicPerSeed() {
        BarsAndStripes.Images tr = BarsAndStripes.bars4Train();
        for (SpinTrainer.Method m : SpinTrainer.Method.values()) {
            SpinTrainer.Settings s = new SpinTrainer.Settings(m, 8, m == SpinTrainer.Method.RAPID ? 0 : 2, 2, 64,
                    SpinTrainer.Optimiser.ADAM, 0.01, 0.99, 1e-5, 0, SpinTrainer.Constraint.SIGN_PER_EPOCH, 1, 0.01, 1);
            SpinTrainer a = new SpinTrainer(s, 16, 50, tr.pixels(), tr.count(), new SplittableRandom(3));
            SpinTrainer b = new SpinTrainer(s, 16, 50, tr.pixels(), tr.count(), new SplittableRandom(3));
            for (int e = 0; e < 3; e++) {
                a.trainEpoch();
                b.trainEpoch();
            }
            assertTrue(java.util.Arrays.equals(a.rbm.w, b.rbm.w), m.name());
            assertEquals(0.99 * 0.99 * 0.99 * 0.01, a.learningRate(), 1e-12);
            float[] neg = a.lastNegative();
            int expected = switch (m) {
                case RAPID -> 8 * 16;
                case CD -> 2 * 16; // the last minibatch of 10 images in twos
                case PCD -> 64 * 16;
                case EXACT -> -1;
            };
            assertEquals(expected, neg == null ? -1 : neg.length, m.name());
        }
    }
}
