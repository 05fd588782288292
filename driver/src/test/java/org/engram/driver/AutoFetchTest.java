package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.engram.jobs.sweep.PreparedSweep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep whose dataset is missing fetches it first, unless told not to; plan says what is present. */
class AutoFetchTest {
    @TempDir
    Path dir;

    @Test
    void aMissingDatasetIsFetchedBeforeTheRunOrStopsItWithNoFetch() {
        String data = dir.resolve("data").toString();
        List<String> sets = List.of("params.data-dir=\"" + data + "\"", "grid.hidden=[10]", "params.epochs=1",
                "params.schedule=1", "params.train-rows=500", "params.eval-rows=200", "replicates.seeds=1",
                "grid.variant=[none]");
        PreparedSweep<?> p = Sweeps.prepare("quick/kh.reconstruction.conf", sets);
        List<String> before = Datasets.status(p.plan());
        assertEquals(1, before.size());
        assertTrue(before.get(0).startsWith("fashion-mnist under " + data + ": missing"), before.get(0));

        // --no-fetch: exit 2 before Spark, with the command that fetches it; nothing fetched or written
        String[] args = {"run", Sweeps.CONF.resolve("quick/kh.reconstruction.conf").toString(), "--quiet", "--no-fetch",
            "--output", dir.resolve("results").toString(), "--set", sets.get(0)};
        Object[] r = CliTest.captured(() -> Engram.execute(args));
        assertEquals(2, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains("deploy/engram data fetch fashion-mnist"), (String) r[2]);
        assertFalse(Files.exists(dir.resolve("data")));
        assertFalse(Files.exists(dir.resolve("results")));

        // by default the run fetches it (Debian's package, as engram data fetch does) and runs
        RunResult run = Sweeps.run(p, "local[1]", dir.resolve("results").toString(), "fetched", false);
        assertEquals(0, run.failedTrials());
        assertTrue(Files.exists(dir.resolve("data/fashion-mnist/dataset.json")));
        assertTrue(Datasets.status(p.plan()).get(0).endsWith(": present"));
    }
}
