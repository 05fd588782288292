package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.engram.driver.engine.Progress;
import org.junit.jupiter.api.Test;

/** The ETA's rate: work measured from when it was first seen, over a window that follows a change of pace. */
class ProgressTest {
    @Test
    void startUpIsNotWorkAndTheEtaFollowsTheRecentPace() {
        Progress.Rate rate = new Progress.Rate();
        assertTrue(Double.isNaN(rate.eta(5, 0)), "no work measured yet");
        // work is first seen at t = 11 s (Spark and data loading before it) and runs at 1% per second
        assertEquals(11 * 0.99 / 0.01, rate.eta(11, 0.01), 1e-9, "one sample: elapsed time extrapolated");
        for (int t = 12; t < 30; t += 2) {
            rate.eta(t, (t - 10) / 100.0);
        }
        assertEquals(19 * 0.8 / 0.19, rate.eta(30, 0.20), 1e-9, "≈ 80 s at 1%/s from when work began, where the "
                + "elapsed time since the start extrapolates to 120 s");
        for (int t = 32; t <= 60; t += 2) {
            rate.eta(t, (t - 10) / 100.0);
        }
        // the pace halves at t = 60; at t = 100 the window (the last 60 s) starts at t = 40, f = 0.30
        for (int t = 62; t < 100; t += 2) {
            rate.eta(t, 0.5 + (t - 60) * 0.005);
        }
        double eta = rate.eta(100, 0.7);
        assertEquals(60 * 0.3 / 0.4, eta, 1e-9);
        assertTrue(eta > (100 - 11) * 0.3 / (0.7 - 0.01), "slower than since work began: it follows the new pace");
        assertEquals(0, rate.eta(101, 1.0), "done");
    }
}
