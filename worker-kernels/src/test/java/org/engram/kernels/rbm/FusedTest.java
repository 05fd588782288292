package org.engram.kernels.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
