package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.engram.driver.catalogue.Nightly;
import org.engram.driver.engine.RunOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two nights: the second reuses the first's trials, flags shifted cells, lists new and vanished ones. */
class NightlyTest {
    @TempDir
    Path dir;

    void writeConfs(String grid, double offset) throws IOException {
        Path confs = dir.resolve("confs");
        Files.createDirectories(confs);
        Files.writeString(confs.resolve("a-synthetic.conf"), """
                sweep { id = "night-synthetic", job = "engine.synthetic" }
                grid { x = %s }
                replicates { count = 8 }
                params { trials-per-unit = 4, offset = %s }
                """.formatted(grid, offset));
        Files.writeString(confs.resolve("b-reinforcement.conf"), """
                sweep { id = "night-reinforcement", job = "rnn.reinforcement" }
                grid { n = [40], d = [1.2, 1.6], a = [0.1, 1] }
                replicates { weight-draws = 1, initial-states = 3 }
                params { max-steps = 100 }
                """);
    }

    List<Nightly.Outcome> night() {
        RunOptions o = new RunOptions("local[2]", Map.of("spark.ui.enabled", "false"), dir.resolve("results").toString(),
                null, true, false);
        return new Nightly(Sweeps.QUIET)
                .run(dir.resolve("confs").toFile(), o, dir.resolve("reports/{stamp}.md").toString());
    }

    @Test
    void secondNightReusesFlagsAndLists() throws Exception {
        writeConfs("[0, 1, 2]", 0);
        List<Nightly.Outcome> first = night();
        assertEquals(2, first.size());
        for (Nightly.Outcome o : first) {
            assertEquals("ok", o.status());
            assertNull(o.previous());
        }
        Thread.sleep(1100); // run ids carry the second
        writeConfs("[1, 2, 3]", 5);
        List<Nightly.Outcome> second = night();
        Nightly.Outcome syn = second.get(0);
        Nightly.Outcome rei = second.get(1);
        assertEquals("ok", syn.status());
        assertEquals("ok", rei.status());
        assertEquals(first.get(0).result().outputDir().replaceAll("nightly-[0-9-]+$", ""),
                syn.previous().replaceAll("nightly-[0-9-]+$", ""));
        assertEquals(0, syn.result().reusedTrials(), "the offset changes every synthetic trial");
        assertEquals(rei.result().trials(), rei.result().reusedTrials(), "the reinforcement sweep is unchanged");
        Nightly.Comparison c = syn.comparisons().get(0);
        // x = 1, 2 stay with values shifted by 5: both metrics' CIs separate; x = 3 is new, x = 0 vanished
        assertEquals(4, c.flagged().size(), c.flagged().toString());
        assertEquals(2, c.added().size());
        assertEquals(2, c.vanished().size());
        assertTrue(c.vanished().get(0).startsWith("x=0.0,"), c.vanished().toString());
        assertTrue(rei.comparisons().stream().allMatch(x -> x.flagged().isEmpty() && x.added().isEmpty()));
        try (var s = Files.list(dir.resolve("reports"))) {
            List<Path> reports = s.sorted().toList();
            assertEquals(2, reports.size());
            String md = Files.readString(reports.get(1));
            assertTrue(md.contains("CIs no longer overlap (4)"), md);
            assertTrue(md.contains("vanished cells (2)"), md);
        }
    }

    @Test
    void theWallClockTableIsNotCompared() throws IOException {
        String header = "variant,metric,trials,failed,count,mean,std,sem,ci95_low,ci95_high,min,max\n";
        for (String run : List.of("before", "after")) {
            Path agg = Files.createDirectories(dir.resolve(run).resolve("aggregated"));
            Files.writeString(agg.resolve("final.csv"), header + "td,mse,2,0,2,0.05,0,0,0.05,0.05,0.05,0.05\n");
            double s = run.equals("before") ? 1.0 : 3.0; // a busier host: three times slower, CIs far apart
            Files.writeString(agg.resolve("timing.csv"), header + "td,seconds_per_epoch,2,0,2," + s + ",0,0," + s
                    + "," + s + "," + s + "," + s + "\n");
        }
        List<Nightly.Comparison> c = new Nightly(Sweeps.QUIET)
                .compare(new org.apache.hadoop.fs.Path(dir.resolve("before").toUri()),
                        new org.apache.hadoop.fs.Path(dir.resolve("after").toUri()));
        assertEquals(List.of("final"), c.stream().map(Nightly.Comparison::table).toList());
        assertTrue(c.get(0).flagged().isEmpty());
    }

    @Test
    void overlapRule() {
        assertTrue(Nightly.overlap(new double[] {1, 0.5, 1.5}, new double[] {2, 1.4, 2.6}));
        assertTrue(!Nightly.overlap(new double[] {1, 0.5, 1.5}, new double[] {2, 1.6, 2.4}));
        assertTrue(Nightly.overlap(new double[] {1, Double.NaN, Double.NaN}, new double[] {1, Double.NaN, Double.NaN}));
        assertTrue(!Nightly.overlap(new double[] {1, Double.NaN, Double.NaN}, new double[] {1.5, Double.NaN, Double.NaN}));
    }
}
