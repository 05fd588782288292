package org.engram.driver;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.engram.jobs.config.JobRegistry;
import org.engram.jobs.config.PreparedSweep;

/** Runs sweeps on a real local Spark master for tests, quietly, into a test-owned folder. */
final class Sweeps {
    static final Path CONF = Path.of("..", "conf");

    private Sweeps() {
    }

    static PreparedSweep prepare(String conf, List<String> sets) {
        return PreparedSweep.prepare(CONF.resolve(conf).toFile(), sets, JobRegistry.standard());
    }

    static RunResult run(String conf, List<String> sets, String master, Path output, String runId) {
        PreparedSweep p = prepare(conf, sets);
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        return new SweepRunner(quiet).run(p, new RunOptions(master, Map.of("spark.ui.enabled", "false"),
                output.toString(), runId, true, false));
    }

    static File dir(RunResult r) {
        return new File(java.net.URI.create(r.outputDir()));
    }
}
