package org.engram.driver;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One writer per sweep output: {@code <output>/<sweep-id>/.engram.lock}, created exclusively (create without
 * overwrite, atomic on HDFS, local and object stores with conditional create), naming its owner, host, process,
 * start time and run id. The holder touches it every {@link #HEARTBEAT_MILLIS}; a lock untouched for
 * {@link #STALE_MILLIS}, or held by a process of this host that no longer exists (a killed driver), belongs to a run
 * that died and is taken over (with a notice). A second run of the same sweep
 * refuses at once (exit code 2, naming the holder) or, with {@code --wait}, waits for the lock.
 */
final class SweepLock implements AutoCloseable {
    static final String NAME = ".engram.lock";
    static final long HEARTBEAT_MILLIS = 30_000;
    static final long STALE_MILLIS = 5 * 60_000;

    private final FileSystem fs;
    private final Path path;
    private final String token;
    private final Thread heartbeat;

    private SweepLock(FileSystem fs, Path path, String token) {
        this.fs = fs;
        this.path = path;
        this.token = token;
        this.heartbeat = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(HEARTBEAT_MILLIS);
                    fs.setTimes(path, System.currentTimeMillis(), -1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // a lost heartbeat only makes the lock look stale sooner
            }
        }, "engram-lock-heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();
    }

    /** Thrown when another live run holds the lock. */
    static final class Held extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Held(String message) {
            super(message);
        }
    }

    /** Takes the lock of the sweep folder {@code base}, waiting for it when {@code wait}; see the class comment. */
    static SweepLock acquire(FileSystem fs, Path base, String runId, boolean wait, PrintStream console) {
        Path path = new Path(base, NAME);
        String token = UUID.randomUUID().toString();
        String text = "owner " + System.getProperty("user.name") + "\nhost " + host() + "\nprocess "
                + ManagementFactory.getRuntimeMXBean().getName() + "\nstarted " + Instant.now() + "\nrun " + runId
                + "\ntoken " + token + "\n";
        boolean announced = false;
        try {
            fs.mkdirs(base);
            while (true) {
                try {
                    create(fs, path, text.getBytes(StandardCharsets.UTF_8));
                    return new SweepLock(fs, path, token);
                } catch (FileAlreadyExistsException | java.nio.file.FileAlreadyExistsException e) {
                    // held: by a live run, or by one that died
                } catch (IOException e) {
                    if (!fs.exists(path)) {
                        throw e;
                    }
                }
                FileStatus st;
                try {
                    st = fs.getFileStatus(path);
                } catch (java.io.FileNotFoundException gone) {
                    continue; // released meanwhile: try again
                }
                String holder = holder(fs, path);
                String stale = staleBecause(st, holder);
                if (stale != null) {
                    console.printf("[engram] taking over a stale lock (%s): %s%n", stale, holder);
                    fs.delete(path, false);
                    continue;
                }
                if (!wait) {
                    throw new Held("the sweep output " + base + " is in use by another run (" + holder + "); it "
                            + "refuses a second writer — wait for it, or run with --wait");
                }
                if (!announced) {
                    console.printf("[engram] waiting for the run that holds %s (%s)%n", path, holder);
                    announced = true;
                }
                Thread.sleep(2000);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take the lock " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + path, e);
        }
    }

    /** Creates the lock file exclusively: atomically (CREATE_NEW) on a local disk, create-without-overwrite elsewhere. */
    private static void create(FileSystem fs, Path path, byte[] bytes) throws IOException {
        if ("file".equals(fs.getScheme())) {
            java.nio.file.Files.write(java.nio.file.Path.of(path.toUri()), bytes, java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.StandardOpenOption.CREATE_NEW);
            return;
        }
        try (FSDataOutputStream out = fs.create(path, false)) {
            out.write(bytes);
        }
    }

    /** Whether the holder ran on this host in a process that no longer exists (a killed driver). */
    static boolean deadOnThisHost(String holder) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("process (\\d+)@([^,]+)").matcher(holder);
        if (!m.find()) {
            return false;
        }
        String here = ManagementFactory.getRuntimeMXBean().getName();
        String host = here.substring(here.indexOf('@') + 1);
        return m.group(2).trim().equals(host) && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty();
    }

    /** The lock's owner, host, process and start in one line. */
    static String holder(FileSystem fs, Path path) {
        try (InputStream in = fs.open(path)) {
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            StringBuilder b = new StringBuilder();
            for (String line : s.split("\n")) {
                if (!line.startsWith("token ") && !line.isBlank()) {
                    b.append(b.length() == 0 ? "" : ", ").append(line);
                }
            }
            return b.toString();
        } catch (IOException e) {
            return "holder unreadable";
        }
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }

    /** Why a lock is stale — untouched too long, or its process gone from this host — or null when it is live. */
    static String staleBecause(FileStatus st, String holder) {
        long age = System.currentTimeMillis() - st.getModificationTime();
        if (age > STALE_MILLIS) {
            return "untouched for " + age / 1000 + " s";
        }
        return deadOnThisHost(holder) ? "its process is gone" : null;
    }

    /** Whether a lock file exists and is held by a live run (the same rule as {@link #acquire}). */
    static boolean heldByLiveRun(FileSystem fs, Path lock) throws IOException {
        if (!fs.exists(lock)) {
            return false;
        }
        return staleBecause(fs.getFileStatus(lock), holder(fs, lock)) == null;
    }

    @Override
    public void close() {
        heartbeat.interrupt();
        try {
            // release only our own lock (a stale-lock takeover by another run must not be undone)
            try (InputStream in = fs.open(path)) {
                if (!new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("token " + token)) {
                    return;
                }
            }
            fs.delete(path, false);
        } catch (IOException e) {
            // an unreleased lock goes stale on its own
        }
    }
}
