package org.engram.kernels.hopfield;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Mode-3 inference recovers the (λ, T) that generated its data (the A6.1 benchmark, small). */
class DreamingRbmTest {
    static double[] infer(double lambda, double t, long seed) {
        int n = 50;
        int p = 4; // α = 0.08
        SplittableRandom r = new SplittableRandom(seed);
        float[] xi = Patterns.random(p, n, r);
        Hopfield net = new Hopfield(Couplings.spectral(xi, p, n, Couplings.closedForm(lambda * lambda)), n);
        float[] data = DreamingRbm.sample(net, xi, p, t, 0, 8, 200, 5, 4000, r);
        DreamingRbm rbm = new DreamingRbm(xi, p, n, 0.8 * t, 0.3);
        DreamingRbm.Settings s = new DreamingRbm.Settings(0.01, 0.01, 50, 1);
        DreamingRbm.Epoch e = null;
        double tSum = 0;
        double lSum = 0;
        int epochs = 120;
        int averaged = 40;
        for (int k = 0; k < epochs; k++) {
            e = rbm.epoch(data, 4000, s, r);
            if (k >= epochs - averaged) {
                tSum += e.temperature();
                lSum += Math.abs(e.lambda());
            }
        }
        return new double[] {lSum / averaged, tSum / averaged, e.reconstructionError()};
    }

    @Test
    void recoversAKnownLambdaAndTemperature() {
        double[] got = infer(0.6, 0.6, 1);
        assertEquals(0.6, got[0], 0.12, "λ");
        assertEquals(0.6, got[1], 0.06, "T_RBM");
    }

    @Test
    void passiveHebbianDataGiveLambdaNearZero() {
        double[] got = infer(0, 0.6, 2);
        assertEquals(0, got[0], 0.15, "λ");
        assertEquals(0.6, got[1], 0.06, "T_RBM");
    }
}
