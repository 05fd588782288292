package org.engram.kernels.hopfield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Eq. 14 against exact enumeration of the Boltzmann law at N = 8. */
class PersistentDynamicsTest {
    static final int N = 8;

    /** Total-variation distance between the chain's visit frequencies and exp(−βH)/Z over all 2^N states. */
    static double distanceFromBoltzmann(double a, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] xi = Patterns.random(2, N, r);
        Hopfield net = new Hopfield(Couplings.hebb(xi, 2, N), N);
        double beta = 1 / 0.5;
        int states = 1 << N;
        double[] exact = new double[states];
        double z = 0;
        for (int k = 0; k < states; k++) {
            exact[k] = Math.exp(-beta * net.energy(state(k)));
            z += exact[k];
        }
        float[] s = state(0);
        double[] h = new double[N];
        net.fields(s, h);
        boolean[] last = new boolean[N];
        long[] visits = new long[states];
        int sweeps = 400_000;
        for (int t = 0; t < 1000; t++) {
            net.persistentSweep(s, h, last, beta, a, r);
        }
        for (int t = 0; t < sweeps; t++) {
            net.persistentSweep(s, h, last, beta, a, r);
            visits[index(s)]++;
        }
        double tv = 0;
        for (int k = 0; k < states; k++) {
            tv += Math.abs(visits[k] / (double) sweeps - exact[k] / z);
        }
        return tv / 2;
    }

    static float[] state(int k) {
        float[] s = new float[N];
        for (int i = 0; i < N; i++) {
            s[i] = ((k >> i) & 1) == 1 ? 1f : -1f;
        }
        return s;
    }

    static int index(float[] s) {
        int k = 0;
        for (int i = 0; i < N; i++) {
            if (s[i] > 0) {
                k |= 1 << i;
            }
        }
        return k;
    }

    @Test
    void passiveChainHasTheHeatBathStationaryLaw() {
        // 4e5 correlated sweeps over 256 states: sampling noise in TV is ≈ 0.01
        double tv = distanceFromBoltzmann(0, 1);
        assertTrue(tv < 0.02, "TV distance of a = 0 from exp(−βH)/Z: " + tv);
    }

    @Test
    void persistenceMovesTheChainAwayFromIt() {
        double tv = distanceFromBoltzmann(0.8, 1);
        assertTrue(tv > 0.04, "a = 0.8 should not be the Boltzmann law; TV = " + tv);
    }

    @Test
    void flipProbabilitiesStayInTheUnitIntervalAndAZeroIsTheHeatBath() {
        for (double p = 0; p <= 1; p += 0.05) {
            double q = 1 - p;
            for (double a = 0; a <= 1; a += 0.1) {
                double gamma = a * Math.min(p, q);
                for (double base : new double[] {p, q}) {
                    assertTrue(base - gamma >= -1e-15 && base + gamma <= 1 + 1e-15);
                }
            }
        }
        assertEquals(1 / (1 + Math.exp(-2 * 2.0 * 0.3)), Hopfield.plus(2.0, 0.3), 1e-15);
        assertEquals(1.0, Hopfield.plus(Double.POSITIVE_INFINITY, 0.3));
        assertEquals(0.5, Hopfield.plus(Double.POSITIVE_INFINITY, 0));
    }
}
