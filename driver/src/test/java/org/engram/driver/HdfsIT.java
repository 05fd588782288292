package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.engram.driver.engine.RunResult;
import org.junit.jupiter.api.Test;

/** A quick sweep end to end on an in-process HDFS: outputs, manifest and ledger on hdfs://, listed and queried there. */
class HdfsIT {
    @Test
    void sweepWritesAndResumesOnHdfs() throws Exception {
        Path base = Files.createTempDirectory(Submitter.TARGET, "hdfs-");
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        try {
            cluster.waitActive();
            String root = "hdfs://localhost:" + cluster.getNameNodePort() + "/engram/results";
            List<String> sets = List.of("grid.n=[50, 100]", "replicates.weight-draws=1");
            RunResult first = Sweeps.run("quick/rnn.reinforcement.conf", sets, "local[2]", base.resolve("local"), "h1");
            assertEquals(0, first.failedTrials());
            // the same sweep with its output on HDFS, twice: the second replays the HDFS ledger
            RunResult r1 = runOn(root, sets, "a");
            RunResult r2 = runOn(root, sets, "b");
            assertTrue(r1.outputDir().startsWith("hdfs://"), r1.outputDir());
            assertEquals(0, r1.reusedTrials());
            assertEquals(r1.trials(), r2.reusedTrials());
            FileSystem fs = cluster.getFileSystem();
            for (String f : List.of("manifest.json", "aggregated/trials.csv", "aggregated/trials.parquet",
                    "derived/regimes.csv", "plots/heatmap_n100.png", "failures.csv")) {
                assertTrue(fs.exists(new org.apache.hadoop.fs.Path(r1.outputDir(), f)), f);
            }
            JsonNode m;
            try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(r2.outputDir(), "manifest.json"))) {
                m = new ObjectMapper().readTree(in);
            }
            assertEquals(r1.trials(), m.at("/counts/reused_trials").asLong());
            assertTrue(m.get("ledger").asText().startsWith("hdfs://"));
            byte[] onHdfs;
            try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(r1.outputDir(), "aggregated/trials.csv"))) {
                onHdfs = in.readAllBytes();
            }
            byte[] local = Files.readAllBytes(Sweeps.dir(first).toPath().resolve("aggregated/trials.csv"));
            assertEquals(new String(local), new String(onHdfs), "HDFS and local runs give the same table");
            // the catalogue on HDFS: both runs listed, and queried with Spark SQL over their Parquet there
            Object[] runs = CliTest.captured(() -> Engram.execute("runs", root));
            assertEquals(3, ((String) runs[1]).lines().count(), (String) runs[1]);
            Object[] q = CliTest.captured(() -> Engram.execute("sql", "--root", root, "--master", "local[2]",
                    "SELECT run_id, count(*) AS n FROM trials GROUP BY run_id ORDER BY run_id"));
            assertEquals(0, q[0], (String) q[2]);
            List<String> lines = ((String) q[1]).lines().toList();
            assertTrue(lines.get(1).matches("a\\s+" + r1.trials()) && lines.get(2).matches("b\\s+" + r1.trials()),
                    lines.toString());
        } finally {
            cluster.shutdown();
        }
    }

    private static RunResult runOn(String root, List<String> sets, String runId) {
        return Sweeps.run(Sweeps.prepare("quick/rnn.reinforcement.conf", sets), "local[2]", root, runId, false);
    }
}
