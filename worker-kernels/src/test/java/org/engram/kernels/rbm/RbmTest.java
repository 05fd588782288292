package org.engram.kernels.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A 6 × 4 RBM checked against exact enumeration. */
class RbmTest {
    /** Tolerance of float arithmetic against double enumeration. */
    static final double FLOAT_TOL = 1e-5;

    static Rbm tiny(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Rbm rbm = Rbm.initialised(6, 4, Rbm.Init.STD_NORMAL, r);
        for (int i = 0; i < 6; i++) {
            rbm.a[i] = (float) (0.5 * r.nextGaussian());
        }
        for (int j = 0; j < 4; j++) {
            rbm.b[j] = (float) (0.5 * r.nextGaussian());
        }
        return rbm;
    }

    static float[][] data(long seed, int rows) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] d = new float[rows][6];
        for (float[] v : d) {
            for (int i = 0; i < 6; i++) {
                v[i] = r.nextDouble() < (i < 3 ? 0.8 : 0.2) ? 1f : 0f;
            }
        }
        return d;
    }

    @Test
    void freeEnergyEqualsTheSumOverHiddenStates() {
        Rbm rbm = tiny(1);
        for (int c = 0; c < 64; c++) {
            float[] v = Exact.state(c, 6);
            double s = 0;
            for (int hc = 0; hc < 16; hc++) {
                s += Math.exp(-rbm.energy(v, Exact.state(hc, 4)));
            }
            assertEquals(-Math.log(s), rbm.freeEnergy(v), FLOAT_TOL, "v = " + c);
        }
    }

    @Test
    void exactGradientIsTheDerivativeOfTheExactLogLikelihood() {
        Rbm rbm = tiny(2);
        float[][] d = data(3, 40);
        double[] g = Exact.gradient(rbm, d).flatten();
        double h = 1e-3;
        float[][] params = {rbm.w, rbm.a, rbm.b};
        int q = 0;
        for (float[] p : params) {
            for (int i = 0; i < p.length; i++, q++) {
                float keep = p[i];
                p[i] = keep + (float) h;
                double up = Exact.logLikelihood(rbm, d);
                p[i] = keep - (float) h;
                double down = Exact.logLikelihood(rbm, d);
                p[i] = keep;
                assertEquals((up - down) / (2 * h), g[q], 2e-3, "parameter " + q);
            }
        }
    }

    @Test
    void cdWithALongChainEstimatesTheExactGradient() {
        Rbm rbm = tiny(4);
        float[][] d = data(5, 20);
        int copies = 200;
        int rows = d.length * copies;
        float[] batch = new float[rows * 6];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(d[r % d.length], 0, batch, r * 6, 6);
        }
        ContrastiveDivergence cd = new ContrastiveDivergence(6, 4, rows);
        Gradient est = new Gradient(6, 4);
        double[] mean = new double[6 * 4 + 6 + 4];
        int repeats = 20;
        SplittableRandom rng = new SplittableRandom(6);
        for (int rep = 0; rep < repeats; rep++) {
            cd.estimate(rbm, batch, rows, 100, rng, null, est);
            double[] f = est.flatten();
            for (int q = 0; q < f.length; q++) {
                mean[q] += f[q] / repeats;
            }
        }
        double[] exact = Exact.gradient(rbm, d).flatten();
        for (int q = 0; q < exact.length; q++) {
            // 80,000 chain samples: standard error of each entry ≈ 0.002
            assertEquals(exact[q], mean[q], 0.012, "gradient entry " + q);
        }
    }

    @Test
    void persistentChainsSampleTheModel() {
        Rbm rbm = tiny(7);
        float[][] d = data(8, 10);
        int rows = 2000;
        float[] batch = new float[rows * 6];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(d[r % d.length], 0, batch, r * 6, 6);
        }
        float[] chains = batch.clone();
        ContrastiveDivergence cd = new ContrastiveDivergence(6, 4, rows);
        Gradient est = new Gradient(6, 4);
        SplittableRandom rng = new SplittableRandom(9);
        double[] mean = new double[34];
        for (int rep = 0; rep < 60; rep++) {
            cd.estimate(rbm, batch, rows, 5, rng, chains, est);
            if (rep >= 20) {
                double[] f = est.flatten();
                for (int q = 0; q < f.length; q++) {
                    mean[q] += f[q] / 40;
                }
            }
        }
        double[] exact = Exact.gradient(rbm, d).flatten();
        for (int q = 0; q < exact.length; q++) {
            assertEquals(exact[q], mean[q], 0.015, "PCD gradient entry " + q);
        }
    }

    @Test
    void sameSeedSameEstimate() {
        Rbm rbm = tiny(10);
        float[] batch = new float[30 * 6];
        for (int q = 0; q < batch.length; q++) {
            batch[q] = q % 3 == 0 ? 1f : 0f;
        }
        Gradient a = new Gradient(6, 4);
        Gradient b = new Gradient(6, 4);
        new ContrastiveDivergence(6, 4, 30).estimate(rbm, batch, 30, 3, new SplittableRandom(1), null, a);
        new ContrastiveDivergence(6, 4, 30).estimate(rbm, batch, 30, 3, new SplittableRandom(1), null, b);
        assertArrayEquals(a.flatten(), b.flatten());
        // a short last batch (rows < B) gives the estimate of a CD sized for exactly those rows
        new ContrastiveDivergence(6, 4, 30).estimate(rbm, batch, 17, 2, new SplittableRandom(5), null, a);
        new ContrastiveDivergence(6, 4, 17).estimate(rbm, batch, 17, 2, new SplittableRandom(5), null, b);
        assertArrayEquals(b.flatten(), a.flatten());
        assertThrows(IllegalArgumentException.class, () -> new Rbm(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new ContrastiveDivergence(6, 4, 10)
                .estimate(rbm, batch, 30, 1, new SplittableRandom(1), null, a));
    }
}
