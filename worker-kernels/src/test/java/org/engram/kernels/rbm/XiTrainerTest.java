package org.engram.kernels.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class XiTrainerTest {
    static float[] data(int rows, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[rows * n];
        for (int q = 0; q < d.length; q++) {
            d[q] = r.nextDouble() < ((q % n) < n / 2 ? 0.7 : 0.2) ? 1f : 0f;
        }
        return d;
    }

    /** Unshuffled, θ + η(G(θ) + ξ) is θ + δ + η G(θ + δ): the plain KH-then-CD update (eq. 9 = eq. 10). */
    @Test
    void theXiDecompositionReproducesKhThenCd() {
        int n = 20;
        int m = 6;
        float[] d = data(10, n, 1);
        RbmTrainer.Settings s = new RbmTrainer.Settings(10, 1, false, 0.1f,
                new KrotovHopfield.Settings(KrotovHopfield.Direction.TOP_DOWN, 1, 0.4, 1.0), 0.01, 100);
        Rbm a = Rbm.initialised(n, m, Rbm.Init.LECUN, new SplittableRandom(2));
        Rbm start = a.copy();
        XiTrainer.Stats st = new XiTrainer(n, m, s).epoch(a, d, 10, 0, new int[10], new SplittableRandom(3), false);
        assertTrue(Double.isFinite(st.ratio()) && Math.abs(st.cosine()) <= 1);
        // replay the same stream by hand: shuffle order, G(θ), KH on a copy, G(θ + δ)
        SplittableRandom rng = new SplittableRandom(3);
        int[] order = new int[10];
        org.engram.kernels.random.Shuffle.permutation(order, 10, rng);
        float[] batch = new float[10 * n];
        for (int r = 0; r < 10; r++) {
            System.arraycopy(d, order[r] * n, batch, r * n, n);
        }
        ContrastiveDivergence cd = new ContrastiveDivergence(n, m, 10);
        long noise = rng.nextLong();
        cd.estimate(start, batch, 10, 1, new SplittableRandom(noise), null, new Gradient(n, m));
        Rbm shifted = start.copy();
        new KrotovHopfield(n, m, 10).apply(shifted, batch, 10, s.kh(), 0.01, rng);
        Gradient g1 = new Gradient(n, m);
        cd.estimate(shifted, batch, 10, 1, new SplittableRandom(noise), null, g1);
        g1.applyTo(shifted, 0.1f);
        for (int q = 0; q < a.w.length; q++) {
            assertEquals(shifted.w[q], a.w[q], 1e-5f, "w[" + q + "]");
        }
        for (int i = 0; i < n; i++) {
            assertEquals(shifted.a[i], a.a[i], 1e-5f);
        }
    }

    /** With KH switched off (ε = 0) and common noise, ξ is exactly zero: nothing but KH is measured. */
    @Test
    void withoutKhThereIsNoXi() {
        int n = 16;
        int m = 5;
        float[] d = data(40, n, 7);
        RbmTrainer.Settings s = new RbmTrainer.Settings(10, 1, false, 0.1f,
                new KrotovHopfield.Settings(KrotovHopfield.Direction.TOP_DOWN, 1, 0.4, 1.0), 0.0, 100);
        XiTrainer.Stats st = new XiTrainer(n, m, s).epoch(Rbm.initialised(n, m, Rbm.Init.LECUN, new SplittableRandom(8)),
                d, 40, 0, new int[40], new SplittableRandom(9), false);
        assertTrue(Double.isNaN(st.ratio()), "no step had a non-zero ξ: " + st);
        XiTrainer.Stats indep = new XiTrainer(n, m, s, false).epoch(Rbm.initialised(n, m, Rbm.Init.LECUN,
                new SplittableRandom(8)), d, 40, 0, new int[40], new SplittableRandom(9), false);
        assertTrue(indep.ratio() > 0.3 && indep.cosine() < -0.1,
                "independent noise alone makes a large, anti-correlated ξ: " + indep);
    }

    @Test
    void shufflingKeepsTheNoisesNormButNotItsDirection() {
        // one minibatch (rows = batch): the update applied is η (G + ξ) plainly and η (G + Pξ) in the control, P a
        // random permutation — so the noise applied has ξ's norm (and its very components), not its direction
        int n = 30;
        int m = 8;
        float[] d = data(20, n, 4);
        RbmTrainer.Settings s = new RbmTrainer.Settings(20, 1, false, 0.1f,
                new KrotovHopfield.Settings(KrotovHopfield.Direction.TOP_DOWN, 1, 0.4, 1.0), 0.02, 100);
        Rbm theta = Rbm.initialised(n, m, Rbm.Init.LECUN, new SplittableRandom(5));
        Rbm shuffled = theta.copy();
        XiTrainer trainer = new XiTrainer(n, m, s);
        trainer.epoch(shuffled, d, 20, 0, new int[20], new SplittableRandom(6), true);
        double[] xi = trainer.lastXi();
        Gradient g = trainer.lastGradient();
        int nw = n * m;
        double[] applied = new double[xi.length];
        for (int q = 0; q < nw; q++) {
            applied[q] = (shuffled.w[q] - theta.w[q]) / 0.1 - g.dw[q];
        }
        for (int i = 0; i < n; i++) {
            applied[nw + i] = (shuffled.a[i] - theta.a[i]) / 0.1 - g.da[i];
        }
        for (int j = 0; j < m; j++) {
            applied[nw + n + j] = (shuffled.b[j] - theta.b[j]) / 0.1 - g.db[j];
        }
        double normXi = norm(xi);
        assertTrue(normXi > 0, "KH made a non-zero ξ");
        assertEquals(normXi, norm(applied), 1e-4 * normXi + 1e-5, "the applied noise has ξ's norm");
        double[] a = applied.clone();
        double[] b = xi.clone();
        java.util.Arrays.sort(a);
        java.util.Arrays.sort(b);
        for (int q = 0; q < a.length; q++) {
            assertEquals(b[q], a[q], 1e-4 * normXi + 1e-5, "the same components, permuted");
        }
        double dot = 0;
        for (int q = 0; q < xi.length; q++) {
            dot += xi[q] * applied[q];
        }
        assertTrue(dot / (normXi * normXi) < 0.5, "but not its direction: cos = " + dot / (normXi * normXi));
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
