package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.engram.driver.engine.Ledger;
import org.engram.driver.engine.SweepLock;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What an operator does to a running sweep, each with its exact outcome: a live run's lock aged by hand, its lock
 * made unwritable for a while and for too long, a full disk when the lock is made and during the computation,
 * SIGTERM to the launcher and SIGINT to the driver, an unreachable and a mute master, damaged ledger segments, a
 * missing include. Real JVMs from the packaged jars, real file systems (a tmpfs for the full disk, chattr for the
 * unwritable lock — skipped with the reason where this machine cannot make them); every wait is bounded.
 */
class OperatorFaultsIT {
    static final String SYNTHETIC = FaultInjectionIT.SYNTHETIC;
    static final String SWEEP = FaultInjectionIT.SWEEP;
    /** 8 cells × 60 replicates in 120 units of 4 trials, 45 ms a trial: ≈ 11 s on 2 cores. */
    static final List<String> SLOW = List.of("grid.x=[0, 1, 2, 3]", "replicates.count=60", "params.trials-per-unit=4",
            "params.throw-replicates=[]", "params.nan-replicates=[]", "params.work-nanos=45000000",
            "ledger.seal-seconds=1");

    static Path lockOf(Path results) {
        return results.resolve(SWEEP).resolve(SweepLock.NAME);
    }

    static String log(Path dir, String name) throws Exception {
        return Files.readString(dir.resolve(name));
    }

    /** Drivers log as the launcher's do: Spark's log to a file, Engram's lines on the console. */
    static Submitter submitter(Path dir) {
        Submitter jvm = new Submitter(dir);
        jvm.driverJvm.addAll(List.of("-Dlog4j.configurationFile=" + ReadmeIT.ROOT.resolve("deploy/log4j2.properties"),
                "-Dengram.log.dir=" + dir.resolve("logs")));
        return jvm;
    }

    static int exit(Process p, int seconds) throws Exception {
        assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), "timed out after " + seconds + " s");
        return p.exitValue();
    }

    static boolean sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Test
    void aLiveRunsLockIsNeverTakenOverWhateverItsAgeAndCleanLeavesItAlone() throws Exception {
        Path dir = Files.createTempDirectory(Submitter.TARGET, "live-lock-");
        Path results = dir.resolve("results");
        try (Submitter jvm = submitter(dir)) {
            Process a = jvm.submit(SYNTHETIC, SLOW, "local[2]", results, "a", "a.log");
            FaultInjectionIT.awaitEntries(results, 8, a, dir.resolve("a.log"));
            Files.setLastModifiedTime(lockOf(results), FileTime.fromMillis(System.currentTimeMillis() - 6 * 60_000));
            Object[] b = CliTest.captured(() -> Engram.execute(FaultInjectionIT.cli(dir, "b", SLOW)));
            assertEquals(2, b[0], "a live holder of this host is never stale: " + b[1] + b[2]);
            assertTrue(((String) b[2]).contains("in use by another run"), (String) b[2]);
            Object[] c = CliTest.captured(() -> Engram.execute("clean", results.toString()));
            assertTrue(((String) c[1]).contains("in use by a run") && Files.exists(results.resolve(SWEEP)
                    .resolve(".a.inprogress")), "clean leaves a live run's folders: " + c[1]);
            assertEquals(0, exit(a, 180), log(dir, "a.log"));
            assertTrue(Files.exists(results.resolve(SWEEP).resolve("a/manifest.json")));
            assertFalse(Files.exists(results.resolve(SWEEP).resolve("b")));
        }
    }

    @Test
    void theHeartbeatRetriesThroughATransientErrorAndARunThatCannotRenewStopsItself() throws Exception {
        Path dir = Files.createTempDirectory(Submitter.TARGET, "heartbeat-");
        Path probe = dir.resolve("probe");
        Files.writeString(probe, "x");
        boolean chattr = sh("chattr", "+i", probe.toString());
        sh("chattr", "-i", probe.toString());
        Assumptions.assumeTrue(chattr, "chattr +i is not available here (needs root and a file system that has it)");
        Path results = dir.resolve("results");
        try (Submitter jvm = submitter(dir)) {
            // a heartbeat every 200 ms, stale after 4 s: a run stops itself after 3.6 s without renewing
            jvm.driverJvm.addAll(List.of("-Dengram.lock.heartbeat-ms=200", "-Dengram.lock.stale-ms=4000"));
            Process a = jvm.submit(SYNTHETIC, SLOW, "local[2]", results, "a", "a.log");
            FaultInjectionIT.awaitEntries(results, 4, a, dir.resolve("a.log"));
            Path lock = lockOf(results);
            assertTrue(sh("chattr", "+i", lock.toString()));
            Thread.sleep(1500);
            assertTrue(sh("chattr", "-i", lock.toString()));
            assertEquals(0, exit(a, 180), log(dir, "a.log"));
            String text = log(dir, "a.log");
            assertEquals(1, count(text, "warning: cannot renew the lock"), "said once: " + text);
            assertTrue(text.contains("is renewed again"), text);

            // too long: the run stops itself, before another could judge its lock stale
            Process b = jvm.submit(SYNTHETIC, SLOW, "local[2]", results, "b", "b.log", "--force");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!(Files.exists(lock) && Files.readString(lock).contains("run b\n")
                    && log(dir, "b.log").contains("writing to"))) {
                assertTrue(System.nanoTime() < deadline && b.isAlive(), "b never started computing: " + log(dir, "b.log"));
                Thread.sleep(50);
            }
            Thread.sleep(1000);
            assertTrue(sh("chattr", "+i", lock.toString()));
            int code;
            try {
                code = exit(b, 60);
            } finally {
                sh("chattr", "-i", lock.toString());
            }
            String stopped = log(dir, "b.log");
            assertEquals(5, code, stopped);
            assertTrue(stopped.contains("could not be renewed for") && stopped.contains("rerun to resume"), stopped);
            assertFalse(Files.exists(results.resolve(SWEEP).resolve(".b.inprogress")), "in-progress folder removed");
            assertFalse(Files.exists(results.resolve(SWEEP).resolve("b")), "nothing published");
        }
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** A tmpfs of {@code kb} KiB at {@code at}, or the test is skipped. */
    static void mountTmpfs(Path at, int kb) throws Exception {
        Files.createDirectories(at);
        Assumptions.assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=" + kb + "k", "tmpfs", at.toString()),
                "cannot mount a tmpfs here (needs root): no full disk to test with");
    }

    /** Fills the disk but for about {@code leave} bytes. */
    static void fill(Path disk, long leave) throws Exception {
        long blocks = Math.max(0, (Files.getFileStore(disk).getUsableSpace() - leave) / 4096);
        sh("dd", "if=/dev/zero", "of=" + disk.resolve("fill"), "bs=4k", "count=" + blocks);
    }

    @Test
    void aFullDiskWhenTheLockIsMadeAndDuringTheComputation() throws Exception {
        Path dir = Files.createTempDirectory(Submitter.TARGET, "full-");
        Path disk = dir.resolve("disk");
        mountTmpfs(disk, 2048);
        try {
            Path results = disk.resolve("results");
            Files.createDirectories(results.resolve(SWEEP));
            fill(disk, 0);
            List<String> sets = List.of("grid.x=[0, 1, 2, 3]", "replicates.count=60", "params.trials-per-unit=4",
                    "params.throw-replicates=[]", "params.nan-replicates=[]", "params.work-nanos=2000000",
                    "ledger.seal-seconds=0");
            try (Submitter jvm = submitter(dir)) {
                Process p = jvm.submit(SYNTHETIC, sets, "local[2]", results, "full", "lock.log");
                String text = "";
                int code = exit(p, 120);
                text = log(dir, "lock.log");
                assertEquals(5, code, text);
                assertTrue(text.contains("cannot create the lock " ) && text.contains(SweepLock.NAME)
                        && text.contains("No space left on device"), text);
                assertFalse(Files.exists(lockOf(results)), "no lock left behind");

                // room for a few segments, not for the run: it fails while computing, names the path, keeps them
                Files.delete(disk.resolve("fill"));
                fill(disk, 96 * 1024);
                Process q = jvm.submit(SYNTHETIC, sets, "local[2]", results, "full", "compute.log");
                code = exit(q, 180);
                text = log(dir, "compute.log");
                assertEquals(5, code, text);
                assertTrue(text.contains("No space left on device") && text.contains(results.resolve(SWEEP)
                        .toString()), "the path is named: " + text);
                assertFalse(text.contains("\tat "), "no stack trace: " + text);
                try (var s = Files.walk(results)) {
                    List<Path> hidden = s.filter(f -> f.getFileName().toString().startsWith(".")
                            && !f.getFileName().toString().equals(SweepLock.NAME)).toList();
                    assertEquals(List.of(), hidden, "no in-progress folder, no unsealed segment");
                }
                assertFalse(Files.exists(lockOf(results)), "the lock released");
                long kept = FaultInjectionIT.entries(results);
                assertTrue(kept > 0, "sealed segments kept");

                // with room again the next run replays every sealed unit
                Files.delete(disk.resolve("fill"));
                Files.createDirectories(dir.resolve("elsewhere"));
                Process r = jvm.submit(SYNTHETIC, sets, "local[2]", results, "again", "again.log");
                assertEquals(0, exit(r, 180), log(dir, "again.log"));
                assertEquals(4 * kept, FaultInjectionIT.ledgerHolds(dir.resolve("again.log"), 480));
            }
        } finally {
            sh("umount", "-l", disk.toString());
        }
    }

    /** The launcher, as a user starts it, with output through a pipe (the launcher's stderr filter flushes last). */
    static Process launcher(Path dir, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ReadmeIT.ROOT.resolve("deploy/engram").toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("ENGRAM_JAVA_OPTS", "-Xmx768m");
        pb.environment().put("ENGRAM_PROGRESS", "lines");
        return pb.start();
    }

    static List<String> runArgs(Path results, String runId, List<String> sets, String... extra) {
        List<String> a = new ArrayList<>(List.of("run", Sweeps.CONF.resolve(SYNTHETIC).toAbsolutePath().toString(),
                "--output", results.toString(), "--run-id", runId, "--master", "local[2]", "--conf",
                "spark.ui.enabled=false"));
        for (String s : sets) {
            a.add("--set");
            a.add(s);
        }
        a.addAll(List.of(extra));
        return a;
    }

    /** Whether this process ignores SIGINT (bit 2 of /proc/self/status's SigIgn mask), which its children inherit. */
    static boolean sigintIgnored() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }

    @Test
    void sigtermToTheLauncherAndSigintToTheDriverSealFinishedUnitsAndExitCleanly() throws Exception {
        Path dir = Files.createTempDirectory(Submitter.TARGET, "signals-");
        Path results = dir.resolve("results");
        Process p = launcher(dir, runArgs(results, "t", SLOW));
        java.util.concurrent.CompletableFuture<String> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        FaultInjectionIT.awaitEntries(results, 20, p, dir.resolve("none"));
        sh("kill", "-TERM", Long.toString(p.pid()));
        assertEquals(143, exit(p, 90), out.get(30, TimeUnit.SECONDS));
        String text = out.get(30, TimeUnit.SECONDS);
        assertTrue(ProcessHandle.allProcesses().noneMatch(h -> h.isAlive() && h.info().commandLine().orElse("")
                .contains(results.toString())), "no JVM left running");
        Matcher m = Pattern.compile("engram: interrupted: (\\d+) trials recorded \\((\\d+) by this run, 480 planned\\), "
                + "rerun to resume").matcher(text);
        assertTrue(m.find(), text);
        assertFalse(text.contains("Exception") || text.contains("\tat "), "no stack trace: " + text);
        long recorded = Long.parseLong(m.group(1));
        assertEquals(4 * FaultInjectionIT.entries(results), recorded, "the line counts what the ledger holds");
        assertTrue(recorded >= 80, "the finished units were sealed: " + recorded);
        assertFalse(Files.exists(lockOf(results)), "the lock released");
        assertFalse(Files.exists(results.resolve(SWEEP).resolve(".t.inprogress")), "in-progress folder removed");

        // SIGINT to the driver itself (spark-submit's JVM): 130, and what it recorded is replayed by the next run. A
        // process started with SIGINT ignored (in the background of a non-interactive shell) passes that on, and a JVM
        // started so installs no handler for it: then the driver cannot be interrupted this way, and the rest is skipped
        org.junit.jupiter.api.Assumptions.assumeFalse(sigintIgnored(), "SIGINT is ignored in this process (started in"
                + " the background of a non-interactive shell?): a driver started from it could not receive it");
        try (Submitter jvm = submitter(dir)) {
            Process d = jvm.submit(SYNTHETIC, SLOW, "local[2]", results, "i", "i.log");
            FaultInjectionIT.awaitEntries(results, recorded / 4 + 10, d, dir.resolve("i.log"));
            sh("kill", "-INT", Long.toString(d.pid()));
            assertEquals(130, exit(d, 90), log(dir, "i.log"));
            String i = log(dir, "i.log");
            Matcher mi = Pattern.compile("interrupted: (\\d+) trials recorded").matcher(i);
            assertTrue(mi.find() && !i.contains("\tat "), i);
            long held = Long.parseLong(mi.group(1));
            assertEquals(4 * FaultInjectionIT.entries(results), held);
            Process last = jvm.submit(SYNTHETIC, SLOW, "local[2]", results, "last", "last.log");
            assertEquals(0, exit(last, 180), log(dir, "last.log"));
            assertEquals(held, FaultInjectionIT.ledgerHolds(dir.resolve("last.log"), 480), "replayed");
            assertTrue(log(dir, "last.log").contains("replayed from the ledger"), "progress shows replayed work");
        }
    }

    @Test
    void anUnreachableOrMuteMasterIsOneLineWithinTheTimeout() throws Exception {
        Path dir = Files.createTempDirectory(Submitter.TARGET, "master-");
        Path results = dir.resolve("results");
        long t0 = System.nanoTime();
        Object[] refused = CliTest.captured(() -> Engram.execute("run", Sweeps.CONF.resolve(SYNTHETIC).toString(),
                "--master", "spark://127.0.0.1:1", "--output", results.toString(), "--quiet"));
        assertEquals(2, refused[0]);
        assertTrue(((String) refused[2]).contains("spark://127.0.0.1:1 is not reachable"), (String) refused[2]);
        assertEquals(1, ((String) refused[2]).strip().lines().count(), (String) refused[2]);
        assertFalse(((String) refused[1]).contains("writing to"), (String) refused[1]);
        assertTrue(System.nanoTime() - t0 < 30e9, "at once");
        // a port that accepts connections but never answers as a master: given spark.master-timeout
        try (java.net.ServerSocket mute = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getLoopbackAddress()); Submitter jvm = submitter(dir)) {
            long t1 = System.nanoTime();
            Process p = jvm.submit(SYNTHETIC, List.of("spark.master-timeout=5"), "spark://127.0.0.1:"
                    + mute.getLocalPort(), results, "m", "m.log");
            int code = exit(p, 60);
            String text = log(dir, "m.log");
            assertEquals(2, code, text);
            assertTrue(text.contains("did not accept the application within 5 s"), text);
            assertFalse(text.contains("writing to") || text.contains("\tat "), text);
            assertTrue((System.nanoTime() - t1) / 1e9 < 40, "within the timeout and start-up");
        }
    }

    @Test
    void badRunIdsMissingIncludesAndADanglingDataLinkStopBeforeAnyWork() throws Exception {
        Path dir = Files.createTempDirectory(Submitter.TARGET, "inputs-");
        Path results = dir.resolve("results");
        for (String id : List.of("../../escaped", "", "..", "a/b")) {
            Object[] r = CliTest.captured(() -> Engram.execute("run", Sweeps.CONF.resolve(SYNTHETIC).toString(),
                    "--output", results.toString(), "--run-id", id, "--quiet"));
            assertEquals(2, r[0], id);
            assertTrue(((String) r[2]).contains("--run-id = '" + id + "'"), (String) r[2]);
        }
        assertFalse(Files.exists(dir.resolve("escaped")) || Files.exists(results), "nothing written");

        Path conf = dir.resolve("inc.conf");
        Files.writeString(conf, "# a sweep\ninclude \"missing.conf\"\nsweep { id = x, job = engine.synthetic }\n");
        Object[] r = CliTest.captured(() -> Engram.execute("run", conf.toString(), "--output", results.toString()));
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains(conf + ":2: include = \"missing.conf\": no such file"), (String) r[2]);
        Files.writeString(conf, "include required(\"/abs/missing.conf\")\nsweep { id = x, job = engine.synthetic }\n");
        r = CliTest.captured(() -> Engram.execute("run", conf.toString(), "--output", results.toString()));
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains(":1: include = \"/abs/missing.conf\""), (String) r[2]);

        Path link = dir.resolve("data");
        Files.createSymbolicLink(link, dir.resolve("gone/data"));
        r = CliTest.captured(() -> Engram.execute("data", "fetch", "fashion-mnist", "--dir", link.toString()));
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("is a symbolic link to " + dir.resolve("gone/data") + ", which does not "
                + "exist"), (String) r[2]);
        assertEquals(1, ((String) r[2]).strip().lines().count(), (String) r[2]);
        Files.delete(link);
        Files.writeString(link, "a file");
        r = CliTest.captured(() -> Engram.execute("data", "fetch", "fashion-mnist", "--dir", link.toString()));
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("is a file, not a folder"), (String) r[2]);
    }

    @Test
    void ledgerDamageIsCountedExactlyAsRecomputed() throws Exception {
        Path dir = Files.createTempDirectory(Submitter.TARGET, "damage-");
        // one segment per task: 6 segments of 20 units (80 trials) each
        List<String> sets = List.of("grid.x=[0, 1, 2, 3]", "replicates.count=60", "params.trials-per-unit=4",
                "params.throw-replicates=[]", "params.nan-replicates=[]", "ledger.seal-seconds=3600");
        File clean = Sweeps.dir(Sweeps.run(SYNTHETIC, sets, "local[2]", dir.resolve("results"), "clean"));
        Path ledger = dir.resolve("results").resolve(SWEEP).resolve("ledger");
        List<Path> segs = LedgerTest.files(ledger, Ledger.SEGMENT);
        assertTrue(segs.size() >= 2, segs.toString());
        // one segment truncated to a third; in another, one byte of a record's key flipped
        byte[] b = Files.readAllBytes(segs.get(0));
        Files.write(segs.get(0), java.util.Arrays.copyOf(b, b.length / 3));
        int keysIn0 = Ledger.sidecarKeys(org.apache.hadoop.fs.FileSystem.getLocal(
                new org.apache.hadoop.conf.Configuration()), new org.apache.hadoop.fs.Path(segs.get(0).toUri())).size();
        byte[] c = Files.readAllBytes(segs.get(1));
        c[8 + 4 + 2 + 5] ^= 0x01; // MAGIC, the first record's marker and key length: a byte of its key
        Files.write(segs.get(1), c);
        Object[] r = CliTest.captured(() -> Engram.execute(FaultInjectionIT.cli(dir, "after", sets)));
        assertEquals(0, r[0], r[1] + " " + r[2]);
        String out = (String) r[1];
        Matcher m = Pattern.compile("warning: (\\d+) ledger entries \\((\\d+) trials\\) did not verify").matcher(out);
        assertTrue(m.find(), out);
        long computed = new ObjectMapper().readTree(dir.resolve("results").resolve(SWEEP).resolve("after")
                .resolve("manifest.json").toFile()).at("/counts/computed_trials").asLong();
        assertEquals(computed, Long.parseLong(m.group(2)), "the trials reported are the trials recomputed: " + out);
        assertEquals(computed / 4, Long.parseLong(m.group(1)), "one entry per 4-trial unit");
        assertTrue(Long.parseLong(m.group(1)) > keysIn0 / 2 && Long.parseLong(m.group(1)) <= keysIn0 + 1,
                "most of the truncated segment's " + keysIn0 + " entries and the flipped one: " + out);
        Sweeps.assertSameFiles(clean, dir.resolve("results").resolve(SWEEP).resolve("after").toFile(),
                List.of("aggregated/trials.csv", "aggregated/trials.parquet"));
    }
}
