package org.engram.driver.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.engram.driver.output.Provenance;

/**
 * One writer per sweep output: {@code <output>/<sweep-id>/.engram.lock}, created exclusively (create without
 * overwrite, atomic on HDFS, local and object stores with conditional create), naming its owner, host, process (with
 * the process's start, so a reused PID is told apart), start time and run id.
 *
 * <p>When is a lock stale, and taken over (with a notice)? A holder on <b>this host</b> is live exactly as long as its
 * process is, whatever the file's age. A holder on <b>another host</b> (or a lock whose holder cannot be read) is
 * judged by its heartbeat: the holder touches the file every {@link #heartbeatMillis}, and a lock untouched for
 * {@link #staleMillis} is stale. Clocks differ between hosts: a lock dated in the future is judged by when this process
 * first saw it unchanged. A second run of the same sweep refuses at once (exit code 2, naming the holder) or, with
 * {@code --wait}, waits for the lock; {@code engram unlock} breaks one by hand.
 *
 * <p>The heartbeat survives transient errors: it retries, says so once on stderr, and says when the lock is renewed
 * again. A holder that cannot renew its lock for longer than {@link #stopAfterMillis} — before another host could
 * judge it stale — or finds it taken over, calls its {@code onLost} action: the run stops itself.
 */
public final class SweepLock implements AutoCloseable {
    public static final String NAME = ".engram.lock";
    static final long HEARTBEAT_MILLIS = 30_000;
    static final long STALE_MILLIS = 5 * 60_000;
    /** A lock dated this far ahead of this host's clock is "in the future". */
    static final long CLOCK_SLACK_MILLIS = 5_000;
    /** When this process first saw each future-dated lock (path and date): the clock it is judged by. */
    private static final Map<String, Long> FIRST_SEEN = new ConcurrentHashMap<>();
    private static final Pattern PROCESS = Pattern.compile("process (\\d+)@([^,\\n]+)");
    private static final Pattern PROCESS_START = Pattern.compile("process-start ([^,\\s]+)");

    private final FileSystem fs;
    private final Path path;
    private final String token;
    private final Thread heartbeat;
    private volatile Runnable onLost = () -> { };
    private volatile String lost;

    /** The heartbeat period (ms): {@code -Dengram.lock.heartbeat-ms}, for tests, else {@link #HEARTBEAT_MILLIS}. */
    static long heartbeatMillis() {
        return Long.getLong("engram.lock.heartbeat-ms", HEARTBEAT_MILLIS);
    }

    /** The age (ms) at which another host's lock is stale: {@code -Dengram.lock.stale-ms}, else {@link #STALE_MILLIS}. */
    static long staleMillis() {
        return Long.getLong("engram.lock.stale-ms", STALE_MILLIS);
    }

    /** How long a holder goes on without renewing before it stops itself: a heartbeat and a margin before stale. */
    static long stopAfterMillis() {
        return Math.max(heartbeatMillis(), staleMillis() - 2 * heartbeatMillis());
    }

    private SweepLock(FileSystem fs, Path path, String token, PrintStream err) {
        this.fs = fs;
        this.path = path;
        this.token = token;
        this.heartbeat = new Thread(() -> beat(err), "engram-lock-heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();
    }

    /** The heartbeat: touch the lock every period; on errors retry, say so once, and give up only past the limit. */
    private void beat(PrintStream err) {
        long period = heartbeatMillis();
        long lastRenewed = System.currentTimeMillis();
        String failing = null;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(failing == null ? period : Math.max(50, Math.min(period, 5_000)));
                try {
                    if (!ours()) {
                        lose("the lock " + path + " was taken over by another run (" + holder(fs, path) + ")");
                        return;
                    }
                    fs.setTimes(path, System.currentTimeMillis(), -1);
                    lastRenewed = System.currentTimeMillis();
                    if (failing != null) {
                        err.printf("[engram] the lock %s is renewed again%n", path);
                        failing = null;
                    }
                } catch (IOException | RuntimeException e) {
                    if (failing == null) {
                        failing = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().split("\n")[0];
                        err.printf("[engram] warning: cannot renew the lock %s (%s); retrying%n", path, failing);
                    }
                    long since = System.currentTimeMillis() - lastRenewed;
                    if (since > stopAfterMillis()) {
                        lose("the lock " + path + " could not be renewed for " + since / 1000 + " s (" + failing
                                + "): stopping before another run could take the sweep over");
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void lose(String why) {
        lost = why;
        onLost.run();
    }

    /** Whether the lock file still holds this holder's token. */
    private boolean ours() throws IOException {
        try (InputStream in = fs.open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("token " + token);
        } catch (java.io.FileNotFoundException gone) {
            return false;
        }
    }

    /** What to do when the lock is lost (the run stops itself); runs on the heartbeat thread. */
    void onLost(Runnable action) {
        this.onLost = action;
        if (lost != null) {
            action.run();
        }
    }

    /** Why the lock was lost, or null while it is held. */
    String lost() {
        return lost;
    }

    /** Thrown when another live run holds the lock. */
    public static final class Held extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Held(String message) {
            super(message);
        }
    }

    /** The text of a new lock: who holds it, and the token only this holder knows. */
    static String text(String runId, String token) {
        ProcessHandle self = ProcessHandle.current();
        return "owner " + System.getProperty("user.name") + "\nhost " + host() + "\nprocess "
                + ManagementFactory.getRuntimeMXBean().getName() + "\nprocess-start "
                + self.info().startInstant().map(Instant::toString).orElse("unknown") + "\nstarted " + Instant.now()
                + "\nrun " + runId + (System.getenv("SLURM_JOB_ID") == null ? ""
                : "\nslurm-job " + System.getenv("SLURM_JOB_ID") + " attempt " + Provenance.slurmRestarts())
                + "\ntoken " + token + "\n";
    }

    private static final Pattern SLURM = Pattern.compile("slurm-job (\\S+) attempt (\\d+)");

    /**
     * Whether the holder was an earlier attempt of the Slurm job this process runs in: Slurm never runs two attempts
     * of one job at once, so a requeued job (on this node or another) takes its predecessor's lock at once.
     */
    static boolean earlierAttemptOfThisSlurmJob(String holder) {
        String job = System.getenv("SLURM_JOB_ID");
        Matcher m = SLURM.matcher(holder);
        return job != null && m.find() && m.group(1).equals(job)
                && Integer.parseInt(m.group(2)) < Provenance.slurmRestarts();
    }

    /** Takes the lock of the sweep folder {@code base}, waiting for it when {@code wait}; see the class comment. */
    public static SweepLock acquire(FileSystem fs, Path base, String runId, boolean wait, PrintStream console) {
        Path path = new Path(base, NAME);
        String token = UUID.randomUUID().toString();
        byte[] text = text(runId, token).getBytes(StandardCharsets.UTF_8);
        boolean announced = false;
        try {
            fs.mkdirs(base);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the sweep folder " + base, e);
        }
        try {
            while (true) {
                if (create(fs, path, text)) {
                    return new SweepLock(fs, path, token, System.err);
                }
                FileStatus st;
                try {
                    st = fs.getFileStatus(path);
                } catch (java.io.FileNotFoundException gone) {
                    continue; // released meanwhile: try again
                }
                String holder = holder(fs, path);
                String stale = staleBecause(path, st, holder);
                if (stale != null) {
                    console.printf("[engram] taking over a stale lock (%s): %s%n", stale, holder);
                    fs.delete(path, false);
                    continue;
                }
                if (!wait) {
                    throw new Held("the sweep output " + base + " is in use by another run (" + holder + "); it "
                            + "refuses a second writer — wait for it, or run with --wait (engram unlock " + base
                            + " breaks a lock whose holder is gone)");
                }
                if (!announced) {
                    console.printf("[engram] waiting for the run that holds %s (%s)%n", path, holder);
                    announced = true;
                }
                Thread.sleep(Math.min(2000, heartbeatMillis()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lock " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + path, e);
        }
    }

    /**
     * Creates the lock file exclusively: atomically (CREATE_NEW) on a local disk, create-without-overwrite elsewhere.
     * False when it exists; a lock it began but could not write whole (a full disk, a quota) is removed, and the
     * failure is an I/O error naming the path.
     */
    static boolean create(FileSystem fs, Path path, byte[] bytes) {
        boolean created = false;
        try {
            if ("file".equals(fs.getScheme())) {
                java.nio.file.Path local = java.nio.file.Path.of(path.toUri());
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(local,
                        java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.CREATE_NEW)) {
                    created = true;
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                    ch.force(true);
                }
                return true;
            }
            try (FSDataOutputStream out = fs.create(path, false)) {
                created = true;
                out.write(bytes);
            }
            return true;
        } catch (FileAlreadyExistsException | java.nio.file.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (created) {
                try {
                    fs.delete(path, false);
                } catch (IOException ignored) {
                    // the message below names the path
                }
            } else {
                try {
                    if (fs.exists(path)) {
                        return false; // another create won the race and failed us on its own terms
                    }
                } catch (IOException ignored) {
                    // report the first failure
                }
            }
            throw new UncheckedIOException("cannot create the lock " + path, e);
        }
    }

    /** The holder's PID and host, or null when the lock does not name them. */
    static String[] process(String holder) {
        Matcher m = PROCESS.matcher(holder);
        return m.find() ? new String[] {m.group(1), m.group(2).trim()} : null;
    }

    static String thisHost() {
        String here = ManagementFactory.getRuntimeMXBean().getName();
        return here.substring(here.indexOf('@') + 1);
    }

    /** Whether the holder ran on this host. */
    static boolean onThisHost(String holder) {
        String[] p = process(holder);
        return p != null && p[1].equals(thisHost());
    }

    /**
     * Whether the holder's process on this host is alive: its PID exists and, when the lock recorded the process's
     * start, it is that same process (not a later one given the same PID).
     */
    public static boolean aliveOnThisHost(String holder) {
        String[] p = process(holder);
        if (p == null || !p[1].equals(thisHost())) {
            return false;
        }
        java.util.Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(p[0]));
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        Matcher s = PROCESS_START.matcher(holder);
        if (!s.find() || s.group(1).equals("unknown")) {
            return true;
        }
        java.util.Optional<Instant> started = h.get().info().startInstant();
        return started.isEmpty() || started.get().toString().equals(s.group(1));
    }

    /** Whether the holder ran on this host in a process that no longer exists (a killed driver). */
    public static boolean deadOnThisHost(String holder) {
        return onThisHost(holder) && !aliveOnThisHost(holder);
    }

    /** The lock's owner, host, process and start in one line. */
    public static String holder(FileSystem fs, Path path) {
        try (InputStream in = fs.open(path)) {
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            StringBuilder b = new StringBuilder();
            for (String line : s.split("\n")) {
                if (!line.startsWith("token ") && !line.isBlank()) {
                    b.append(b.length() == 0 ? "" : ", ").append(line);
                }
            }
            return b.length() == 0 ? "an empty lock file, holder unknown" : b.toString();
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

    /**
     * How long ago the lock was last touched, by this host's clock; a date in the future counts from when this process
     * first saw the lock with that date.
     */
    static long heartbeatAge(Path path, FileStatus st, long now) {
        long mtime = st.getModificationTime();
        if (mtime <= now + CLOCK_SLACK_MILLIS) {
            FIRST_SEEN.keySet().removeIf(k -> k.startsWith(path + "@"));
            return Math.max(0, now - mtime);
        }
        long first = FIRST_SEEN.computeIfAbsent(path + "@" + mtime, k -> now);
        return now - first;
    }

    /**
     * Why a lock is stale — its process gone from this host, or (another host's, or an unreadable holder) its heartbeat
     * too old — or null when it is live. A live process of this host holds its lock whatever the file's age.
     */
    static String staleBecause(Path path, FileStatus st, String holder) {
        if (earlierAttemptOfThisSlurmJob(holder)) {
            return "an earlier attempt of this Slurm job, which was requeued";
        }
        if (onThisHost(holder)) {
            return aliveOnThisHost(holder) ? null : "its process " + process(holder)[0] + " is gone from this host";
        }
        long age = heartbeatAge(path, st, System.currentTimeMillis());
        if (age > staleMillis()) {
            return (st.getModificationTime() > System.currentTimeMillis() + CLOCK_SLACK_MILLIS
                    ? "dated in the future and unchanged for " : "untouched for ") + age / 1000 + " s";
        }
        return null;
    }

    /** Whether a lock file exists and is held by a live run (the same rule as {@link #acquire}). */
    public static boolean heldByLiveRun(FileSystem fs, Path lock) throws IOException {
        if (!fs.exists(lock)) {
            return false;
        }
        return staleBecause(lock, fs.getFileStatus(lock), holder(fs, lock)) == null;
    }

    @Override
    public void close() {
        heartbeat.interrupt();
        try {
            heartbeat.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            // release only our own lock (a stale-lock takeover by another run must not be undone)
            if (ours()) {
                fs.delete(path, false);
            }
        } catch (IOException e) {
            // an unreleased lock of a process that ended is stale at once on this host, and by its age elsewhere
        }
    }
}
