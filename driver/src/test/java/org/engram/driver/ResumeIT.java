package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.engram.driver.engine.Ledger;
import org.junit.jupiter.api.Test;

/**
 * The driver is killed (SIGKILL) in the middle of a sweep; the re-submitted sweep replays what the
 * ledger holds, computes only the missing trials, and gives the tables of an uninterrupted run.
 */
class ResumeIT {
    static final String CONF = "quick/engine.synthetic.conf";
    // 8 cells × 40 replicates in 80 units of 4 trials, 0.2 s each: about 8 s on local[2]
    static final List<String> SETS = List.of("grid.x=[0, 1, 2, 3]", "replicates.count=40", "params.trials-per-unit=4",
            "params.throw-replicates=[]", "params.nan-replicates=[]", "params.work-nanos=50000000",
            "ledger.seal-seconds=0.5");

    /** The units recorded in sealed segments (a segment is sealed every half second while its task runs). */
    static long ledgerEntries(Path ledger) {
        return new Ledger(ledger.toUri().toString()).scan(new org.apache.hadoop.conf.Configuration()).entries().size();
    }

    @Test
    void aKilledDriverLosesNothingAlreadyComputed() throws Exception {
        Path dir = Files.createTempDirectory(Submitter.TARGET, "resume-");
        Path results = dir.resolve("results");
        Path ledger = results.resolve("engine.synthetic.quick/ledger");
        try (Submitter jvm = new Submitter(dir)) {
            Process p = jvm.submit(CONF, SETS, "local[2]", results, "run", "first.log");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (ledgerEntries(ledger) < 20) {
                assertTrue(System.nanoTime() < deadline && p.isAlive(), "the first run ended early; see first.log");
                Thread.sleep(100);
            }
            Submitter.kill(p);
            p.waitFor(30, TimeUnit.SECONDS);
            long entries = ledgerEntries(ledger);
            assertTrue(entries >= 20 && entries < 80, "killed mid-sweep with " + entries + " of 80 units recorded");
            assertFalse(Files.exists(results.resolve("engine.synthetic.quick/run")), "a killed run publishes nothing");

            Process again = jvm.submit(CONF, SETS, "local[2]", results, "run", "second.log");
            assertTrue(again.waitFor(300, TimeUnit.SECONDS));
            assertEquals(0, again.exitValue(), "see " + dir.resolve("second.log"));
            String log = Files.readString(dir.resolve("second.log"));
            Matcher m = Pattern.compile("the ledger holds (\\d+) of 320 trials").matcher(log);
            assertTrue(m.find(), log);
            long reused = Long.parseLong(m.group(1));
            assertTrue(reused >= 4 * entries, "every recorded unit is reused: " + reused + " vs " + entries + " units");

            File resumed = results.resolve("engine.synthetic.quick/run").toFile();
            JsonNode manifest = new ObjectMapper().readTree(new File(resumed, "manifest.json"));
            assertEquals(reused, manifest.at("/counts/reused_trials").asLong());
            assertEquals(320 - reused, manifest.at("/counts/computed_trials").asLong(), "only the missing trials ran");
            assertEquals(80, ledgerEntries(ledger));

            File uninterrupted = Sweeps.dir(Sweeps.run(CONF, SETS, "local[2]", dir.resolve("fresh"), "fresh"));
            Sweeps.assertSameFiles(resumed, uninterrupted, List.of("aggregated/trials.csv",
                    "aggregated/trials.parquet"));
            assertEquals(320, EndToEndTest.parquetRows(new File(resumed, "raw/trials")), "no duplicate rows");
        }
    }
}
