package org.engram.driver.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.engram.export.fs.HadoopFiles;

/**
 * Wall-time estimates for {@code engram plan}: the plan's cost divided by a rate per core calibrated on a finished run
 * of the same job under the output root (its manifest records the cost it computed, its seconds and its parallelism).
 * Start-up and writing are part of those seconds, so a short run calibrates a pessimistic rate — a quick conf's 20 s,
 * half of it start-up, made a 50-minute sweep read 2.2 h: the latest run that lasted at least {@link #CALIBRATING}
 * seconds sets the rate, and only when none did, the longest run. A plan of an adaptive sweep (refinement or halving)
 * prefers an adaptive run, and a grid's plan a grid run: the cost a plan counts is an upper bound (a trial's largest
 * number of sweeps, say) that the two kinds of run approach differently, so an adaptive run's rate made a full grid read
 * 1.5 h that took 43 min.
 */
public final class WallTime {
    private WallTime() {
    }

    /**
     * A measured rate: cost units per second per core, and the run it comes from ({@code committed}: a record of the
     * checkout, named by its folder, rather than a run of this machine's output root).
     */
    public record Rate(double perCoreSecond, String run, String finished, boolean committed) {
    }

    /** A run at least this long (seconds) spends a few percent of its time starting up. */
    static final double CALIBRATING = 300;

    /**
     * The latest run of {@code job} under {@code output} with a recorded cost that lasted at least {@link #CALIBRATING}
     * seconds, else the longest such run, or null.
     */
    public static Rate calibrate(String job, String output, Configuration conf) {
        return calibrate(job, output, false, conf, null);
    }

    /**
     * The same from the run records committed in a checkout ({@code docs/runs/<sweep--run>/manifest.json}), for a
     * machine with no run of its own yet: a record's rate is that of the machine it ran on, often beside other runs.
     */
    private static Rate calibrateRecords(String job, java.nio.file.Path records, Boolean adaptive) {
        return records == null ? null : calibrate(job, records.toUri().toString(), true, new Configuration(), adaptive);
    }

    /**
     * The {@code docs/runs} of the checkout a sweep's conf lives in (the nearest above it), else that of the Engram
     * home ({@code deploy/engram}'s checkout) for a conf kept elsewhere, or null.
     */
    public static java.nio.file.Path records(String source) {
        return records(source, org.engram.jobs.config.EngramHome.get());
    }

    /** As {@link #records(String)}, with the home given ({@code null}: none). */
    public static java.nio.file.Path records(String source, String home) {
        try {
            for (java.nio.file.Path d = java.nio.file.Path.of(source).toAbsolutePath().getParent(); d != null;
                 d = d.getParent()) {
                if (java.nio.file.Files.isDirectory(d.resolve("docs/runs"))) {
                    return d.resolve("docs/runs");
                }
            }
        } catch (RuntimeException e) {
            // a conf given as text, or a path this file system cannot hold: the home's records, if any
        }
        if (home == null) {
            return null;
        }
        java.nio.file.Path own = java.nio.file.Path.of(home, "docs", "runs").toAbsolutePath();
        return java.nio.file.Files.isDirectory(own) ? own : null;
    }

    /** As above, preferring runs of the kind {@code adaptive} says (adaptive or grid) when it is not null. */
    private static Rate calibrate(String job, String output, boolean committed, Configuration conf, Boolean adaptive) {
        Rate best = null;
        double bestSeconds = 0;
        boolean bestKind = false;
        try {
            Path root = new Path(output);
            FileSystem fs = HadoopFiles.fs(root, conf);
            FileStatus[] manifests = fs.globStatus(new Path(root, committed ? "*/manifest.json" : "*/*/manifest.json"));
            ObjectMapper json = new ObjectMapper();
            for (FileStatus f : manifests == null ? new FileStatus[0] : manifests) {
                JsonNode m;
                try (InputStream in = fs.open(f.getPath())) {
                    m = json.readTree(in);
                } catch (IOException e) {
                    continue; // an unreadable manifest calibrates nothing
                }
                double cost = m.path("counts").path("computed_cost").asDouble(0);
                double seconds = m.path("seconds").asDouble(0);
                int cores = m.path("runtime").path("default_parallelism").asInt(0);
                String finished = m.path("finished").asText("");
                if (!job.equals(m.path("job").asText()) || cost <= 0 || seconds <= 0 || cores <= 0) {
                    continue;
                }
                boolean kind = adaptive == null || adaptive == (has(m, AdaptiveSweep.KEY) || has(m, HalvingSweep.KEY));
                boolean better;
                if (best == null) {
                    better = true;
                } else if (kind != bestKind) {
                    better = kind;
                } else if ((seconds >= CALIBRATING) != (bestSeconds >= CALIBRATING)) {
                    better = seconds >= CALIBRATING;
                } else {
                    better = seconds >= CALIBRATING ? finished.compareTo(best.finished()) > 0 : seconds > bestSeconds;
                }
                if (better) {
                    best = new Rate(cost / seconds / cores, committed ? f.getPath().getParent().getName()
                            : m.path("sweep").asText() + "/" + m.path("run_id").asText(), finished, committed);
                    bestSeconds = seconds;
                    bestKind = kind;
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        return best;
    }

    /** Whether a manifest's config sets {@code key} (a dotted path: sweep.halving, say). */
    private static boolean has(JsonNode manifest, String key) {
        return !manifest.path("config").at("/" + key.replace('.', '/')).isMissingNode();
    }

    /**
     * One line for the plan: the estimate and where its rate comes from. A unit runs on one core, so the wall time is
     * at least the largest unit's ({@code largest}, in cost units) however many cores there are.
     */
    public static String estimate(String job, double cost, double largest, String unit, int cores, String output) {
        return estimate(job, cost, largest, unit, cores, output, null, null);
    }

    /**
     * As above; with no run under {@code output}, at the rate of the checkout's {@code records} ({@link #records}),
     * preferring runs of the plan's kind ({@code adaptive}; null: either).
     */
    public static String estimate(String job, double cost, double largest, String unit, int cores, String output,
                                  java.nio.file.Path records, Boolean adaptive) {
        Rate r = rate(job, output, records, adaptive);
        return r == null ? none(job, output, records) : estimate(r, cost, largest, unit, cores);
    }

    /**
     * The rate a plan estimates with: the output root's runs of {@code job}, else the checkout's records, or null; in
     * each, a run of the plan's kind ({@code adaptive}: an adaptive sweep or a grid; null: either) before the others.
     */
    public static Rate rate(String job, String output, java.nio.file.Path records, Boolean adaptive) {
        Rate r = calibrate(job, output, false, new Configuration(), adaptive);
        return r != null ? r : calibrateRecords(job, records, adaptive);
    }

    /** What the plan prints when {@link #rate} found nothing. */
    public static String none(String job, String output, java.nio.file.Path records) {
        return "no earlier run of " + job + " under " + output + (records == null ? "" : " or record in " + records)
                + " records its speed yet (after one run, even a quick one, plan estimates wall time from it)";
    }

    /** The estimate of {@code cost} at rate {@code r}, never below the largest unit's time on its one core. */
    public static String estimate(Rate r, double cost, double largest, String unit, int cores) {
        double spread = cost / (r.perCoreSecond() * cores);
        double floor = largest / r.perCoreSecond();
        return String.format(Locale.ROOT, "≈ %s on %d cores%s, at the rate of %s (%.3g %s per second per core, "
                + "start-up included)", duration(Math.max(spread, floor)), cores, floor > spread
                ? " (the largest unit's time: a unit is not split across cores)" : "", r.committed()
                ? "record " + r.run() + " (a committed record: no run of this machine yet)" : "run " + r.run(),
                r.perCoreSecond(), unit);
    }

    static String duration(double s) {
        if (s < 90) {
            return String.format(Locale.ROOT, "%.0f s", s);
        }
        if (s < 5400) {
            return String.format(Locale.ROOT, "%.0f min", s / 60);
        }
        return String.format(Locale.ROOT, "%.1f h", s / 3600);
    }
}
