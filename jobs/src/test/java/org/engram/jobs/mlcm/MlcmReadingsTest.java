package org.engram.jobs.mlcm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.engram.jobs.core.LocalSweep;
import org.engram.kernels.mlcm.Mlcm;
import org.junit.jupiter.api.Test;

/** The thesis' readings a sweep chooses between reach the model as the keys' docs say. */
class MlcmReadingsTest {
    static Mlcm.Params params(String... sets) {
        MlcmTraining.Unit u = (MlcmTraining.Unit) LocalSweep.prepare("mlcm.baseline", sets).plan().units().get(0);
        return u.params();
    }

    @Test
    void theOutputFieldIsLambdaOutOrLambdaRightOfTheLastLayer() {
        Mlcm.Params thesisList = params();
        assertEquals(12, thesisList.lambdaOut(), 0, "eq. 6.1: λ_OUT W_back y, λ_OUT = 12");
        assertFalse(thesisList.gaussianBack());
        Mlcm.Params algorithms = params("params.output-field=lambda-right", "params.back-init=gaussian");
        assertEquals(1.5, algorithms.lambdaOut(), 0, "algorithms 1–2: λ_R^L W_back y, λ_R^5 = 1.5");
        assertTrue(algorithms.gaussianBack());
        Mlcm.Params other = params("params.output-field=lambda-right", "params.lambda-right=[2, 2, 2, 2, 0.7]");
        assertEquals(0.7, other.lambdaOut(), 0, "whatever λ_R^L is");
    }

    @Test
    void aGaussianBackMatrixIsStandardNormal() {
        Mlcm.Params p = params("params.back-init=gaussian");
        Mlcm m = new Mlcm(p, new SplittableRandom(4));
        double sum = 0;
        double sq = 0;
        int notSpin = 0;
        for (float v : m.back) {
            sum += v;
            sq += v * v;
            notSpin += Math.abs(v) != 1f ? 1 : 0;
        }
        int k = m.back.length; // N × 10 = 10,000
        assertEquals(k, notSpin);
        assertEquals(0, sum / k, 4 / Math.sqrt(k), "mean 0 within 4 standard errors");
        assertEquals(1, sq / k, 4 * Math.sqrt(2.0 / k), "variance 1 within 4 standard errors");
        for (float v : new Mlcm(params(), new SplittableRandom(4)).back) {
            assertEquals(1f, Math.abs(v));
        }
    }
}
