package org.engram.driver;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.engram.driver.engine.JvmFlags;

/** Starts JVMs from the packaged jars (masters, workers, SparkSubmit drivers) for integration tests. */
final class Submitter implements AutoCloseable {
    static final Path TARGET = Path.of("target").toAbsolutePath();
    static final Path LIB = TARGET.resolve("lib");
    static final Path APP = TARGET.resolve("engram-app.jar");

    final Path dir;
    final List<Process> processes = new ArrayList<>();
    /** JVM options of the drivers {@link #submit} starts (e.g. {@code -Dengram.lock.heartbeat-ms=200}). */
    final List<String> driverJvm = new ArrayList<>();

    Submitter(Path dir) {
        this.dir = dir;
    }

    static List<String> java(String main) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(JvmFlags.FLAGS.split(" ")));
        cmd.add("-Xmx768m");
        cmd.add("-cp");
        cmd.add(LIB + "/*");
        cmd.add(main);
        return cmd;
    }

    Process start(List<String> cmd, String log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_HOME", dir.resolve("spark-home").toString());
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    /**
     * Submits {@code engram run} through SparkSubmit in client mode; returns the driver process. {@code extra}: more
     * arguments of {@code engram run} (e.g. {@code --wait}).
     */
    Process submit(String conf, List<String> sets, String master, Path output, String runId, String log,
                   String... extra) throws IOException {
        List<String> cmd = java("org.apache.spark.deploy.SparkSubmit");
        cmd.addAll(1, driverJvm);
        cmd.addAll(List.of("--master", master, "--deploy-mode", "client", "--class", Engram.class.getName(),
                "--conf", "spark.executor.memory=1g", "--conf", "spark.ui.enabled=false",
                "--conf", "spark.executor.extraJavaOptions=" + JvmFlags.FLAGS,
                APP.toString(), "run", Sweeps.CONF.resolve(conf).toAbsolutePath().toString(),
                "--output", output.toString(), "--run-id", runId));
        for (String s : sets) {
            cmd.add("--set");
            cmd.add(s);
        }
        cmd.addAll(List.of(extra));
        return start(cmd, log);
    }

    static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    @Override
    public void close() {
        processes.forEach(Submitter::kill);
    }
}
