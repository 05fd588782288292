package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.engram.driver.engine.RunResult;
import org.engram.driver.engine.SweepLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per sweep output: a second run refuses (or waits), stale locks and leftovers are handled. */
class SweepLockTest {
    @TempDir
    Path dir;

    static final String CONF = "quick/unlearning.phase-diagram.conf";
    static final List<String> SETS = List.of("params.n=120", "params.sweeps=60", "params.measure-sweeps=20",
            "grid.alpha=[0.05, 0.1]", "grid.t=[0, 0.5]");

    private String[] cli(String runId, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("run", Sweeps.CONF.resolve(CONF).toString(), "--quiet",
                "--output", dir.resolve("results").toString(), "--run-id", runId, "--conf", "spark.ui.enabled=false"));
        for (String s : SETS) {
            a.add("--set");
            a.add(s);
        }
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private Path lock() {
        return dir.resolve("results/unlearning.phase-diagram.quick/" + SweepLock.NAME);
    }

    @Test
    void aSecondRunOfTheSameSweepRefusesAtOnceOrWaitsWithWait() throws Exception {
        CompletableFuture<RunResult> first = CompletableFuture.supplyAsync(() -> Sweeps.run(CONF, SETS, "local[2]",
                dir.resolve("results"), "first"));
        long t0 = System.nanoTime();
        while (!Files.exists(lock()) && System.nanoTime() - t0 < 20e9) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(lock()), "the first run holds the lock");
        Object[] second = CliTest.captured(() -> Engram.execute(cli("second")));
        assertEquals(2, second[0], (String) second[2]);
        assertTrue(((String) second[2]).contains("in use by another run") && ((String) second[2]).contains("run first"),
                (String) second[2]);
        assertFalse(Files.exists(dir.resolve("results/unlearning.phase-diagram.quick/second")));
        assertEquals(0, first.get(120, TimeUnit.SECONDS).failedTrials());
        assertFalse(Files.exists(lock()), "released at the end");

        // with --wait the second run waits for the first and then runs
        CompletableFuture<RunResult> third = CompletableFuture.supplyAsync(() -> Sweeps.run(CONF, SETS, "local[2]",
                dir.resolve("results"), "third"));
        t0 = System.nanoTime();
        while (!Files.exists(lock()) && System.nanoTime() - t0 < 20e9) {
            Thread.sleep(20);
        }
        Object[] waited = CliTest.captured(() -> Engram.execute(cli("fourth", "--wait")));
        assertEquals(0, third.get(120, TimeUnit.SECONDS).failedTrials());
        assertEquals(0, waited[0], (String) waited[2]);
        assertTrue(((String) waited[1]).contains("waiting for the run"), (String) waited[1]);
        assertTrue(Files.exists(dir.resolve("results/unlearning.phase-diagram.quick/fourth/manifest.json")));
    }

    @Test
    void aStaleLockIsTakenOverAndLeftoversAreReportedAndCleaned() throws Exception {
        Path base = Files.createDirectories(dir.resolve("results/unlearning.phase-diagram.quick"));
        Files.writeString(lock(), "owner ghost\nhost nowhere\nrun dead\ntoken x\n");
        Files.setLastModifiedTime(lock(), FileTime.fromMillis(System.currentTimeMillis() - 10 * 60_000));
        Files.createDirectories(base.resolve(".20260101-000000-000-dead.inprogress/raw"));
        Files.createDirectories(base.resolve("ledger/ab"));
        Files.writeString(base.resolve("ledger/ab/.abcdef.attempt-0-x.tmp"), "half an entry");
        Object[] r = CliTest.captured(() -> Engram.execute(cli("after-crash")));
        assertEquals(0, r[0], (String) r[2]);
        String out = (String) r[1];
        assertTrue(out.contains("taking over a stale lock") && out.contains("owner ghost"), out);
        assertTrue(out.contains("found 2 leftovers"), out);
        assertFalse(Files.exists(lock()));

        Object[] c = CliTest.captured(() -> Engram.execute("clean", dir.resolve("results").toString()));
        assertEquals(0, c[0]);
        assertTrue(((String) c[1]).contains("2 leftovers removed"), (String) c[1]);
        assertFalse(Files.exists(base.resolve(".20260101-000000-000-dead.inprogress")));
        assertFalse(Files.exists(base.resolve("ledger/ab/.abcdef.attempt-0-x.tmp")));
        assertTrue(Files.exists(base.resolve("after-crash/manifest.json")), "finished runs are untouched");

        // a live lock keeps clean away
        Files.createDirectories(base.resolve(".x.inprogress"));
        Files.writeString(lock(), "owner alive\nrun busy\n");
        Object[] held = CliTest.captured(() -> Engram.execute("clean", dir.resolve("results").toString()));
        assertTrue(((String) held[1]).contains("in use by a run") && Files.exists(base.resolve(".x.inprogress")),
                (String) held[1]);
    }

    @Test
    void aLockOfAProcessGoneFromThisHostIsStaleAtOnce() throws Exception {
        String here = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
        String host = here.substring(here.indexOf('@') + 1);
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assertTrue(SweepLock.deadOnThisHost("owner x, process " + p.pid() + "@" + host + ", started now"));
        assertFalse(SweepLock.deadOnThisHost("owner x, process " + ProcessHandle.current().pid() + "@" + host));
        assertFalse(SweepLock.deadOnThisHost("owner x, process " + p.pid() + "@another-host"));
    }

    private org.apache.hadoop.fs.Path writeLock(String text, long mtime) throws Exception {
        Path base = Files.createDirectories(dir.resolve("results/judged"));
        Path lock = base.resolve(SweepLock.NAME);
        Files.writeString(lock, text);
        Files.setLastModifiedTime(lock, FileTime.fromMillis(mtime));
        return new org.apache.hadoop.fs.Path(lock.toUri());
    }

    private static org.apache.hadoop.fs.FileSystem local() throws Exception {
        return org.apache.hadoop.fs.FileSystem.getLocal(new org.apache.hadoop.conf.Configuration());
    }

    @Test
    void aLiveHolderOfThisHostIsNeverStaleWhateverTheFilesAgeAndAReusedPidIsNotIt() throws Exception {
        String self = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
        String started = ProcessHandle.current().info().startInstant().orElseThrow().toString();
        long old = System.currentTimeMillis() - 60 * 60_000;
        assertTrue(SweepLock.heldByLiveRun(local(), writeLock("owner me\nprocess " + self + "\nprocess-start "
                + started + "\nrun r\ntoken t\n", old)), "an hour old, its process alive");
        // the same PID, started at another time: a later process given the dead holder's PID
        assertFalse(SweepLock.heldByLiveRun(local(), writeLock("owner me\nprocess " + self + "\nprocess-start "
                + "2001-01-01T00:00:00Z\nrun r\ntoken t\n", System.currentTimeMillis())), "a reused PID");
        // another host's lock is judged by its age alone
        assertTrue(SweepLock.heldByLiveRun(local(), writeLock("owner x\nprocess 1@elsewhere\nrun r\n",
                System.currentTimeMillis() - 60_000)));
        assertFalse(SweepLock.heldByLiveRun(local(), writeLock("owner x\nprocess 1@elsewhere\nrun r\n",
                System.currentTimeMillis() - 6 * 60_000)));
    }

    @Test
    void aLockDatedInTheFutureIsJudgedByWhenThisHostFirstSawItUnchanged() throws Exception {
        System.setProperty("engram.lock.stale-ms", "1500");
        try {
            long future = System.currentTimeMillis() + 3_600_000;
            org.apache.hadoop.fs.Path lock = writeLock("owner far\nprocess 1@elsewhere\nrun r\n", future);
            assertTrue(SweepLock.heldByLiveRun(local(), lock), "first seen now");
            Thread.sleep(1000);
            assertTrue(SweepLock.heldByLiveRun(local(), lock), "seen unchanged for 1 s of 1.5");
            Thread.sleep(700);
            assertFalse(SweepLock.heldByLiveRun(local(), lock), "unchanged for longer than the stale limit");
            // touched by its holder (a new date, still ahead of this clock): live again, and judged from now
            lock = writeLock("owner far\nprocess 1@elsewhere\nrun r\n", future + 30_000);
            assertTrue(SweepLock.heldByLiveRun(local(), lock), "a heartbeat restarts the clock");
        } finally {
            System.clearProperty("engram.lock.stale-ms");
        }
    }

    @Test
    void unlockShowsTheHolderAndNeedsYesWithoutATerminal() throws Exception {
        org.apache.hadoop.fs.Path lock = writeLock("owner far\nprocess 1@elsewhere\nrun r\n",
                System.currentTimeMillis() + 3_600_000);
        String folder = dir.resolve("results/judged").toString();
        Object[] asked = CliTest.captured(() -> Engram.execute("unlock", folder));
        assertEquals(2, asked[0], asked[1] + " " + asked[2]);
        assertTrue(((String) asked[1]).contains("held by owner far") && ((String) asked[2]).contains("--yes"),
                asked[1] + " " + asked[2]);
        assertTrue(Files.exists(Path.of(lock.toUri())), "kept without --yes");
        Object[] broken = CliTest.captured(() -> Engram.execute("unlock", folder, "--yes"));
        assertEquals(0, broken[0]);
        assertFalse(Files.exists(Path.of(lock.toUri())), "removed");
    }
}
