package org.engram.kernels.hopfield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The AGS replica-symmetric solution against its known values (Amit, Gutfreund, Sompolinsky 1985/1987). */
class AgsTest {
    @Test
    void zeroTemperatureCapacityAndOverlapAtIt() {
        // α_c ≈ 0.138 (AGS: 0.138; the maximum of α(y) is 0.1379); m just below α_c ≈ 0.967
        double ac = Ags.alphaC();
        assertEquals(0.1379, ac, 5e-4);
        Ags.Solution s = Ags.zeroTemperature(ac - 1e-6);
        assertEquals(0.967, s.m(), 2e-3);
        assertNull(Ags.zeroTemperature(ac + 1e-3));
        // at α = 0.05 the retrieval state is almost perfect (1 − m ≈ 1e-5 scale)
        assertTrue(Ags.zeroTemperature(0.05).m() > 0.999);
    }

    @Test
    void retrievalLineStartsAtOneAndDecreasesToZeroAtAlphaC() {
        assertEquals(1.0, Ags.retrievalLine(0, 1e-7).tm(), 1e-3);
        double previous = 1.0 + 1e-9;
        for (double alpha : new double[] {0.001, 0.01, 0.03, 0.05, 0.08, 0.1, 0.12, 0.13, 0.135}) {
            Ags.LinePoint lp = Ags.retrievalLine(alpha, 1e-6);
            assertTrue(lp.tm() < previous, "T_M(" + alpha + ") = " + lp.tm() + " after " + previous);
            previous = lp.tm();
            // the transition is first order for α > 0: the overlap just below T_M is far from 0
            if (alpha >= 0.01) {
                assertTrue(lp.mAtTm() > 0.3, "m(T_M) at α = " + alpha + ": " + lp.mAtTm());
            }
        }
        assertTrue(previous < 0.3, "T_M(0.135) = " + previous);
        assertTrue(Double.isNaN(Ags.retrievalLine(0.14, 1e-6).tm()));
    }

    @Test
    void theSaddlePointHoldsAtAFiniteTemperatureSolution() {
        Ags.Solution s = Ags.retrieval(0.05, 0.3);
        double[] r = Ags.residual(s.m(), s.c(), 0.05, 0.3);
        assertEquals(0, r[0], 1e-9);
        assertEquals(0, r[1], 1e-9);
        assertTrue(s.m() > 0.9);
        // and the finite-T integrals tend to the T = 0 limits
        double[] small = Ags.integrals(0.8, 0.3, 1e-4);
        double[] zero = Ags.integrals(0.8, 0.3, 0);
        assertEquals(zero[0], small[0], 1e-6);
        assertEquals(zero[1], small[1], 1e-4);
    }
}
