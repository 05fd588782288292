package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.engram.driver.engine.DriverSettings;
import org.engram.driver.engine.Preflight;
import org.engram.driver.engine.RunOptions;
import org.engram.driver.engine.SparkResolution;
import org.engram.driver.engine.SweepRunner;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mistakes Spark or Hadoop would report only after start-up (with exit code 1 and a stack trace) are caught
 * before any Spark context exists: exit code 2, the option or key named with its value, no stack trace.
 */
class PreflightTest {
    @TempDir
    static Path dir;

    static final String CONF = Path.of("..", "conf", "quick", "engine.synthetic.conf").toString();

    static Stream<Arguments> badInputs() throws IOException {
        Path file = Files.writeString(Files.createTempFile("engram-output", ".txt"), "a file, not a folder");
        List<Arguments> a = new ArrayList<>();
        // the master URL, in each form Spark would refuse
        for (String m : List.of("bogus[3]", "local[0]", "local[-1]", "local[2,0]", "local[x]", "spark://host",
                "spark://host:port", "mesos://host:5050", "yarnn", "local[*", "k8s:/missing-slash")) {
            a.add(Arguments.of(List.of("--master", m), "--master"));
        }
        a.add(Arguments.of(List.of("--set", "spark.conf.\"spark.master\"=bogus"), "spark.master"));
        // spark.* values Spark would reject
        a.add(Arguments.of(List.of("--conf", "spark.executor.memory=lots"), "spark.executor.memory"));
        a.add(Arguments.of(List.of("--conf", "spark.executor.cores=two"), "spark.executor.cores"));
        a.add(Arguments.of(List.of("--conf", "spark.executor.cores=0"), "spark.executor.cores"));
        a.add(Arguments.of(List.of("--conf", "spark.task.cpus=-1"), "spark.task.cpus"));
        a.add(Arguments.of(List.of("--conf", "spark.default.parallelism=0"), "spark.default.parallelism"));
        a.add(Arguments.of(List.of("--conf", "spark.dynamicAllocation.enabled=yes"), "spark.dynamicAllocation.enabled"));
        a.add(Arguments.of(List.of("--conf", "spark.network.timeout=soon"), "spark.network.timeout"));
        a.add(Arguments.of(List.of("--conf", "spark.kryoserializer.buffer.max=huge"), "spark.kryoserializer.buffer.max"));
        a.add(Arguments.of(List.of("--set", "spark.conf.\"spark.driver.memory\"=plenty"), "spark.driver.memory"));
        a.add(Arguments.of(List.of("--conf", "executor.memory=4g"), "--conf"));
        a.add(Arguments.of(List.of("--conf", "spark.master=local[0]"), "--conf spark.master"));
        // the driver's own sections, bound by the same schema as a job's settings
        a.add(Arguments.of(List.of("--set", "spark.tasks-per-core=0"), "spark.tasks-per-core"));
        a.add(Arguments.of(List.of("--set", "spark.conf.executor.memory=4g"), "spark.conf.executor.memory"));
        a.add(Arguments.of(List.of("--set", "spark.mastr=\"local[2]\""), "spark.mastr"));
        a.add(Arguments.of(List.of("--set", "ledger.seal-seconds=-1"), "ledger.seal-seconds"));
        a.add(Arguments.of(List.of("--set", "export.notebook=maybe"), "export.notebook"));
        // the output location
        a.add(Arguments.of(List.of("--output", file.toString()), "--output"));
        a.add(Arguments.of(List.of("--output", file.resolve("below").toString()), "--output"));
        a.add(Arguments.of(List.of("--output", "nosuchfs://bucket/results"), "--output"));
        a.add(Arguments.of(List.of("--set", "sweep.output=\"" + file + "\""), "sweep.output"));
        return a.stream();
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void isRejectedBeforeSparkWithExitCode2(List<String> args, String key) {
        List<String> all = new ArrayList<>(List.of("run", CONF, "--quiet"));
        if (!args.contains("--output") && !String.join(" ", args).contains("sweep.output")) {
            all.addAll(List.of("--output", dir.resolve("results").toString()));
        }
        all.addAll(args);
        Object[] r = CliTest.captured(() -> Engram.execute(all.toArray(String[]::new)));
        String err = (String) r[2];
        assertEquals(2, r[0], args + ": " + err);
        assertTrue(err.contains(key), args + " should name " + key + ": " + err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        assertTrue(org.apache.spark.SparkContext$.MODULE$.getActive().isEmpty(), "no Spark context was created");
        assertFalse(Files.exists(dir.resolve("results").resolve("engine.synthetic.quick")), "nothing was written");
    }

    /**
     * One order for every Spark setting, and preflight checks what the run uses: with {@code --master local[1]
     * --conf spark.master=local[0]} the run uses local[1] (--master is the strongest source) and nothing refuses the
     * unused value; the sweep conf's spark.conf gives way to --conf, and Kryo stays Engram's.
     */
    @org.junit.jupiter.api.Test
    void everySparkSettingIsResolvedOnceInOneOrder() {
        var p = Sweeps.prepare("quick/engine.synthetic.conf", List.of("spark.conf.\"spark.executor.memory\"=1g",
                "spark.conf.\"spark.serializer\"=java", "spark.master=\"local[3]\""));
        RunOptions opt = new RunOptions("local[1]", java.util.Map.of("spark.master", "local[0]",
                "spark.executor.memory", "2g"), dir.resolve("order").toString(), null, true, false);
        SparkResolution r = SparkResolution.of(p.sweep(), DriverSettings.of(p.sweep()).spark(), opt);
        assertEquals(new SparkResolution.Value("local[1]", "--master"), r.master());
        assertEquals(new SparkResolution.Value("2g", "--conf spark.executor.memory"),
                r.settings().get("spark.executor.memory"));
        assertEquals("org.apache.spark.serializer.KryoSerializer", r.sparkConf().get("spark.serializer"));
        assertEquals("local[1]", SweepRunner.spark(p.sweep(), opt).sparkConf().get("spark.master"));
        Preflight.check(p.sweep(), SweepRunner.spark(p.sweep(), opt), opt, new org.apache.hadoop.conf.Configuration());
        RunOptions noMaster = new RunOptions(null, java.util.Map.of(), dir.resolve("order").toString(), null, true,
                false);
        assertEquals(new SparkResolution.Value("local[3]", "spark.master"),
                SparkResolution.of(p.sweep(), DriverSettings.of(p.sweep()).spark(), noMaster).master());
    }

    /** OPENBLAS_CORETYPE in the launching shell pins every executor's OpenBLAS kernels; --conf still wins. */
    @org.junit.jupiter.api.Test
    void theShellsOpenBlasCoreGoesToEveryExecutor() {
        var p = Sweeps.prepare("quick/engine.synthetic.conf", List.of());
        var spark = DriverSettings.of(p.sweep()).spark();
        RunOptions plain = new RunOptions(null, java.util.Map.of(), dir.resolve("core").toString(), null, true, false);
        String key = "spark.executorEnv.OPENBLAS_CORETYPE";
        assertEquals(new SparkResolution.Value("Haswell", "OPENBLAS_CORETYPE"), SparkResolution.of(p.sweep(), spark,
                plain, java.util.Map.of("OPENBLAS_CORETYPE", "Haswell")).settings().get(key));
        assertEquals(null, SparkResolution.of(p.sweep(), spark, plain, java.util.Map.of()).settings().get(key));
        RunOptions conf = new RunOptions(null, java.util.Map.of(key, "SkylakeX"), dir.resolve("core").toString(), null,
                true, false);
        assertEquals(new SparkResolution.Value("SkylakeX", "--conf " + key), SparkResolution.of(p.sweep(), spark, conf,
                java.util.Map.of("OPENBLAS_CORETYPE", "Haswell")).settings().get(key));
    }

    @org.junit.jupiter.api.Test
    void everyProblemIsReportedAtOnce() {
        Object[] r = CliTest.captured(() -> Engram.execute("run", CONF, "--quiet", "--master", "local[0]", "--conf",
                "spark.executor.cores=0", "--output", "nosuchfs://x/y"));
        String err = (String) r[2];
        assertEquals(2, r[0]);
        assertTrue(err.contains("--master") && err.contains("spark.executor.cores") && err.contains("--output"), err);
        // and a good run still runs: local[1], the default output
        Object[] ok = CliTest.captured(() -> Engram.execute("run", CONF, "--quiet", "--master", "local[1]", "--output",
                dir.resolve("good").toString(), "--conf", "spark.executor.memory=1g"));
        assertEquals(3, ok[0], "the synthetic job's injected failures give exit code 3: " + ok[2]);
    }
}
