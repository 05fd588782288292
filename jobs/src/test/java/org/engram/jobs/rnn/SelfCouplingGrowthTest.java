package org.engram.jobs.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two growth laws of J_D*(N): each recovers its own law exactly and misses the other's. */
class SelfCouplingGrowthTest {
    static final double[] NS = {100, 400, 1600, 6400, 25600, 102400};

    static double[] law(java.util.function.DoubleUnaryOperator f) {
        double[] y = new double[NS.length];
        for (int i = 0; i < NS.length; i++) {
            y[i] = f.applyAsDouble(NS[i]);
        }
        return y;
    }

    @Test
    void eachLawFitsItsOwnDataExactlyAndNotTheOther() {
        double[] logData = law(n -> 0.3 + 0.1 * Math.log(n));
        double[] powerData = law(n -> 0.2 * Math.pow(n, 0.15));
        List<List<Object>> rows = new ArrayList<>();
        SelfCouplingJob.Growth.LOG.fit(NS, logData, rows);
        assertEquals(NS.length, rows.size());
        for (List<Object> r : rows) {
            assertEquals("log", r.get(0));
            assertEquals(0, (Double) r.get(4), 1e-12, "residual");
            assertEquals(0.3, (Double) r.get(5), 1e-12, "a");
            assertEquals(0.1, (Double) r.get(6), 1e-12, "b");
            assertEquals(1, (Double) r.get(8), 1e-12, "R²");
        }
        rows.clear();
        SelfCouplingJob.Growth.POWER.fit(NS, powerData, rows);
        assertEquals(Math.log(0.2), (Double) rows.get(0).get(5), 1e-12, "ln c");
        assertEquals(0.15, (Double) rows.get(0).get(6), 1e-12, "p");
        assertEquals(0, (Double) rows.get(0).get(7), 1e-20, "rss");
        // a power law is convex in ln N: the log law leaves residuals of one sign at the ends and the other inside
        rows.clear();
        SelfCouplingJob.Growth.LOG.fit(NS, powerData, rows);
        double rss = 0;
        double sum = 0;
        for (List<Object> r : rows) {
            double res = (Double) r.get(4);
            rss += res * res;
            sum += res;
            assertEquals((Double) r.get(2) - (Double) r.get(3), res, 1e-12);
        }
        assertEquals(0, sum, 1e-12, "least squares with an intercept: the residuals sum to 0");
        assertEquals(rss, (Double) rows.get(0).get(7), 1e-15);
        assertTrue(rss > 1e-4, "a power law is not a line in ln N: rss " + rss);
        assertTrue((Double) rows.get(0).get(4) > 0 && (Double) rows.get(NS.length - 1).get(4) > 0
                && (Double) rows.get(2).get(4) < 0, rows.toString());
    }

    @Test
    void sizesWithoutAJdStarAreLeftOutAndTooFewPointsFitNothing() {
        double[] some = law(n -> 0.3 + 0.1 * Math.log(n));
        some[1] = Double.NaN;
        some[4] = Double.NaN;
        List<List<Object>> rows = new ArrayList<>();
        double[] fitted = SelfCouplingJob.Growth.LOG.fit(NS, some, rows);
        assertEquals(4, rows.size());
        assertTrue(Double.isNaN(fitted[1]) && Double.isNaN(fitted[4]));
        double[] two = {0.5, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0.9};
        assertNull(SelfCouplingJob.Growth.POWER.fit(NS, two, new ArrayList<>()));
        // J_D* = 0 cannot be on a power law's log axis: left out of that fit only
        double[] zero = law(n -> 0.3 + 0.1 * Math.log(n));
        zero[0] = 0;
        List<List<Object>> p = new ArrayList<>();
        SelfCouplingJob.Growth.POWER.fit(NS, zero, p);
        assertEquals(NS.length - 1, p.size());
    }
}
