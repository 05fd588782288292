package org.engram.driver.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class RbmBenchmarkTest {
    /** Order statistics 1..n shuffled, so that the interval's ends name the ranks chosen. */
    private static double[] ranks(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (7 * i) % n + 1; // a permutation of 1..n (7 and n coprime below)
        }
        return x;
    }

    @Test
    void medianIntervalIsTheWidestPairOfOrderStatisticsWithNinetyFivePercentCoverage() {
        assertNull(RbmBenchmark.medianCi(ranks(5)), "1 − 2/32 < 0.95: no interval");
        // n = 6: only the range, coverage 1 − 2/64
        assertArrayEquals(new double[] {1, 6, 1 - 2.0 / 64}, RbmBenchmark.medianCi(ranks(6)), 1e-12);
        // n = 8: P(Bin ≤ 1) = 9/256 > 0.025, so still the range, 1 − 2/256
        assertArrayEquals(new double[] {1, 8, 1 - 2.0 / 256}, RbmBenchmark.medianCi(ranks(8)), 1e-12);
        // n = 20: P(Bin ≤ 5) = 21700/2^20 = 0.0207 ≤ 0.025 < P(Bin ≤ 6) = 0.0577: ranks 6 and 15
        double[] ci = RbmBenchmark.medianCi(ranks(20));
        assertEquals(6, ci[0]);
        assertEquals(15, ci[1]);
        assertEquals(1 - 2 * 21700.0 / (1 << 20), ci[2], 1e-12);
    }

    /**
     * The NumPy baseline's KH step (sparse: only the rows that won or came second) computes the dense formula of
     * the reference notes — so "vs NumPy" compares the same epoch. Runs the script's own check in python3.
     */
    @Test
    void numpyBaselineKhStepEqualsTheDenseFormula() throws Exception {
        Path script = Path.of("..", "deploy", "bench", "rbm_numpy.py");
        Process probe = new ProcessBuilder("python3", "-c", "import numpy").start();
        Assumptions.assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "python3 with numpy is needed for the NumPy baseline");
        Process p = new ProcessBuilder("python3", script.toString(), "--self-check").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(120, TimeUnit.SECONDS), "self-check finishes");
        assertEquals(0, p.exitValue(), out);
        JsonNode r = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        // float32 rounding of a step whose largest element is ε: relative differences of order 1e-6
        assertEquals(0.0, r.get("max_relative_difference").asDouble(), 1e-5, out);
        for (JsonNode pair : r.get("rows_changed_sparse_dense")) {
            assertEquals(pair.get(1).asInt(), pair.get(0).asInt(), "rows changed: " + out);
            assertEquals(true, pair.get(0).asInt() > 10, "the step changed rows: " + out);
        }
    }
}
