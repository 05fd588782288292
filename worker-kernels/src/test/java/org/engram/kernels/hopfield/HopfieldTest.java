package org.engram.kernels.hopfield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HopfieldTest {
    @Test
    void hebbThroughBlasEqualsTheTripleLoopWithZeroDiagonal() {
        int n = 70;
        int p = 9;
        float[] xi = Patterns.random(p, n, new SplittableRandom(1));
        float[] j = Couplings.hebb(xi, p, n);
        assertArrayEquals(Couplings.hebbNaive(xi, p, n), j, 1e-6f);
        for (int i = 0; i < n; i++) {
            assertEquals(0f, j[i * n + i]);
            for (int k = 0; k < n; k++) {
                assertEquals(j[i * n + k], j[k * n + i]);
            }
        }
    }

    @Test
    void energyNeverRisesUnderZeroTemperatureAsynchronousUpdatesAndFieldsStayExact() {
        int n = 300;
        int p = 90; // α = 0.3: many spurious minima, long relaxations
        SplittableRandom r = new SplittableRandom(2);
        float[] xi = Patterns.random(p, n, r);
        Hopfield net = new Hopfield(Couplings.hebb(xi, p, n), n);
        for (Hopfield.Order order : new Hopfield.Order[] {Hopfield.Order.RANDOM, Hopfield.Order.SEQUENTIAL}) {
            float[] s = Patterns.randomState(n, r);
            double[] h = new double[n];
            net.fields(s, h);
            double e = net.energy(s);
            int decreases = 0;
            for (int sweep = 0; sweep < 100; sweep++) {
                int taken = net.relax(s, h, order, 1, r);
                double next = net.energy(s);
                assertTrue(next <= e + 1e-9, order + ": energy rose from " + e + " to " + next);
                if (next < e) {
                    decreases++;
                }
                e = next;
                if (taken == 1) {
                    break;
                }
            }
            assertTrue(decreases > 1, "dynamics did something");
            double[] fresh = new double[n];
            net.fields(s, fresh);
            assertArrayEquals(fresh, h, 1e-4, "incremental fields drifted");
            for (int i = 0; i < n; i++) {
                assertTrue(s[i] * h[i] >= 0, "fixed point: every spin aligned with its field");
            }
        }
    }

    @Test
    void patternsAreFixedPointsAtLowLoading() {
        int n = 1000;
        int p = 20;
        SplittableRandom r = new SplittableRandom(3);
        float[] xi = Patterns.random(p, n, r);
        Hopfield net = new Hopfield(Couplings.hebb(xi, p, n), n);
        for (int mu = 0; mu < p; mu++) {
            float[] s = Patterns.corrupted(xi, mu, n, 0, r);
            double[] h = new double[n];
            net.fields(s, h);
            assertEquals(1, net.relax(s, h, Hopfield.Order.RANDOM, 10, r), "pattern " + mu + " is not a fixed point");
        }
        Unlearning.Stability st = Unlearning.stability(net, xi, p);
        assertEquals(1.0, st.stableFraction());
        // Δ of a Hebbian pattern bit: mean ≈ 1/√α·… ; every bit positive at α = 0.02
        assertTrue(st.min() > 0);
    }

    @Test
    void retrievalFromACorruptedPatternCollapsesBetweenAlpha012And016() {
        int n = 2000;
        double[] mean = new double[2];
        double[] alphas = {0.12, 0.16};
        for (int a = 0; a < 2; a++) {
            SplittableRandom r = new SplittableRandom(4 + a);
            int p = (int) Math.round(alphas[a] * n);
            float[] xi = Patterns.random(p, n, r);
            Hopfield net = new Hopfield(Couplings.hebb(xi, p, n), n);
            int tried = 20;
            for (int mu = 0; mu < tried; mu++) {
                mean[a] += net.retrieve(xi, mu, 0.1, Hopfield.Order.RANDOM, 200, r) / tried;
            }
        }
        assertTrue(mean[0] > 0.95, "α = 0.12 retrieves: m = " + mean[0]);
        assertTrue(mean[1] < 0.6, "α = 0.16 does not: m = " + mean[1]);
    }

    @Test
    void synchronousDynamicsReachesTheSameFixedPointAtLowLoadingAndDetectsNothingElse() {
        int n = 400;
        int p = 8;
        SplittableRandom r = new SplittableRandom(6);
        float[] xi = Patterns.random(p, n, r);
        Hopfield net = new Hopfield(Couplings.hebb(xi, p, n), n);
        assertEquals(1.0, net.retrieve(xi, 3, 0.1, Hopfield.Order.SYNCHRONOUS, 50, r), 1e-12);
    }

    @Test
    void unlearningRejectsANonPositiveRate() {
        Hopfield net = new Hopfield(new float[4], 2);
        assertThrows(IllegalArgumentException.class, () -> new Unlearning(net, 0, 10));
    }

    @Test
    void unlearningRaisesTheStabilityOfPatternsAboveHebbsCapacity() {
        int n = 200;
        int p = 50; // α = 0.25: Hebb has unstable bits
        SplittableRandom r = new SplittableRandom(7);
        float[] xi = Patterns.random(p, n, r);
        Hopfield net = new Hopfield(Couplings.hebb(xi, p, n), n);
        Unlearning.Stability before = Unlearning.stability(net, xi, p);
        Unlearning u = new Unlearning(net, 0.01, 1000);
        // Dε/N = 0.3: in the window where Benedetti et al. find every pattern bit stable at this α
        for (int d = 0; d < 6000; d++) {
            u.dream(r);
        }
        Unlearning.Stability after = Unlearning.stability(net, xi, p);
        assertTrue(before.stableFraction() < 0.99, "Hebb at α = 0.25 has unstable bits: " + before);
        assertTrue(after.stableFraction() > before.stableFraction(), before + " -> " + after);
        assertTrue(after.min() > before.min(), before + " -> " + after);
        assertEquals(0, u.unconverged());
    }

    /** A kept diagonal is a self-coupling: a spin flips only against a field from the others larger than J_ii. */
    @Test
    void aSelfCouplingHoldsASpinAgainstAWeakerField() {
        float[] kept = {0.5f, 0.3f, 0.3f, 0.5f};
        float[] zeroed = {0f, 0.3f, 0.3f, 0f};
        for (float[] j : java.util.List.of(kept, zeroed)) {
            Hopfield net = new Hopfield(j, 2);
            float[] s = {1f, -1f};
            double[] h = new double[2];
            net.fields(s, h);
            assertEquals(j[0] == 0 ? -0.3 : 0.2, h[0], 1e-6);
            net.relax(s, h, Hopfield.Order.SEQUENTIAL, 10, new java.util.SplittableRandom(1));
            // kept: both spins hold (0.5 > 0.3); zeroed: the first flip aligns them
            assertEquals(j[0] == 0, s[0] == s[1], java.util.Arrays.toString(s));
        }
    }
}
