package org.engram.kernels.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The ±1 RBM of the RAPID paper against exact enumeration in double precision: free energies, log Z, the exact
 * gradient (finite differences of the exact NLL), the pattern gradients of eq. A7, the ground state, AIS.
 */
class SpinRbmTest {
    /** log Z = log Σ_v e^{−F(v)} over all 2^V states, scalar, in double. */
    static double referenceLogZ(SpinRbm rbm) {
        int n = rbm.visible;
        double[] neg = new double[1 << n];
        double max = Double.NEGATIVE_INFINITY;
        float[] v = new float[n];
        for (int c = 0; c < neg.length; c++) {
            for (int i = 0; i < n; i++) {
                v[i] = ((c >>> i) & 1) != 0 ? 1f : -1f;
            }
            neg[c] = -rbm.freeEnergy(v, 0);
            max = Math.max(max, neg[c]);
        }
        double s = 0;
        for (double x : neg) {
            s += Math.exp(x - max);
        }
        return max + Math.log(s);
    }

    static double referenceNll(SpinRbm rbm, float[] data, int rows) {
        double lz = referenceLogZ(rbm);
        double s = 0;
        for (int r = 0; r < rows; r++) {
            s += rbm.freeEnergy(data, r * rbm.visible);
        }
        return lz + s / rows;
    }

    @Test
    void logCoshSumIsOverflowSafeAndMatchesDouble() {
        SpinRbm rbm = new SpinRbm(3, 21);
        float[] doubled = new float[21];
        double expected = 0;
        for (int a = 0; a < 21; a++) {
            double x = (a - 10) * (a % 3 == 0 ? 60.0 : 0.37); // fields up to ±600: e^{600} overflows a double
            doubled[a] = (float) (2 * x);
            expected += SpinRbm.logCosh2((float) (2 * x) / 2.0);
        }
        double got = rbm.logCoshSum(doubled, 0, 21);
        assertTrue(Double.isFinite(got));
        assertEquals(expected, got, 1e-6 * Math.abs(expected));
        assertEquals(Math.log(2), SpinRbm.logCosh2(0), 1e-15);
        assertEquals(1000, SpinRbm.logCosh2(-1000), 1e-12);
    }

    @Test
    void batchedFreeEnergiesMatchTheScalarDefinition() {
        SplittableRandom rng = new SplittableRandom(1);
        SpinRbm rbm = SpinRbm.gaussian(13, 37, 0.8, rng);
        float[] v = SpinRbm.randomSpins(9, 13, rng);
        double[] f = new double[9];
        rbm.freeEnergies(v, 9, new float[9 * 37], f);
        for (int r = 0; r < 9; r++) {
            assertEquals(rbm.freeEnergy(v, r * 13), f[r], 1e-5 * Math.abs(f[r]));
        }
    }

    @Test
    void exactLogZMatchesScalarEnumerationAndDoesNotDependOnThreads() {
        SplittableRandom rng = new SplittableRandom(2);
        SpinRbm rbm = SpinRbm.gaussian(14, 23, 0.7, rng);
        SpinExact.Result one = SpinExact.enumerate(rbm, true, 1);
        SpinExact.Result two = SpinExact.enumerate(rbm, true, 2);
        assertEquals(referenceLogZ(rbm), one.logZ(), 1e-5 * Math.abs(one.logZ()));
        assertEquals(one.logZ(), two.logZ(), 0.0);
        assertArrayEquals(one.correlation(), two.correlation(), 0.0);
        assertEquals(one.groundEnergy(), two.groundEnergy(), 0.0);
    }

    @Test
    void exactGradientMatchesFiniteDifferencesOfTheExactNll() {
        SplittableRandom rng = new SplittableRandom(3);
        SpinRbm rbm = SpinRbm.gaussian(7, 5, 0.6, rng);
        float[] data = SpinRbm.randomSpins(4, 7, rng);
        double[] model = SpinExact.enumerate(rbm, true, 1).correlation();
        double[] pos = SpinExact.dataCorrelation(rbm, data, 4);
        double h = 1e-3;
        for (int q = 0; q < rbm.w.length; q++) {
            float w0 = rbm.w[q];
            rbm.w[q] = (float) (w0 + h);
            double up = referenceNll(rbm, data, 4);
            rbm.w[q] = (float) (w0 - h);
            double down = referenceNll(rbm, data, 4);
            rbm.w[q] = w0;
            double fd = -(up - down) / (2 * h); // ∂ log-likelihood / ∂W
            assertEquals(fd, pos[q] - model[q], 2e-4, "W[" + q + "]");
        }
    }

    @Test
    void patternGradientsAreTheChainRuleOfTheExactGradient() {
        SplittableRandom rng = new SplittableRandom(4);
        RaPatterns p = RaPatterns.random(3, 6, 5, rng);
        // continuous patterns, so that a finite difference in ξ is meaningful
        for (int q = 0; q < p.xv.length; q++) {
            p.xv[q] *= (float) (0.5 + rng.nextDouble());
        }
        for (int q = 0; q < p.xh.length; q++) {
            p.xh[q] *= (float) (0.5 + rng.nextDouble());
        }
        float[] data = SpinRbm.randomSpins(5, 6, rng);
        SpinRbm rbm = p.model();
        double[] model = SpinExact.enumerate(rbm, true, 1).correlation();
        double[] pos = SpinExact.dataCorrelation(rbm, data, 5);
        float[] g = new float[pos.length];
        for (int q = 0; q < g.length; q++) {
            g[q] = (float) (pos[q] - model[q]);
        }
        float[] xv0 = p.xv.clone();
        float[] xh0 = p.xh.clone();
        double lr = 1e-3;
        p.ascend(g, lr);
        double h = 1e-3;
        float[][] params = {p.xv, p.xh};
        float[][] before = {xv0, xh0};
        float[][] deltas = new float[2][];
        for (int which = 0; which < 2; which++) {
            deltas[which] = new float[params[which].length];
            for (int q = 0; q < params[which].length; q++) {
                deltas[which][q] = params[which][q] - before[which][q];
            }
        }
        System.arraycopy(xv0, 0, p.xv, 0, xv0.length);
        System.arraycopy(xh0, 0, p.xh, 0, xh0.length);
        for (int which = 0; which < 2; which++) {
            float[] now = params[which];
            float[] delta = deltas[which];
            for (int q = 0; q < now.length; q++) {
                float x0 = now[q];
                now[q] = (float) (x0 + h);
                p.weights(rbm);
                double up = referenceNll(rbm, data, 5);
                now[q] = (float) (x0 - h);
                p.weights(rbm);
                double down = referenceNll(rbm, data, 5);
                now[q] = x0;
                double fd = -(up - down) / (2 * h);
                assertEquals(lr * fd, delta[q], 3e-6, (which == 0 ? "ξ_v" : "ξ_h") + "[" + q + "]");
            }
        }
    }

    @Test
    void groundStateEnergyIsBelowEveryGibbsReachedEnergyAndIsTheBruteForceMinimum() {
        SplittableRandom rng = new SplittableRandom(5);
        SpinRbm rbm = SpinRbm.gaussian(12, 40, 1.0, rng);
        SpinExact.Result r = SpinExact.partition(rbm, 1);
        // brute force over v (h = sign of its field is optimal for each v)
        double best = Double.POSITIVE_INFINITY;
        float[] v = new float[12];
        for (int c = 0; c < 1 << 12; c++) {
            for (int i = 0; i < 12; i++) {
                v[i] = ((c >>> i) & 1) != 0 ? 1f : -1f;
            }
            double e = 0;
            for (int a = 0; a < 40; a++) {
                double f = 0;
                for (int i = 0; i < 12; i++) {
                    f += v[i] * rbm.w[i * 40 + a];
                }
                e -= Math.abs(f);
            }
            best = Math.min(best, e);
        }
        assertEquals(best, r.groundEnergy(), 1e-4 * Math.abs(best));
        SpinExact.Result g = SpinExact.ground(rbm, 2);
        assertEquals(r.groundEnergy(), g.groundEnergy(), 1e-4 * Math.abs(best));
        assertTrue(Double.isNaN(g.logZ()));
        float[] h = new float[40];
        float[] fields = new float[40];
        rbm.hiddenFields(r.groundState(), 0, 1, 1f, fields, 0);
        for (int a = 0; a < 40; a++) {
            h[a] = fields[a] >= 0 ? 1f : -1f;
        }
        assertEquals(r.groundEnergy(), rbm.energy(r.groundState(), 0, h, 0), 1e-4 * Math.abs(best));
        int chains = 50;
        float[] cv = SpinRbm.randomSpins(chains, 12, rng);
        float[] ch = new float[chains * 40];
        float[] sv = new float[chains * 12];
        double[] e = new double[chains];
        for (int step = 0; step < 20; step++) {
            rbm.sampleHidden(cv, chains, ch, ch, rng);
            rbm.sampleVisible(ch, chains, sv, cv, rng);
            rbm.energies(cv, ch, chains, new float[chains * 40], e);
            for (double x : e) {
                assertTrue(x >= r.groundEnergy() - 1e-3, x + " below the ground state " + r.groundEnergy());
            }
        }
        double acc = SpinMeasures.gibbsAccessibility(rbm, r.groundEnergy(), 10, 10, rng);
        assertTrue(acc > 0 && acc <= 1 + 1e-6, "accessibility " + acc);
    }

    @Test
    void oneRaPatternIsAMattisModelWhoseGroundStatesArePlusMinusXi() {
        SplittableRandom rng = new SplittableRandom(6);
        RaPatterns p = RaPatterns.random(1, 15, 30, rng);
        SpinRbm rbm = p.model();
        SpinExact.Result r = SpinExact.partition(rbm, 1);
        assertEquals(-15.0 * 30, r.groundEnergy(), 1e-3);
        assertEquals(-15.0 * 30, p.lowestEnergy(rbm), 1e-3);
        float[] xi = java.util.Arrays.copyOf(p.xv, 15);
        float sign = r.groundState()[0] == xi[0] ? 1f : -1f;
        for (int i = 0; i < 15; i++) {
            assertEquals(sign * xi[i], r.groundState()[i], 0f, "ground state is ±ξ_v");
        }
        // and nothing else reaches it: one flipped spin costs 2·H·(1/√1)·... > 0
        float[] flipped = r.groundState().clone();
        flipped[3] = -flipped[3];
        double[] f = new double[1];
        rbm.freeEnergies(flipped, 1, new float[30], f);
        double[] g = new double[1];
        rbm.freeEnergies(r.groundState(), 1, new float[30], g);
        assertTrue(f[0] > g[0] + 1);
    }

    @Test
    void aisCoversTheExactLogZAndAWrongBaseIsCaught() {
        SplittableRandom rng = new SplittableRandom(7);
        SpinRbm rbm = SpinRbm.gaussian(12, 16, 0.25, rng);
        float[] data = SpinRbm.randomSpins(30, 12, rng);
        for (int q = 0; q < 12 * 10; q++) {
            data[q] = 1f; // a skewed base rate, so the base biases are not all zero
        }
        double exact = SpinExact.partition(rbm, 1).logZ();
        float[] b = SpinAis.baseRate(data, 30, 12, 1e-3);
        SpinAis.Estimate est = SpinAis.logZ(rbm, b, SpinAis.linear(1000), 200, new SplittableRandom(8));
        assertTrue(est.covers(exact), "exact " + exact + " outside [" + est.low() + ", " + est.high() + "]");
        assertTrue(est.high() - est.low() < 0.5, "error bar " + (est.high() - est.low()));
        SpinAis.Estimate wrong = SpinAis.logZ(rbm, b, SpinAis.logBase(b, 16) + 1, SpinAis.linear(1000), 200,
                new SplittableRandom(8));
        assertFalse(wrong.covers(exact), "a base log Z off by one must not cover the exact value");
        assertEquals(14501, SpinAis.piecewise().length);
    }

    @Test
    void spinsUseTheUniformsOfBernoulli() {
        float[] p = new float[37];
        for (int q = 0; q < p.length; q++) {
            p[q] = q / 37f;
        }
        float[] b = new float[37];
        float[] s = new float[37];
        Fused.bernoulli(p, 0, b, 0, 37, new SplittableRandom(9));
        Fused.spins(p, 0, s, 0, 37, new SplittableRandom(9));
        for (int q = 0; q < 37; q++) {
            assertEquals(2 * b[q] - 1, s[q], 0f);
        }
    }
}
