package org.engram.kernels.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void overlapOfHandMadeReceptiveFields() {
        Rbm rbm = new Rbm(3, 3);
        // columns: (1,0,0), (1,1,0)/√2 direction, (0,0,1)
        float[][] cols = {{1, 0, 0}, {1, 1, 0}, {0, 0, 1}};
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 3; i++) {
                rbm.w[i * 3 + j] = cols[j][i];
            }
        }
        double c = 1 / Math.sqrt(2);
        // unit 0: best with 1 (c); unit 1: best with 0 (c); unit 2: orthogonal to both (0)
        assertEquals((c + c + 0) / 3, Metrics.receptiveFieldOverlap(rbm), 1e-12);
    }

    @Test
    void reconstructionOfAPerfectlyDeterministicRbmIsExact() {
        // huge weights copy v into h and back: reconstruction is exact, MSE 0, cross-entropy ≈ 0
        int n = 4;
        Rbm rbm = new Rbm(n, n);
        for (int i = 0; i < n; i++) {
            rbm.w[i * n + i] = 40f;
            rbm.a[i] = -20f;
            rbm.b[i] = -20f;
        }
        float[] data = {1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0};
        Metrics.Reconstruction r = new Metrics(n, n, 2).reconstruction(rbm, data, 3, new SplittableRandom(1));
        assertEquals(0.0, r.mse());
        assertEquals(0.0, r.mseSum());
        // every probability is within 1e-8 of 0 or 1, so the clip to [1e-6, 1 − 1e-6] sets the loss
        assertEquals(-Math.log(1 - 1e-6), r.crossEntropy(), 1e-12);
    }

    @Test
    void equationElevenAveragesOverPixelsAndImagesTheAuthorsSumOverPixelsPerImage() {
        // pixel 0 always reconstructs as 1 (its hidden unit is always on, its visible bias large); pixels 1–3 are
        // copied through their own hidden units: only images with v_0 = 0 err, by exactly 1 on one pixel
        int n = 4;
        Rbm rbm = new Rbm(n, n);
        rbm.b[0] = 20f;
        rbm.a[0] = 20f;
        for (int i = 1; i < n; i++) {
            rbm.w[i * n + i] = 40f;
            rbm.a[i] = -20f;
            rbm.b[i] = -20f;
        }
        float[] data = {1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 1};
        Metrics.Reconstruction r = new Metrics(n, n, 2).reconstruction(rbm, data, 3, new SplittableRandom(1));
        assertEquals(2.0 / (3 * 4), r.mse(), 1e-12, "eq. 11: two wrong pixels among 3 images × 4 pixels");
        assertEquals(2.0 / 3, r.mseSum(), 1e-12, "the authors' figure: per-image sums, averaged over images");
    }
}
