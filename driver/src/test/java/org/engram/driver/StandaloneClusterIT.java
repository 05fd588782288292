package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real standalone cluster on 127.0.0.1 — a master and two workers as separate JVMs started from
 * the project's own jars — with sweeps submitted through {@code org.apache.spark.deploy.SparkSubmit}.
 * Aggregated tables must be byte-identical to the same sweep on local[2], also when one worker is
 * killed with SIGKILL while tasks run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneClusterIT {
    LoopbackCluster cluster;
    Submitter jvm;
    Path dir;
    int masterPort;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new LoopbackCluster("cluster", 2);
        jvm = cluster.jvm;
        dir = cluster.dir;
        masterPort = cluster.masterPort;
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    Process submit(String conf, List<String> sets, String master, String runId, String log) throws IOException {
        return jvm.submit(conf, sets, master, dir.resolve("results"), runId, log);
    }

    File run(String conf, List<String> sets, String master, String runId) throws Exception {
        Process p = submit(conf, sets, master, runId, runId + ".log");
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "submission " + runId + " timed out");
        assertEquals(0, p.exitValue(), "submission " + runId + " failed; see " + dir.resolve(runId + ".log"));
        return output(conf, runId);
    }

    File output(String conf, String runId) {
        String id = Sweeps.prepare(conf, List.of()).sweep().identity().id();
        return dir.resolve("results").resolve(id).resolve(runId).toFile();
    }

    @Test
    void clusterRunGivesTheSameTablesAsLocal() throws Exception {
        List<String> sets = List.of("grid.n=[80, 160]", "params.cells-per-unit=10");
        File cluster = run("quick/rnn.reinforcement.conf", sets, "spark://127.0.0.1:" + masterPort, "cluster");
        File local = run("quick/rnn.reinforcement.conf", sets, "local[2]", "local");
        Sweeps.assertSameFiles(cluster, local, List.of("aggregated/trials.csv", "aggregated/trials.parquet",
                "derived/regimes.csv"));
        JsonNode m = new ObjectMapper().readTree(new File(cluster, "manifest.json"));
        assertTrue(m.at("/runtime/spark_master").asText().startsWith("spark://127.0.0.1:"), m.toString());
        // engram sql on the cluster's master: both runs' rows, counted by the executors
        Object[] q = CliTest.captured(() -> Engram.execute("sql", "--root", dir.resolve("results").toString(),
                "--master", "spark://127.0.0.1:" + masterPort, "SELECT run_id, count(*) AS n FROM trials "
                        + "WHERE job = 'rnn.reinforcement' GROUP BY run_id ORDER BY run_id"));
        assertEquals(0, q[0], (String) q[2]);
        long trials = m.at("/counts/trials").asLong();
        List<String> lines = ((String) q[1]).lines().toList();
        assertTrue(lines.get(1).matches("cluster\\s+" + trials) && lines.get(2).matches("local\\s+" + trials),
                lines.toString());
    }

    @Test
    void aWorkerKilledMidSweepChangesNothing() throws Exception {
        // 80 units of 0.4 s each: about 16 s on two single-core workers
        List<String> sets = List.of("grid.x=[0, 1, 2, 3]", "replicates.count=40", "params.trials-per-unit=4",
                "params.throw-replicates=[]", "params.nan-replicates=[]", "params.work-nanos=100000000");
        Process p = submit("quick/engine.synthetic.conf", sets, "spark://127.0.0.1:" + masterPort, "killed",
                "killed.log");
        Path log = dir.resolve("killed.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        // kill as soon as trials are being counted: tasks are then running on both executors
        java.util.regex.Pattern running = java.util.regex.Pattern.compile("trials [1-9][0-9]*/320");
        while (!running.matcher(Files.readString(log)).find()) {
            assertTrue(System.nanoTime() < deadline && p.isAlive(), "the sweep never started; see " + log);
            Thread.sleep(100);
        }
        assertTrue(p.isAlive(), "the sweep must still be running when the worker dies");
        cluster.killWorker(0);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "submission timed out after the worker died");
        assertEquals(0, p.exitValue(), "see " + log);
        String text = Files.readString(log);
        assertTrue(text.contains("Lost executor") || text.contains("Lost task"), "an executor was lost mid-sweep: " + log);
        File killed = output("quick/engine.synthetic.conf", "killed");
        File local = Sweeps.dir(Sweeps.run("quick/engine.synthetic.conf", sets, "local[2]", dir.resolve("results-local"),
                "local"));
        Sweeps.assertSameFiles(killed, local, List.of("aggregated/trials.csv", "aggregated/trials.parquet"));
        assertEquals(320, EndToEndTest.parquetRows(new File(killed, "raw/trials")), "no lost or duplicate rows");
    }
}
