package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.engram.driver.catalogue.Nightly;
import org.engram.driver.engine.DriverSettings;
import org.engram.driver.engine.RunOptions;
import org.engram.driver.engine.RunResult;
import org.engram.driver.engine.SweepRunner;
import org.engram.jobs.sweep.PreparedSweep;

/**
 * The driver tests' one way to run a sweep (on a real local Spark master, quietly, into a test-owned folder)
 * and their one way to compare two runs' tables.
 */
final class Sweeps {
    static final Path CONF = Path.of("..", "conf");
    /** Where tests send console output they do not read. */
    static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    private Sweeps() {
    }

    static PreparedSweep<?> prepare(String conf, List<String> sets) {
        return DriverSettings.prepare(CONF.resolve(conf).toFile(), sets);
    }

    /** Runs a prepared sweep quietly on {@code master} into {@code output} (a path or URI). */
    static RunResult run(PreparedSweep<?> p, String master, String output, String runId, boolean force) {
        return new SweepRunner(QUIET).run(p, new RunOptions(master, Map.of("spark.ui.enabled", "false"), output, runId,
                true, force));
    }

    static RunResult run(String conf, List<String> sets, String master, Path output, String runId) {
        return run(prepare(conf, sets), master, output.toString(), runId, false);
    }

    static File dir(RunResult r) {
        return new File(java.net.URI.create(r.outputDir()));
    }

    /**
     * Every aggregated and derived CSV of two runs of the same conf is byte-identical, except the timing table
     * (wall clock, and the only one allowed to differ); returns how many files were compared.
     */
    static int assertSameTables(File a, File b) throws IOException {
        int compared = 0;
        for (String sub : List.of("aggregated", "derived")) {
            String[] names = new File(a, sub).list((d, n) -> n.endsWith(".csv") && !Nightly.wallClock(n));
            java.util.Arrays.sort(names);
            String[] other = new File(b, sub).list((d, n) -> n.endsWith(".csv") && !Nightly.wallClock(n));
            java.util.Arrays.sort(other);
            assertEquals(List.of(names), List.of(other), sub + " tables");
            for (String n : names) {
                assertEquals(Files.readString(new File(a, sub + "/" + n).toPath()),
                        Files.readString(new File(b, sub + "/" + n).toPath()), sub + "/" + n + " differs");
                compared++;
            }
        }
        assertTrue(new File(a, "aggregated/" + Nightly.TIMING).exists()
                == new File(b, "aggregated/" + Nightly.TIMING).exists());
        return compared;
    }

    /**
     * The named files of two runs are the same: CSV files byte for byte; Parquet files record by record (across
     * JVMs parquet-mr lists a column's encodings in HashSet order, so footers may differ in that order).
     */
    static void assertSameFiles(File a, File b, List<String> files) throws IOException {
        for (String f : files) {
            if (f.endsWith(".parquet")) {
                List<String> x = parquetRecords(a.toPath().resolve(f).toFile());
                assertTrue(!x.isEmpty());
                assertEquals(x, parquetRecords(b.toPath().resolve(f).toFile()), f);
            } else {
                assertArrayEquals(Files.readAllBytes(a.toPath().resolve(f)), Files.readAllBytes(b.toPath().resolve(f)),
                        f + " differs between " + a + " and " + b);
            }
        }
    }

    /** The records of a Parquet file (or of every part of a folder), as text, in order. */
    static List<String> parquetRecords(File dir) throws IOException {
        List<String> out = new ArrayList<>();
        File[] parts = dir.isDirectory() ? dir.listFiles((d, name) -> name.endsWith(".parquet")) : new File[] {dir};
        java.util.Arrays.sort(parts);
        for (File f : parts) {
            try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(),
                    new org.apache.hadoop.fs.Path(f.toURI())).withConf(new Configuration()).build()) {
                for (Group g = r.read(); g != null; g = r.read()) {
                    out.add(g.toString());
                }
            }
        }
        return out;
    }
}
