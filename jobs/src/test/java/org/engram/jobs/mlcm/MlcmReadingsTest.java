package org.engram.jobs.mlcm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.engram.jobs.core.LocalSweep;
import org.engram.jobs.sweep.PreparedSweep;
import org.engram.jobs.data.DataCache;
import org.engram.jobs.data.Labelled;
import org.engram.jobs.data.SharedState;
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

    /**
     * The projection's centring may be a grid dimension (issue 40: one run compares the chain and the baselines with
     * and without it): each cell's units get their own value, and their inputs are projected accordingly — centring
     * removes the bias the mean image puts on every projected bit, so the bits' mean |column mean| falls.
     */
    @Test
    void aGridCentresTheProjectionCellByCell() {
        PreparedSweep<?> p = LocalSweep.prepare("mlcm.baseline", "grid.variant=[projected]", "grid.model=[perceptron]",
                "grid.projection-centred=[false, true]", "replicates.seeds=1", "params.train-rows=400",
                "params.eval-rows=100");
        DataCache cache = new DataCache(LocalSweep::synthetic, new SharedState());
        assertEquals(2, p.plan().units().size());
        double[] bias = new double[2];
        for (Object w : p.plan().units()) {
            MlcmTraining.Unit u = (MlcmTraining.Unit) w;
            boolean centred = Boolean.parseBoolean(String.valueOf(u.cell().get("projection-centred")));
            assertEquals(centred, u.settings().projectionCentred(), u.cell().key());
            Labelled train = u.data(cache)[0];
            double sum = 0;
            for (int j = 0; j < train.width(); j++) {
                double m = 0;
                for (int r = 0; r < train.count(); r++) {
                    m += train.x()[r * train.width() + j];
                }
                sum += Math.abs(m / train.count());
            }
            bias[centred ? 1 : 0] = sum / train.width();
        }
        assertTrue(bias[1] < 0.5 * bias[0], "mean |bit mean| uncentred " + bias[0] + ", centred " + bias[1]);
    }
}
