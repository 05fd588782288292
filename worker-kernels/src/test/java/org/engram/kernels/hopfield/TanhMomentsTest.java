package org.engram.kernels.hopfield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** The continuous-spin reading of eqs. 10 and 13: the moments, and the expectations they stand for. */
class TanhMomentsTest {
    /** ⟨g(σ)⟩ over σ ~ N(0, sd²) by composite Simpson on ±12 sd, 24,000 intervals (independent of the quadrature). */
    private static double simpson(DoubleUnaryOperator g, double sd) {
        int m = 24_000;
        double a = -12 * sd;
        double h = 24 * sd / m;
        double s = 0;
        for (int k = 0; k <= m; k++) {
            double x = a + k * h;
            double w = k == 0 || k == m ? 1 : k % 2 == 1 ? 4 : 2;
            s += w * g.applyAsDouble(x) * Math.exp(-x * x / (2 * sd * sd));
        }
        return s * h / 3 / (sd * Math.sqrt(2 * Math.PI));
    }

    private static double sech2(double x) {
        return 1 / (Math.cosh(x) * Math.cosh(x));
    }

    @Test
    void momentsMatchAnIndependentIntegralAndTheIdentityTanh2PlusSech2() {
        for (double sd : new double[] {0.3, 1, 2.5}) {
            TanhMoments m = TanhMoments.gaussian(sd);
            assertEquals(1, m.tanh2() + m.sech2(), 1e-12, "tanh² + sech² = 1 at sd " + sd);
            assertEquals(simpson(x -> Math.tanh(x) * Math.tanh(x), sd), m.tanh2(), 1e-9);
            assertEquals(simpson(TanhMomentsTest::sech2, sd), m.sech2(), 1e-9);
            assertEquals(simpson(x -> sech2(x) * sech2(x), sd), m.sech4(), 1e-9);
            // Jensen: ⟨f′²⟩ > ⟨f′⟩² — eq. 13's factor exceeds eq. 10's f′ part, so the readings differ
            assertTrue(m.sech4() > m.sech2() * m.sech2());
        }
        // the values the docs quote (sd 1)
        TanhMoments one = TanhMoments.gaussian(1);
        assertEquals(0.1447, one.dreamtFactor(), 5e-5);
        assertEquals(0.4644, one.activeFactor(), 5e-5);
        assertThrows(IllegalArgumentException.class, () -> TanhMoments.gaussian(0));
    }

    /**
     * The factors are what eqs. 7–8 and 12–13 average to: over random continuous states σ (i.i.d. N(0, 1)) and a
     * symmetric J with zero diagonal, ⟨h*_i h*_j⟩ with h*_i = f′(σ_i) Σ_p J_ip f(σ_p) is ⟨f²⟩⟨f′⟩² (J²)_ij for i ≠ j
     * (eq. 10's reading), and ⟨Σ_p J_ip J_jp f′(σ_p)²⟩ is ⟨f′²⟩ (J²)_ij (eq. 13's). Monte Carlo, 200,000 states,
     * each entry within 5 standard errors.
     */
    @Test
    void theFactorsAreTheAveragesOverRandomContinuousStates() {
        int n = 5;
        SplittableRandom rng = new SplittableRandom(11);
        double[][] j = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = i + 1; k < n; k++) {
                j[i][k] = j[k][i] = rng.nextDouble(-1, 1);
            }
        }
        double[][] j2 = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                for (int p = 0; p < n; p++) {
                    j2[i][k] += j[i][p] * j[p][k];
                }
            }
        }
        int samples = 200_000;
        double[][] dream = new double[n][n];
        double[][] dream2 = new double[n][n];
        double[][] active = new double[n][n];
        double[][] active2 = new double[n][n];
        double[] sigma = new double[n];
        double[] h = new double[n];
        for (int s = 0; s < samples; s++) {
            for (int i = 0; i < n; i++) {
                sigma[i] = rng.nextGaussian();
            }
            for (int i = 0; i < n; i++) {
                double field = 0;
                for (int p = 0; p < n; p++) {
                    field += j[i][p] * Math.tanh(sigma[p]);
                }
                h[i] = sech2(sigma[i]) * field;
            }
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n; k++) {
                    double d = h[i] * h[k];
                    double a = 0;
                    for (int p = 0; p < n; p++) {
                        a += j[i][p] * j[k][p] * sech2(sigma[p]) * sech2(sigma[p]);
                    }
                    dream[i][k] += d;
                    dream2[i][k] += d * d;
                    active[i][k] += a;
                    active2[i][k] += a * a;
                }
            }
        }
        TanhMoments m = TanhMoments.gaussian(1);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                if (i == k) {
                    continue;
                }
                double md = dream[i][k] / samples;
                double sd = Math.sqrt((dream2[i][k] / samples - md * md) / samples);
                assertEquals(m.dreamtFactor() * j2[i][k], md, 5 * sd, "eq. 10 at " + i + "," + k);
                double ma = active[i][k] / samples;
                double sa = Math.sqrt((active2[i][k] / samples - ma * ma) / samples);
                assertEquals(m.activeFactor() * j2[i][k], ma, 5 * sa, "eq. 13 at " + i + "," + k);
            }
        }
    }
}
