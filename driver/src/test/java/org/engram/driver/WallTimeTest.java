package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.engram.driver.engine.WallTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** engram plan's wall-time estimate from a recorded run of the same job: the latest long one, else the longest. */
class WallTimeTest {
    @TempDir
    Path root;

    private void manifest(String sweep, String run, String job, double cost, double seconds, int cores,
                          String finished) throws IOException {
        manifest(sweep, run, job, cost, seconds, cores, finished, "");
    }

    /** {@code adaptive}: the sweep block's adaptive part as the manifest's config holds it ("" for a grid). */
    private void manifest(String sweep, String run, String job, double cost, double seconds, int cores,
                          String finished, String adaptive) throws IOException {
        Path d = Files.createDirectories(root.resolve(sweep).resolve(run));
        Files.writeString(d.resolve("manifest.json"), "{\"sweep\":\"" + sweep + "\",\"job\":\"" + job + "\",\"run_id\":\""
                + run + "\",\"finished\":\"" + finished + "\",\"seconds\":" + seconds + ",\"runtime\":{\"default_parallelism\":"
                + cores + "},\"counts\":{\"computed_cost\":" + cost + "},\"config\":{\"sweep\":{\"id\":\"" + sweep
                + "\"" + adaptive + "}}}");
    }

    @Test
    void theLongestShortRunSetsTheRateUntilALongRunExists() throws IOException {
        assertNull(WallTime.calibrate("a.job", root.toString(), new Configuration()));
        manifest("a.quick", "r1", "a.job", 1e9, 9, 2, "2026-12-01T10:00:00Z");         // 5.6e7 per core-second
        manifest("a.quick", "r2", "a.job", 4e9, 10, 2, "2026-12-02T10:00:00Z");        // 2e8, the longest
        manifest("a.quick", "r5", "a.job", 1e9, 5, 2, "2026-12-05T10:00:00Z");         // the latest, shorter
        manifest("b.quick", "r3", "b.job", 1e12, 1, 1, "2026-12-03T10:00:00Z");        // another job
        manifest("a.quick", "r4", "a.job", 0, 10, 2, "2026-12-04T10:00:00Z");          // fully replayed: no rate
        Files.writeString(Files.createDirectories(root.resolve("a.quick/broken")).resolve("manifest.json"), "{");
        WallTime.Rate r = WallTime.calibrate("a.job", root.toString(), new Configuration());
        assertEquals(2e8, r.perCoreSecond(), 1e-3);
        assertEquals("a.quick/r2", r.run());
        String line = WallTime.estimate("a.job", 2.4e11, 1e10, "flops", 4, root.toString());
        assertTrue(line.startsWith("≈ 5 min on 4 cores, at") && line.contains("a.quick/r2"), line);
        // on 400 cores the spread would be 3 s, but the largest unit alone takes 1e10 / 2e8 = 50 s on its core
        String floor = WallTime.estimate("a.job", 2.4e11, 1e10, "flops", 400, root.toString());
        assertTrue(floor.startsWith("≈ 50 s on 400 cores (the largest unit's time"), floor);
        assertTrue(WallTime.estimate("c.job", 1, 1, "x", 1, root.toString()).startsWith("no earlier run"));
        // a run of at least CALIBRATING seconds wins over any short one, and the latest long one over older long ones
        manifest("a.paper", "r6", "a.job", 3.6e12, 3600, 2, "2026-11-01T10:00:00Z");   // 5e8, long but old
        assertEquals("a.paper/r6", WallTime.calibrate("a.job", root.toString(), new Configuration()).run());
        manifest("a.paper", "r7", "a.job", 6e11, 300, 2, "2026-11-02T10:00:00Z");      // 1e9, long and later
        manifest("a.paper", "r8", "a.job", 1e13, 299, 2, "2026-12-06T10:00:00Z");      // latest, just short
        WallTime.Rate longRun = WallTime.calibrate("a.job", root.toString(), new Configuration());
        assertEquals("a.paper/r7", longRun.run());
        assertEquals(1e9, longRun.perCoreSecond(), 1e-3);
    }

    /** A new machine's plan estimates from the checkout's committed records; a run of its own takes over. */
    @Test
    void withNoRunOfItsOwnThePlanUsesTheCheckoutsRecords() throws IOException {
        Path checkout = root.resolve("checkout");
        Path conf = Files.createDirectories(checkout.resolve("conf/sweeps")).resolve("a.conf");
        Files.writeString(conf, "");
        assertNull(WallTime.records(conf.toString(), null));
        Path records = Files.createDirectories(checkout.resolve("docs/runs"));
        assertEquals(records.toAbsolutePath(), WallTime.records(conf.toString()));
        // a conf kept outside any checkout: the records of the checkout deploy/engram runs from (the Engram home)
        Path mine = Files.createDirectories(root.resolve("elsewhere")).resolve("mine.conf");
        Files.writeString(mine, "");
        assertNull(WallTime.records(mine.toString(), null));
        assertEquals(records.toAbsolutePath(), WallTime.records(mine.toString(), checkout.toString()));
        assertEquals(records.toAbsolutePath(), WallTime.records(conf.toString(), root.resolve("elsewhere").toString()),
                "the conf's own checkout comes first");
        Path rec = Files.createDirectories(records.resolve("a.paper--long"));
        Files.writeString(rec.resolve("manifest.json"), "{\"sweep\":\"a.paper\",\"job\":\"a.job\",\"run_id\":\"long\","
                + "\"finished\":\"2026-12-01T10:00:00Z\",\"seconds\":1000,\"runtime\":{\"default_parallelism\":2},"
                + "\"counts\":{\"computed_cost\":2e12}}"); // 1e9 per core-second
        Path output = Files.createDirectories(root.resolve("results"));
        String fromRecord = WallTime.estimate("a.job", 7.2e12, 1e9, "flops", 2, output.toString(), records, null);
        assertTrue(fromRecord.startsWith(
                "≈ 60 min on 2 cores, at the rate of record a.paper--long (a committed record"), fromRecord);
        assertTrue(WallTime.estimate("a.job", 1, 1, "flops", 2, output.toString(), null, null)
                .startsWith("no earlier run"));
        assertTrue(WallTime.estimate("b.job", 1, 1, "x", 2, output.toString(), records, null)
                .startsWith("no earlier run"));
        root = output; // a run of this machine (4e8 per core-second) wins over the record
        manifest("a.quick", "r1", "a.job", 4e11, 500, 2, "2026-12-02T10:00:00Z");
        String own = WallTime.estimate("a.job", 7.2e12, 1e9, "flops", 2, output.toString(), records, null);
        assertTrue(own.startsWith("≈ 2.5 h on 2 cores, at the rate of run a.quick/r1 ("), own);
    }

    /**
     * A grid's plan takes its rate from a grid run and an adaptive sweep's from an adaptive run, however recent the
     * other kind is; with none of its kind, from the other kind. The cost is an upper bound the two kinds approach
     * differently (issue 40: an adaptive record made a full grid read 1.5 h that took 43 min).
     */
    @Test
    void aPlanPrefersARunOfItsOwnKind() throws IOException {
        manifest("a.grid", "g1", "a.job", 1.2e12, 600, 2, "2026-12-01T10:00:00Z");                      // 1e9
        assertEquals("a.grid/g1", WallTime.rate("a.job", root.toString(), null, true).run()); // none adaptive yet
        manifest("a.adaptive", "h1", "a.job", 2.4e11, 400, 2, "2026-12-02T10:00:00Z", ",\"halving\":{}");  // 3e8
        manifest("a.adaptive", "r1", "a.job", 1.2e11, 500, 2, "2026-12-03T10:00:00Z",
                ",\"adaptive\":{\"boundary\":\"x\"}");                                                // 1.2e8, latest
        assertEquals("a.grid/g1", WallTime.rate("a.job", root.toString(), null, false).run());
        WallTime.Rate adaptive = WallTime.rate("a.job", root.toString(), null, true);
        assertEquals("a.adaptive/r1", adaptive.run());
        assertEquals(1.2e8, adaptive.perCoreSecond(), 1e-3);
        assertEquals("a.adaptive/r1", WallTime.rate("a.job", root.toString(), null, null).run()); // either: the latest
        // a short run of the plan's kind still yields to a long one of the same kind only
        manifest("a.grid", "g2", "a.job", 1e10, 20, 2, "2026-12-04T10:00:00Z");
        assertEquals("a.grid/g1", WallTime.rate("a.job", root.toString(), null, false).run());
    }
}
