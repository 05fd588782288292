package org.engram.driver.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.engram.jobs.config.Problems;
import org.engram.jobs.sweep.PreparedSweep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adaptive sweeps on a real local Spark master, on {@code engine.shapes} (a circle of known position): the boundary
 * found is every lattice edge the circle crosses; one core and two give the same tables; a run stopped in the middle
 * of a round resumes into the same rounds and tables; sequential replicates go where the interval straddles the rule.
 */
class AdaptiveSweepTest {
    static final Path CONF = Path.of("..", "conf");

    @TempDir
    Path out;

    static PreparedSweep<?> prepare(Path conf, List<String> sets) {
        return DriverSettings.prepare(conf.toFile(), sets);
    }

    static RunResult run(PreparedSweep<?> p, String master, Path output, String runId, PrintStream console,
                         RunStop stop) {
        return new SweepRunner(console).run(p, new RunOptions(master, Map.of("spark.ui.enabled", "false"),
                output.toString(), runId, true, false), stop);
    }

    static File dir(RunResult r) {
        return new File(java.net.URI.create(r.outputDir()));
    }

    static List<String> csv(File run, String table) throws IOException {
        return Files.readAllLines(run.toPath().resolve(table));
    }

    static final List<String> TABLES = List.of("aggregated/trials.csv", "derived/adaptive_boundary.csv",
            "derived/adaptive_cells.csv", "derived/adaptive_rounds.csv");

    static void assertSameTables(File a, File b) throws IOException {
        for (String t : TABLES) {
            assertEquals(csv(a, t), csv(b, t), t + " differs between " + a + " and " + b);
        }
    }

    /** Requests a stop {@code delayMillis} after the console first prints {@code line}. */
    static final class StopAt extends OutputStream {
        final StringBuilder text = new StringBuilder();
        final RunStop stop;
        final String line;
        final long delayMillis;
        boolean armed = true;

        StopAt(RunStop stop, String line, long delayMillis) {
            this.stop = stop;
            this.line = line;
            this.delayMillis = delayMillis;
        }

        @Override
        public synchronized void write(int b) {
            text.append((char) b);
            if (armed && text.indexOf(line) >= 0) {
                armed = false;
                Thread t = new Thread(() -> {
                    try {
                        Thread.sleep(delayMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                    stop.request(new RunStop.Reason("stopped by the test", RunStop.IO_FAILURE, false));
                });
                t.setDaemon(true);
                t.start();
            }
        }
    }

    @Test
    void theCircleIsFoundTheSameOnOneAndTwoCoresAndAfterAStopInTheMiddleOfARound() throws IOException {
        Path conf = CONF.resolve("quick/engine.shapes.conf");
        File two = dir(run(prepare(conf, List.of()), "local[2]", out.resolve("two"), "two",
                new PrintStream(OutputStream.nullOutputStream()), new RunStop()));
        // the boundary: the 164 lattice edges the circle of radius 1.3 crosses (RefinementTest enumerates them)
        List<String> boundary = csv(two, "derived/adaptive_boundary.csv");
        assertEquals("along,x,x_low,x_high,y,y_low,y_high,side_low,side_high", boundary.get(0));
        assertEquals(164, boundary.size() - 1);
        for (String row : boundary.subList(1, boundary.size())) {
            String[] f = row.split(",");
            double r0 = Math.hypot(Double.parseDouble(f[2]), Double.parseDouble(f[5]));
            double r1 = Math.hypot(Double.parseDouble(f[3]), Double.parseDouble(f[6]));
            assertTrue(Math.min(r0, r1) < 1.3 && Math.max(r0, r1) >= 1.3, "a bracket of the circle: " + row);
            assertEquals(0.0625, Math.abs(Double.parseDouble(f[3]) - Double.parseDouble(f[2]))
                    + Math.abs(Double.parseDouble(f[6]) - Double.parseDouble(f[5])), 1e-12, "one lattice step: " + row);
        }
        // edges inferred (the default): each split box computes its centre and the midpoints of the edges the circle
        // crosses; the last round computes the believed ends of one-step brackets (RefinementTest's recursion)
        assertEquals(List.of("round,new_cells,more_replicates,trials", "0,81,0,324", "1,40,0,160", "2,88,0,352",
                "3,168,0,672", "4,40,0,160"), csv(two, "derived/adaptive_rounds.csv"));
        assertEquals(417 + 1, csv(two, "derived/adaptive_cells.csv").size());
        // every new corner computed: the plain quadtree, the same boundary for 673 cells
        File all = dir(run(prepare(conf, List.of("sweep.adaptive.edges=compute")), "local[2]", out.resolve("all"),
                "all", new PrintStream(OutputStream.nullOutputStream()), new RunStop()));
        assertEquals(List.of("round,new_cells,more_replicates,trials", "0,81,0,324", "1,80,0,320", "2,176,0,704",
                "3,336,0,1344"), csv(all, "derived/adaptive_rounds.csv"));
        assertEquals(boundary, csv(all, "derived/adaptive_boundary.csv"));

        File one = dir(run(prepare(conf, List.of()), "local[1]", out.resolve("one"), "one",
                new PrintStream(OutputStream.nullOutputStream()), new RunStop()));
        assertSameTables(two, one);

        // stopped while round 3 computes (4 ms a trial: about 1.3 s of work on two cores), then resumed
        List<String> slow = List.of("params.work-nanos=4000000", "spark.tasks-per-core=8");
        RunStop stop = new RunStop();
        StopAt console = new StopAt(stop, "[engram] round 3:", 500);
        assertThrows(RunStop.Stopped.class, () -> run(prepare(conf, slow), "local[2]", out.resolve("stopped"),
                "first", new PrintStream(console, true, StandardCharsets.UTF_8), stop));
        assertFalse(Files.exists(out.resolve("stopped/engine.shapes.quick/first")), "a stopped run publishes nothing");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        File resumed = dir(run(prepare(conf, slow), "local[2]", out.resolve("stopped"), "second",
                new PrintStream(log, true, StandardCharsets.UTF_8), new RunStop()));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("round 0: 81 cells, 324 trials in 81 units (324 replayed from the ledger)"), text);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("round 3: 168 cells, 672 trials in 168 units "
                + "\\((\\d+) replayed from the ledger\\)").matcher(text);
        assertTrue(m.find(), text);
        int replayed = Integer.parseInt(m.group(1));
        assertTrue(replayed > 0 && replayed < 672, "the stop came in the middle of round 3: " + replayed
                + " of its 672 trials were recorded");
        assertSameTables(two, resumed);
    }

    @Test
    void sequentialReplicatesGoWhereTheIntervalStraddlesTheRule() throws IOException {
        // a threshold in 1-D (y = 0): mean radius |x| + noise, cut at 1.3; x every 0.5 on [0, 2], down to 1/16
        Path conf = out.resolve("threshold.conf");
        Files.writeString(conf, String.join("\n", "sweep {", "  id = threshold", "  job = engine.shapes",
                "  adaptive {", "    boundary { metric = radius, at = 1.3 }", "    refine { x = 0.0625 }",
                "    replicates { add = 4, max = 32 }", "  }", "}",
                "grid { x = { from = 0, to = 2, step = 0.5 }, y = 0 }", "replicates.count = 4",
                "params { noise = 1.0, trials-per-unit = 4 }"));
        File run = dir(run(prepare(conf, List.of()), "local[2]", out.resolve("thr"), "thr",
                new PrintStream(OutputStream.nullOutputStream()), new RunStop()));
        List<String> cells = csv(run, "derived/adaptive_cells.csv");
        assertEquals("y,x,round,replicates,side,decided", cells.get(0), "the plain dimensions first, then the refined");
        List<Double> capped = new ArrayList<>();
        for (String row : cells.subList(1, cells.size())) {
            String[] f = row.split(",");
            double x = Double.parseDouble(f[1]);
            int reps = Integer.parseInt(f[3]);
            boolean decided = Boolean.parseBoolean(f[5]);
            assertTrue(decided || reps == 32, "an undecided cell gets replicates up to the cap: " + row);
            assertTrue(reps == 4 || reps == 8 || reps == 12 || reps == 16 || reps == 20 || reps == 24 || reps == 28
                    || reps == 32, "4 at first, then 4 a round: " + row);
            if (Math.abs(x - 1.3) > 1.0) {
                assertEquals(4, reps, "far from the threshold the first 4 decide: " + row);
            }
            if (reps == 32 && !decided) {
                capped.add(x);
            }
        }
        List<String> b = csv(run, "derived/adaptive_boundary.csv");
        assertEquals(2, b.size(), "one bracket: " + b);
        String[] f = b.get(1).split(",");
        double lo = Double.parseDouble(f[3]); // y, along, x, x_low, x_high, …
        double hi = Double.parseDouble(f[4]);
        assertEquals(0.0625, hi - lo, 1e-12);
        // with noise of width 1 and at most 32 replicates the mean's error is about 0.05: the bracket lies near 1.3
        assertTrue(lo > 1.0 && hi < 1.6, "bracket [" + lo + ", " + hi + "]");
        // the aggregated table counts each cell's replicates: as many as the cells table says
        long rows = csv(run, "aggregated/trials.csv").stream().filter(l -> l.contains(",radius,")).count();
        assertEquals(cells.size() - 1, rows);
    }

    @Test
    void aBadAdaptiveSectionIsRefusedNamingTheKeyBeforeAnyWork() throws IOException {
        Path conf = CONF.resolve("quick/engine.shapes.conf");
        Problems.InvalidConfig e = assertThrows(Problems.InvalidConfig.class,
                () -> prepare(conf, List.of("sweep.adaptive.boundary=square")));
        assertTrue(e.getMessage().contains("sweep.adaptive.boundary") && e.getMessage().contains("square")
                && e.getMessage().contains("[circle]"), e.getMessage());
        e = assertThrows(Problems.InvalidConfig.class, () -> prepare(conf, List.of("sweep.adaptive.refine.z=0.1")));
        assertTrue(e.getMessage().contains("sweep.adaptive.refine.z") && e.getMessage().contains("not a dimension"),
                e.getMessage());
        e = assertThrows(Problems.InvalidConfig.class, () -> prepare(conf, List.of("sweep.adaptive.refine.x=0.5")));
        assertTrue(e.getMessage().contains("not finer than the grid's step 0.5"), e.getMessage());
        e = assertThrows(Problems.InvalidConfig.class, () -> prepare(conf,
                List.of("sweep.adaptive.replicates={add=0, max=8}")));
        assertTrue(e.getMessage().contains("sweep.adaptive.replicates.add"), e.getMessage());
        e = assertThrows(Problems.InvalidConfig.class, () -> prepare(conf,
                List.of("replicates.count=3", "sweep.adaptive.replicates={add=3, max=9}")));
        // units of 4 trials: the 6 replicates' units [0, 4), [4, 6) cut through the 3's [0, 3)
        assertTrue(e.getMessage().contains("do not contain those of 3 whole"), e.getMessage());
        e = assertThrows(Problems.InvalidConfig.class, () -> prepare(conf, List.of("sweep.adaptive.edges=guess")));
        assertTrue(e.getMessage().contains("sweep.adaptive.edges") && e.getMessage().contains("guess"), e.getMessage());
        assertFalse(Files.exists(out.resolve("engine.shapes.quick")));
    }
}
