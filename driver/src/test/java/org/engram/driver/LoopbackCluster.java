package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on 127.0.0.1 for integration tests: a master and single-core workers as separate
 * JVMs started from the project's own jars, which a test can kill (SIGKILL, with their executors) and restart.
 */
final class LoopbackCluster implements AutoCloseable {
    final Submitter jvm;
    final Path dir;
    final int masterPort;
    final int uiPort;
    private final List<Process> workers = new ArrayList<>();
    private int started;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts the master and {@code n} workers and waits until they are registered. */
    LoopbackCluster(String name, int n) throws Exception {
        assertTrue(Files.isRegularFile(Submitter.APP), "run after package: " + Submitter.APP);
        dir = Files.createTempDirectory(Submitter.TARGET, name + "-");
        jvm = new Submitter(dir);
        Files.createDirectories(dir.resolve("spark-home"));
        Files.createSymbolicLink(dir.resolve("spark-home/jars"), Submitter.LIB);
        masterPort = freePort();
        uiPort = freePort();
        List<String> master = Submitter.java("org.apache.spark.deploy.master.Master");
        master.addAll(List.of("--host", "127.0.0.1", "--port", "" + masterPort, "--webui-port", "" + uiPort));
        jvm.start(master, "master.log");
        for (int i = 0; i < n; i++) {
            workers.add(startWorker());
        }
        awaitWorkers(n);
    }

    String url() {
        return "spark://127.0.0.1:" + masterPort;
    }

    private Process startWorker() throws IOException {
        started++;
        List<String> w = Submitter.java("org.apache.spark.deploy.worker.Worker");
        w.addAll(List.of(url(), "--host", "127.0.0.1", "--cores", "1", "--memory", "1500m", "--webui-port",
                "" + freePort(), "--work-dir", dir.resolve("worker-" + started).toString()));
        return jvm.start(w, "worker-" + started + ".log");
    }

    /** Kills worker {@code i} (0-based) and its executors. */
    void killWorker(int i) {
        Submitter.kill(workers.get(i));
    }

    /** Starts a fresh worker in place of worker {@code i} and waits until the master counts it. */
    void restartWorker(int i) throws Exception {
        workers.set(i, startWorker());
        awaitWorkers(workers.size());
    }

    Process worker(int i) {
        return workers.get(i);
    }

    /** Waits until no worker runs an executor (those of a killed driver's application are stopped by the master). */
    void awaitNoExecutors() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (workers.stream().anyMatch(w -> w.descendants().anyMatch(ProcessHandle::isAlive))) {
            assertTrue(System.nanoTime() < deadline, "executors outlived their driver; see " + dir);
            Thread.sleep(200);
        }
    }

    int aliveWorkers() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + uiPort + "/json/")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(r.body()).path("aliveworkers").asInt(0);
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private void awaitWorkers(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (aliveWorkers() < n) {
            assertTrue(System.nanoTime() < deadline, "the cluster did not reach " + n + " workers; see " + dir);
            Thread.sleep(300);
        }
    }

    @Override
    public void close() {
        jvm.close();
    }
}
