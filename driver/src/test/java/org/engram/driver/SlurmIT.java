package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sweeps on a real Slurm: a one-node cluster on loopback ({@code deploy/slurm/local-slurm.sh}: Debian's slurm-wlm and
 * munge, its own config, key and state under the build folder, every daemon stopped by PID), jobs submitted with
 * {@code sbatch deploy/slurm/engram.sbatch} — a Spark standalone master and worker inside the allocation — and a job
 * requeued mid-run with {@code scontrol requeue}, whose second attempt replays what the first recorded. Skipped, with
 * the reason, where the packages are missing or the daemons cannot be started (they need root).
 */
class SlurmIT {
    static final Path ROOT = ReadmeIT.ROOT;
    static final String SWEEP = FaultInjectionIT.SWEEP;
    static Path dir;
    static Map<String, String> env;
    /** 480 trials in 120 units, 40 ms a trial: ≈ 10 s of work on the job's 2 cores. */
    static final List<String> LONGER = List.of("grid.x=[0, 1, 2, 3]", "replicates.count=60",
            "params.trials-per-unit=4", "params.throw-replicates=[]", "params.nan-replicates=[]",
            "params.work-nanos=40000000", "ledger.seal-seconds=1");

    static String sh(List<String> cmd, Map<String, String> extra) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(extra);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + cmd);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(cmd + " exited " + p.exitValue() + ": " + out);
        }
        return out.strip();
    }

    @BeforeAll
    static void slurm() throws Exception {
        for (String b : List.of("/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch")) {
            Assumptions.assumeTrue(new File(b).canExecute(), b + " is missing: deploy/setup.sh installs slurm-wlm and "
                    + "munge from Debian's packages");
        }
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "slurmd runs jobs as their users: "
                + "the one-node cluster needs root");
        dir = Files.createTempDirectory(Submitter.TARGET, "slurm-");
        sh(List.of(ROOT.resolve("deploy/slurm/local-slurm.sh").toString(), "start", dir.resolve("slurm").toString()),
                Map.of());
        env = Map.of("SLURM_CONF", dir.resolve("slurm/slurm.conf").toString(), "ENGRAM_HOME", ROOT.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (dir != null) {
            sh(List.of(ROOT.resolve("deploy/slurm/local-slurm.sh").toString(), "stop", dir.resolve("slurm").toString()),
                    Map.of());
        }
    }

    /** Submits the job script with a sweep of the synthetic job; returns the job id. */
    static String sbatch(String name, Path results, List<String> sets) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable", "--mem=6000", "--cpus-per-task=2",
                "--job-name=" + name, "--output=" + dir.resolve(name + "-%j.out"),
                ROOT.resolve("deploy/slurm/engram.sbatch").toString(),
                Sweeps.CONF.resolve(FaultInjectionIT.SYNTHETIC).toAbsolutePath().toString(), "--output",
                results.toString()));
        for (String s : sets) {
            cmd.add("--set");
            cmd.add(s);
        }
        return sh(cmd, env).split(";")[0];
    }

    static String state(String job) throws Exception {
        return sh(List.of("squeue", "-h", "-j", job, "-o", "%T"), env);
    }

    /** Waits (bounded) until the job is no longer queued or running; returns its exit code. */
    static int await(String job, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!state(job).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "job " + job + " still " + state(job) + " after " + seconds + " s");
            Thread.sleep(300);
        }
        Matcher m = Pattern.compile("ExitCode=(\\d+):").matcher(sh(List.of("scontrol", "show", "job", job), env));
        assertTrue(m.find());
        return Integer.parseInt(m.group(1));
    }

    static File onlyRun(Path results) {
        File[] runs = results.resolve(SWEEP).toFile().listFiles(f -> f.isDirectory() && !f.getName().startsWith(".")
                && !f.getName().equals("ledger") && !f.getName().equals("shared"));
        assertTrue(runs != null && runs.length == 1, "one published run under " + results);
        return runs[0];
    }

    @Test
    void aSweepOnSlurmEqualsALocalRunAndARequeuedJobResumesFromTheLedger() throws Exception {
        long t0 = System.nanoTime();
        // a quick sweep: the tables equal local[2]'s, and the manifest names the Slurm job
        List<String> quick = List.of("params.throw-replicates=[]", "params.nan-replicates=[]");
        Path results = dir.resolve("quick");
        String job = sbatch("quick", results, quick);
        assertEquals(0, await(job, 120), Files.readString(dir.resolve("quick-" + job + ".out")));
        File onSlurm = onlyRun(results);
        JsonNode m = new ObjectMapper().readTree(new File(onSlurm, "manifest.json"));
        assertEquals(job, m.at("/runtime/slurm/job_id").asText());
        assertEquals(0, m.at("/runtime/slurm/restart_count").asInt());
        assertTrue(m.at("/runtime/spark_master").asText().startsWith("spark://"), "ran on the job's own cluster");

        // a longer one, requeued mid-run: the first attempt seals what it finished, the second replays exactly that
        Path longer = dir.resolve("longer");
        String requeued = sbatch("longer", longer, LONGER);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (FaultInjectionIT.entries(longer) < 20) {
            assertTrue(System.nanoTime() < deadline, "the first attempt recorded nothing");
            Thread.sleep(200);
        }
        sh(List.of("scontrol", "requeue", requeued), env);
        while (!state(requeued).equals("PENDING")) {
            assertTrue(System.nanoTime() < deadline, "not requeued: " + state(requeued));
            Thread.sleep(200);
        }
        long recorded = 4 * FaultInjectionIT.entries(longer);
        // while the job waits to run again, the reference runs on local[2]
        File local = Sweeps.dir(Sweeps.run(FaultInjectionIT.SYNTHETIC, quick, "local[2]", dir.resolve("local"), "l"));
        Sweeps.assertSameFiles(onSlurm, local, List.of("aggregated/trials.csv", "aggregated/trials.parquet"));
        File uninterrupted = Sweeps.dir(Sweeps.run(FaultInjectionIT.SYNTHETIC, LONGER, "local[2]",
                dir.resolve("local-longer"), "u"));
        assertEquals(0, await(requeued, 150), Files.readString(dir.resolve("longer-" + requeued + ".out")));
        String out = Files.readString(dir.resolve("longer-" + requeued + ".out"));
        assertTrue(out.contains("engram: interrupted: " + recorded + " trials recorded"), "sealed: " + out);
        assertTrue(out.contains("requeued (SLURM_RESTART_COUNT=1): resuming from the ledger"), out);
        assertTrue(out.contains("the ledger holds " + recorded + " of 480 trials"), "replayed: " + out);
        File resumed = onlyRun(longer);
        JsonNode rm = new ObjectMapper().readTree(new File(resumed, "manifest.json"));
        assertEquals(1, rm.at("/runtime/slurm/restart_count").asInt());
        assertEquals(recorded, rm.at("/counts/reused_trials").asLong());
        Sweeps.assertSameFiles(resumed, uninterrupted, List.of("aggregated/trials.csv", "aggregated/trials.parquet"));
        assertTrue((System.nanoTime() - t0) / 1e9 < 240, "the whole test within 4 minutes");
    }
}
