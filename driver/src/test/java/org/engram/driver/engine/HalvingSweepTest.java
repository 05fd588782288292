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
import java.util.Comparator;
import java.util.List;
import org.engram.jobs.config.Problems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Successive halving on {@code engine.shapes}, whose score ranks the configurations by their distance from the origin
 * (nearest best): each rung promotes exactly the best third, a promoted run continues from its checkpoint and ends with
 * the rows a full-budget grid run gives it, a run stopped in the middle of a rung resumes into the same tables, and
 * the checkpoints are gone when the sweep ends.
 */
class HalvingSweepTest {
    @TempDir
    Path out;

    static final double[] XS = {0, 0.3, 0.7, 1.2, 1.8};
    static final double[] YS = {0.1, 0.55, 1.05};

    Path conf(String id, double noise, boolean halving) throws IOException {
        Path p = out.resolve(id + (halving ? "" : "-grid") + ".conf");
        Files.writeString(p, String.join("\n", "sweep { id = " + id + ", job = engine.shapes }",
                "grid { x = [0, 0.3, 0.7, 1.2, 1.8], y = [0.1, 0.55, 1.05] }", "replicates.count = 4",
                "params { noise = " + noise + ", epochs = 9, trials-per-unit = 4 }",
                halving ? "sweep.halving { metric = score, goal = max, reduction = 3 }" : ""));
        return p;
    }

    static File run(Path conf, List<String> sets, Path output, String runId, PrintStream console, RunStop stop) {
        return AdaptiveSweepTest.dir(AdaptiveSweepTest.run(AdaptiveSweepTest.prepare(conf, sets), "local[2]", output,
                runId, console, stop));
    }

    static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }

    /** The rows of a derived or aggregated table, split. */
    static List<String[]> rows(File run, String table) throws IOException {
        List<String[]> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(run.toPath().resolve(table));
        for (String l : lines.subList(1, lines.size())) {
            out.add(l.split(","));
        }
        return out;
    }

    @Test
    void eachRungPromotesTheBestThirdAndTheWinnerEndsAsTheGridRunEndsIt() throws IOException {
        File run = run(conf("halving", 0, true), List.of(), out.resolve("h"), "h", quiet(), new RunStop());
        // without noise the score after b epochs is −d (1 − 2^−b): the ranking is the distance's at every rung
        List<double[]> byDistance = new ArrayList<>();
        for (double x : XS) {
            for (double y : YS) {
                byDistance.add(new double[] {x, y, Math.hypot(x, y)});
            }
        }
        byDistance.sort(Comparator.comparingDouble(p -> p[2]));
        List<String[]> rungs = rows(run, "derived/halving_rungs.csv");
        // x, y, rung, epochs, score, ci95_low, ci95_high, rank, promoted
        int[] sizes = {15, 5, 2};
        int[] budgets = {1, 3, 9};
        int i = 0;
        for (int k = 0; k < 3; k++) {
            for (int rank = 1; rank <= sizes[k]; rank++, i++) {
                String[] r = rungs.get(i);
                double[] expected = byDistance.get(rank - 1);
                assertEquals(expected[0], Double.parseDouble(r[0]), "x at rung " + k + " rank " + rank);
                assertEquals(expected[1], Double.parseDouble(r[1]), "y at rung " + k + " rank " + rank);
                assertEquals(k, Integer.parseInt(r[2]));
                assertEquals(budgets[k], Integer.parseInt(r[3]));
                assertEquals(-expected[2] * (1 - Math.pow(2, -budgets[k])), Double.parseDouble(r[4]), 1e-12);
                assertEquals(rank, Integer.parseInt(r[7]));
                assertEquals(k < 2 && rank <= sizes[k + 1], Boolean.parseBoolean(r[8]), "promoted at rung " + k);
            }
        }
        assertEquals(i, rungs.size());
        assertFalse(Files.exists(out.resolve("h/halving/checkpoints")), "the checkpoints go when the sweep ends");

        // with noise, the winner's rows at the full budget are those of a grid run at 9 epochs (same sweep, same seeds)
        File noisy = run(conf("noisy", 0.2, true), List.of(), out.resolve("n"), "n", quiet(), new RunStop());
        File grid = run(conf("noisy", 0.2, false), List.of(), out.resolve("g"), "g", quiet(), new RunStop());
        List<String[]> fin = rows(noisy, "derived/halving_final.csv");
        assertEquals(0, Double.parseDouble(fin.get(0)[0]));
        assertEquals(0.1, Double.parseDouble(fin.get(0)[1]), "the true best wins through the noise");
        String[] halved = rows(noisy, "aggregated/trials.csv").stream().filter(r -> Double.parseDouble(r[0]) == 0
                && Double.parseDouble(r[1]) == 0.1 && r[2].equals("9") && r[3].equals("score")).findFirst().orElseThrow();
        String[] full = rows(grid, "aggregated/trials.csv").stream().filter(r -> Double.parseDouble(r[0]) == 0
                && Double.parseDouble(r[1]) == 0.1 && r[2].equals("score")).findFirst().orElseThrow();
        assertEquals(List.of(full).subList(3, full.length), List.of(halved).subList(4, halved.length),
                "continued from checkpoints at 1 and 3 epochs, the winner's 9-epoch scores are the grid run's");
    }

    @Test
    void withPerEachGroupIsHalvedOnItsOwnAndEndsWithItsOwnWinner() throws IOException {
        // per = [y]: three groups of five x's; within a group the ranking is x's (nearest the origin best), so each
        // rung keeps ceil(5/3) = 2, then 1: x = 0 and 0.3, then x = 0, in every group
        File run = run(conf("per", 0, true), List.of("sweep.halving.per=[y]"), out.resolve("p"), "p", quiet(),
                new RunStop());
        List<String[]> rungs = rows(run, "derived/halving_rungs.csv");
        int[] sizes = {5, 2, 1};
        for (int k = 0; k < 3; k++) {
            for (double y : YS) {
                final int rung = k;
                List<String[]> group = rungs.stream().filter(r -> Integer.parseInt(r[2]) == rung
                        && Double.parseDouble(r[1]) == y).toList();
                assertEquals(sizes[k], group.size(), "configurations of y = " + y + " at rung " + k);
                for (int rank = 1; rank <= sizes[k]; rank++) {
                    String[] r = group.get(rank - 1);
                    assertEquals(XS[rank - 1], Double.parseDouble(r[0]), "x of rank " + rank + ", y = " + y);
                    assertEquals(rank, Integer.parseInt(r[7]));
                    assertEquals(k < 2 && rank <= sizes[k + 1], Boolean.parseBoolean(r[8]));
                }
            }
        }
        assertEquals(15 + 6 + 3, rungs.size());
        List<String[]> fin = rows(run, "derived/halving_final.csv");
        assertEquals(3, fin.size(), "one winner per group");
        for (int g = 0; g < 3; g++) {
            assertEquals(0, Double.parseDouble(fin.get(g)[0]));
            assertEquals(YS[g], Double.parseDouble(fin.get(g)[1]));
            assertEquals("1", fin.get(g)[2], "each winner ranks first in its own group");
            assertEquals(0, Double.parseDouble(fin.get(g)[7]), "its gap is from its own group's best: itself");
        }
        Problems.InvalidConfig e = assertThrows(Problems.InvalidConfig.class, () -> AdaptiveSweepTest.prepare(
                conf("per", 0, true), List.of("sweep.halving.per=[z]")));
        assertTrue(e.getMessage().contains("sweep.halving.per") && e.getMessage().contains("no grid dimension z")
                && e.getMessage().contains("[x, y]"), e.getMessage());
    }

    @Test
    void aHalvingRunStoppedInTheMiddleOfARungResumesIntoTheSameTables() throws IOException {
        Path conf = conf("resume", 0.2, true);
        File whole = run(conf, List.of(), out.resolve("whole"), "whole", quiet(), new RunStop());
        // 0.6 s a unit: rung 1's five units take three waves on two cores; the stop comes in the second
        List<String> slow = List.of("params.work-nanos=150000000", "spark.tasks-per-core=4");
        RunStop stop = new RunStop();
        AdaptiveSweepTest.StopAt console = new AdaptiveSweepTest.StopAt(stop, "[engram] round 1:", 900);
        RunStop.Stopped stopped = assertThrows(RunStop.Stopped.class, () -> run(conf, slow, out.resolve("stopped"),
                "first", new PrintStream(console, true, StandardCharsets.UTF_8), stop));
        assertTrue(Files.isDirectory(out.resolve("stopped/resume/checkpoints")), "a stopped sweep keeps its checkpoints");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        File resumed = run(conf, slow, out.resolve("stopped"), "second", new PrintStream(log, true,
                StandardCharsets.UTF_8), new RunStop());
        String text = log.toString(StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("round 1: 5 cells, 20 trials in 5 units \\((\\d+) "
                + "replayed").matcher(text);
        assertTrue(m.find(), text);
        int replayed = Integer.parseInt(m.group(1));
        assertTrue(replayed > 0 && replayed < 20, "stopped in the middle of rung 1: " + replayed + " of 20 recorded");
        // the stop counted what the ledger held of both rounds (rung 0's 60 trials and rung 1's sealed ones), all by
        // that run, against the 15 × 4 + 5 × 4 trials the two rounds planned
        int held = 60 + replayed;
        assertTrue(stopped.getMessage().endsWith(": " + held + " trials recorded (" + held + " by this run, 80 planned in "
                + "rounds 0–1), rerun to resume"), stopped.getMessage());
        for (String t : List.of("aggregated/trials.csv", "derived/halving_rungs.csv", "derived/halving_final.csv")) {
            assertEquals(Files.readAllLines(whole.toPath().resolve(t)), Files.readAllLines(resumed.toPath().resolve(t)),
                    t);
        }
        assertFalse(Files.exists(out.resolve("stopped/resume/checkpoints")));
    }

    @Test
    void aBadHalvingSectionIsRefusedNamingTheKey() throws IOException {
        Path conf = conf("bad", 0, true);
        Problems.InvalidConfig e = assertThrows(Problems.InvalidConfig.class,
                () -> AdaptiveSweepTest.prepare(conf, List.of("sweep.halving.metric=speed")));
        assertTrue(e.getMessage().contains("sweep.halving.metric") && e.getMessage().contains("[radius, inside, score]"),
                e.getMessage());
        e = assertThrows(Problems.InvalidConfig.class,
                () -> AdaptiveSweepTest.prepare(conf, List.of("sweep.halving.rungs=[1, 3, 8]")));
        assertTrue(e.getMessage().contains("ending at the full budget params.epochs = 9"), e.getMessage());
        e = assertThrows(Problems.InvalidConfig.class,
                () -> AdaptiveSweepTest.prepare(conf, List.of("grid.epochs=[1, 9]")));
        assertTrue(e.getMessage().contains("grid.epochs"), e.getMessage());
        Path synthetic = AdaptiveSweepTest.CONF.resolve("quick/engine.synthetic.conf");
        e = assertThrows(Problems.InvalidConfig.class, () -> AdaptiveSweepTest.prepare(synthetic,
                List.of("sweep.halving={metric=value, goal=max}")));
        assertTrue(e.getMessage().contains("declares no budget"), e.getMessage());
    }
}
