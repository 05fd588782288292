package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVRecord;
import org.engram.driver.engine.RunResult;
import org.engram.jobs.core.SweepIdentity;
import org.engram.jobs.synthetic.SyntheticJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Injected failures become FAILED rows counted per cell; aggregates equal exact values from the seeds. */
class FailureTest {
    @TempDir
    Path out;

    @Test
    void throwsAndNaNsAreFailedRowsAndTheRestAggregatesExactly() throws IOException {
        RunResult r = Sweeps.run("quick/engine.synthetic.conf", List.of(), "local[2]", out, "fail");
        assertEquals(120, r.trials());
        assertEquals(20, r.failedTrials(), "replicates 3 and 5 of each of 10 cells");
        assertEquals(3, r.exitCode());
        File dir = Sweeps.dir(r);
        List<CSVRecord> failures = EndToEndTest.csv(new File(dir, "failures.csv"));
        assertEquals(10, failures.size());
        for (CSVRecord f : failures) {
            assertEquals("2", f.get("failed"));
            assertTrue(f.get("first_failure").contains("injected failure in replicate 3"), f.get("first_failure"));
        }
        JsonNode m = new ObjectMapper().readTree(new File(dir, "manifest.json"));
        assertEquals("complete-with-failures", m.get("status").asText());
        assertEquals(10, m.at("/counts/failed_per_cell").size());
        assertEquals(120, EndToEndTest.parquetRows(new File(dir, "raw/trials")));
        SweepIdentity id = new SweepIdentity("engine.synthetic.quick", 0);
        for (CSVRecord c : EndToEndTest.csv(new File(dir, "aggregated/trials.csv"))) {
            if (!c.get("metric").equals("value")) {
                continue;
            }
            String key = "x=" + c.get("x").replace(".0", "") + ",k=" + c.get("k");
            BigDecimal sum = BigDecimal.ZERO;
            int n = 0;
            for (int rep = 0; rep < 12; rep++) {
                if (rep == 3 || rep == 5) {
                    continue;
                }
                sum = sum.add(new BigDecimal(SyntheticJob.value(id.derive(key, rep, "value"))));
                n++;
            }
            assertEquals(10, Long.parseLong(c.get("count")));
            assertEquals(12, Long.parseLong(c.get("trials")));
            assertEquals(sum.divide(BigDecimal.valueOf(n), MathContext.DECIMAL128).doubleValue(),
                    Double.parseDouble(c.get("mean")), 0.0, key);
        }
    }

    @Test
    void invalidConfigRunsNothingAndExitsWithTwo() throws IOException {
        File bad = out.resolve("bad.conf").toFile();
        java.nio.file.Files.writeString(bad.toPath(), "sweep { id = x, job = rnn.reinforcement }\nparams.max-steps = -1\n");
        int code = Engram.execute("run", bad.getPath(), "--output", out.resolve("res").toString());
        assertEquals(Engram.INVALID_CONFIG, code);
        assertTrue(!out.resolve("res").toFile().exists(), "nothing was written");
    }
}
