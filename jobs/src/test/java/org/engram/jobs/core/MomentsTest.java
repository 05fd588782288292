package org.engram.jobs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MomentsTest {
    static final double TOL = 1e-12;

    @Test
    void knownSample() {
        Moments m = Moments.of(2, 4, 4, 4, 5, 5, 7, 9);
        assertEquals(8, m.count());
        assertEquals(5.0, m.mean(), TOL);
        assertEquals(32.0 / 7, m.variance(), TOL);
        assertEquals(Math.sqrt(32.0 / 7) / Math.sqrt(8), m.sem(), TOL);
        // t(0.975, 7) = 2.364624251592785
        assertEquals(2.364624251592785 * m.sem(), m.ci95HalfWidth(), 1e-9);
        assertEquals(2, m.min());
        assertEquals(9, m.max());
    }

    @Test
    void mergeIsExactAndOrderIndependent() {
        SplittableRandom r = new SplittableRandom(1);
        double[] xs = new double[1000];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = r.nextGaussian() * 1e6 + 1e-6 * r.nextDouble();
        }
        Moments all = Moments.of(xs);
        Moments a = new Moments();
        Moments b = new Moments();
        for (int i = 0; i < xs.length; i++) {
            (i % 3 == 0 ? a : b).add(xs[xs.length - 1 - i]);
        }
        Moments merged = b.merge(a);
        assertEquals(Double.doubleToLongBits(all.mean()), Double.doubleToLongBits(merged.mean()));
        assertEquals(Double.doubleToLongBits(all.std()), Double.doubleToLongBits(merged.std()));
    }

    @Test
    void smallSamplesAndBadValues() {
        Moments one = Moments.of(3);
        assertEquals(3, one.mean());
        assertTrue(Double.isNaN(one.std()));
        assertTrue(Double.isNaN(one.ci95HalfWidth()));
        assertTrue(Double.isNaN(new Moments().mean()));
        assertThrows(IllegalArgumentException.class, () -> new Moments().add(Double.NaN));
        assertEquals(0.0, Moments.of(1e300, 1e300, 1e300).variance(), 0.0);
    }

    @Test
    void welchsIntervalOfADifferenceMatchesScipy() {
        // golden values from scipy.stats.t.ppf(0.975, df) with the Welch–Satterthwaite df (4 and 4.0755)
        double[] equal = Moments.welchDifferenceCi95(Moments.of(1, 2, 3), Moments.of(4, 5, 6));
        assertEquals(-5.266957935527524, equal[0], 1e-9);
        assertEquals(-0.7330420644724769, equal[1], 1e-9);
        double[] unequal = Moments.welchDifferenceCi95(Moments.of(1, 2, 3), Moments.of(0, 2, 4, 6));
        assertEquals(-4.897975451083134, unequal[0], 1e-9);
        assertEquals(2.897975451083134, unequal[1], 1e-9);
        double[] still = Moments.welchDifferenceCi95(Moments.of(2, 2), Moments.of(0.5, 0.5, 0.5));
        assertEquals(1.5, still[0], 0);
        assertEquals(1.5, still[1], 0);
        assertTrue(Double.isNaN(Moments.welchDifferenceCi95(Moments.of(1), Moments.of(1, 2))[0]));
    }

    @Test
    void confidenceIntervalIsClippedToTheQuantitysRange() {
        // two accuracies near 1: t(0.975, 1) = 12.706 makes the raw interval reach far past 1
        Aggregate a = new Aggregate("t", null, "accuracy", 2, 0, null, Moments.of(0.9, 0.98));
        double[] raw = Tables.ci(a);
        assertTrue(raw[1] > 1.2 && raw[0] < 0.5, "raw " + raw[0] + " … " + raw[1]);
        double[] clipped = Tables.ci(a, 0, 1);
        assertEquals(raw[0], clipped[0], TOL);
        assertEquals(1.0, clipped[1], TOL);
        double[] both = Tables.ci(new Aggregate("t", null, "x", 2, 0, null, Moments.of(0.1, 0.9)), 0.3, 0.6);
        assertEquals(0.3, both[0], TOL);
        assertEquals(0.6, both[1], TOL);
    }

    @Test
    void aProportionsIntervalIsWilsonsAndNeverLeavesZeroToOne() {
        double[] none = Moments.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0).ci95();
        assertEquals(0, none[0], 0);
        assertEquals(3.841458820694124 / 13.841458820694124, none[1], 1e-12, "z² / (n + z²) at 0 of 10");
        double[] all = Moments.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1).ci95();
        assertEquals(1 - none[1], all[0], 1e-12);
        assertEquals(1, all[1], 0);
        double[] half = Moments.of(0, 1, 0, 1, 0, 1, 0, 1, 0, 1).ci95();
        assertEquals(0.23659309051878, half[0], 1e-9, "Wilson, 5 of 10");
        assertEquals(0.76340690948122, half[1], 1e-9);
        // the case: 1 of 20 converged — Student's t gives a negative lower end, Wilson does not
        double[] t = {Moments.of(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).mean()
                - Moments.of(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).ci95HalfWidth()};
        assertTrue(t[0] < 0);
        double[] w = Moments.of(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).ci95();
        assertTrue(w[0] > 0 && w[1] < 0.25, w[0] + " … " + w[1]);
        // values that are not all 0 or 1 keep the t interval, even inside [0, 1]
        Moments frac = Moments.of(0.2, 0.4, 0.9);
        assertFalse(frac.binary());
        assertEquals(frac.mean() - frac.ci95HalfWidth(), frac.ci95()[0], 1e-12);
        assertTrue(Double.isNaN(Moments.of(1).ci95()[0]), "fewer than two values");
    }
}
