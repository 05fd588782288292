package org.engram.driver.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A cluster master that does not answer is a configuration problem, reported in one line (exit 2) within
 * {@code spark.master-timeout} seconds: its address is probed before Spark starts (refused, unknown host, no route),
 * and Spark's own registration — three tries of 20 s each, then a context that stops itself — is given that long.
 */
public final class MasterCheck {
    private MasterCheck() {
    }

    /** The host:port pairs of a standalone master URL ({@code spark://h1:p1,h2:p2}); empty for other masters. */
    static List<InetSocketAddress> addresses(String master) {
        List<InetSocketAddress> out = new ArrayList<>();
        if (master == null || !master.startsWith("spark://")) {
            return out;
        }
        for (String hp : master.substring("spark://".length()).split(",")) {
            int colon = hp.lastIndexOf(':');
            out.add(InetSocketAddress.createUnresolved(hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1))));
        }
        return out;
    }

    /** Throws (exit 2) when no address of a standalone master accepts a connection within the timeout. */
    public static void reachable(String master, double timeoutSeconds) {
        List<InetSocketAddress> all = addresses(master);
        if (all.isEmpty()) {
            return;
        }
        List<String> why = new ArrayList<>();
        int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutSeconds * 1000 / all.size()));
        for (InetSocketAddress a : all) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(a.getHostString(), a.getPort()), ms);
                return;
            } catch (IOException e) {
                why.add(a.getHostString() + ":" + a.getPort() + " " + (e.getMessage() == null
                        ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        throw new IllegalArgumentException("the Spark master " + master + " is not reachable (" + String.join("; ", why)
                + "): is it running? (deploy/local-cluster.sh starts one on this host; --master local[*] runs here)");
    }

    /**
     * Starts Spark; for a standalone master, gives its registration {@code timeoutSeconds}: a master that does not
     * accept the application by then (or that Spark gave up on) is one line, exit 2, and nothing is written.
     */
    static JavaSparkContext start(SparkConf conf, double timeoutSeconds) {
        String master = conf.get("spark.master", "");
        if (addresses(master).isEmpty()) {
            return new JavaSparkContext(conf);
        }
        reachable(master, timeoutSeconds);
        FutureTask<JavaSparkContext> f = new FutureTask<>(() -> new JavaSparkContext(conf));
        Thread t = new Thread(f, "engram-spark-start");
        t.setDaemon(true);
        t.start();
        JavaSparkContext sc;
        try {
            sc = f.get((long) (timeoutSeconds * 1000), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("the Spark master " + master + " did not accept the application within "
                    + Math.round(timeoutSeconds) + " s (spark.master-timeout): is it a Spark master, and is it "
                    + "answering? (Spark's log: " + logFile() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Spark", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        }
        if (sc.sc().isStopped()) {
            throw new IllegalArgumentException("the Spark master " + master + " did not answer (Spark gave up: all "
                    + "masters unresponsive): is it running? (Spark's log: " + logFile() + ")");
        }
        return sc;
    }

    /** Where the launcher's log configuration writes Spark's log. */
    static String logFile() {
        return System.getProperty("engram.log.dir", "work/logs") + "/spark.log";
    }
}
