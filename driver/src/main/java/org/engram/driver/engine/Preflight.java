package org.engram.driver.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.internal.config.ConfigEntry;
import org.engram.jobs.config.Problems;
import org.engram.jobs.sweep.LoadedSweep;

/**
 * Everything about a run that Spark or Hadoop would otherwise reject only after the Spark context started
 * (seconds later, with a stack trace and exit code 1): the master URL, the values of {@code spark.*} settings,
 * the output location. Checked before any Spark context exists; every problem is reported at once, naming the
 * option or key and its value, and the run stops with exit code 2.
 */
public final class Preflight {
    private Preflight() {
    }

    /** The forms of master URL Spark 4 accepts (SparkContext.createTaskScheduler and the cluster managers). */
    private static final Pattern[] MASTERS = {
        Pattern.compile("local"),
        Pattern.compile("local\\[(\\*|[1-9][0-9]*)\\]"),
        Pattern.compile("local\\[(\\*|[1-9][0-9]*)\\s*,\\s*[1-9][0-9]*\\]"),
        Pattern.compile("local-cluster\\[\\s*[1-9][0-9]*\\s*,\\s*[1-9][0-9]*\\s*,\\s*[1-9][0-9]*\\s*\\]"),
        Pattern.compile("spark://[^\\s:/,]+:[0-9]{1,5}(,[^\\s:/,]+:[0-9]{1,5})*"),
        Pattern.compile("yarn"),
        Pattern.compile("k8s://.+"),
    };

    /** Settings Spark parses as counts of at least 1. */
    private static final java.util.Set<String> POSITIVE = java.util.Set.of("spark.executor.cores",
            "spark.task.cpus", "spark.cores.max", "spark.default.parallelism", "spark.executor.instances",
            "spark.driver.cores");

    /** Spark registers its config entries when these objects initialise: naming them here initialises them. */
    private static final java.util.List<Object> SPARK_CONFIG_OBJECTS = java.util.List.of(
            org.apache.spark.internal.config.package$.MODULE$, org.apache.spark.internal.config.Network$.MODULE$,
            org.apache.spark.internal.config.Kryo$.MODULE$, org.apache.spark.internal.config.UI$.MODULE$,
            org.apache.spark.internal.config.Deploy$.MODULE$);

    /** Reports every problem of the master, Spark settings and output of a run; throws InvalidConfig if any. */
    public static void check(LoadedSweep s, SparkResolution spark, RunOptions opt, Configuration hconf) {
        Problems problems = new Problems();
        // spark: the settings the run will use, each with its source, for the message
        String file = String.valueOf(s.source());
        master(spark.master().source(), spark.master().value(), file, problems);
        spark.settings().forEach((k, v) -> {
            if (!k.equals("spark.master") && (v.source().startsWith("--conf") || v.source().startsWith("spark.conf"))) {
                setting(v.source(), k, v.value(), file, problems);
            }
        });
        output(opt.output() != null ? "--output" : "sweep.output", opt.output() != null ? opt.output() : s.output(),
                hconf, file, problems);
        if (opt.runId() != null) {
            runId("--run-id", opt.runId(), file, problems);
        }
        problems.throwIfAny("the run");
    }

    /** A run id names one folder under the sweep's: a single safe path segment. */
    static void runId(String source, String id, String file, Problems problems) {
        if (id.isEmpty() || id.equals(".") || id.equals("..") || !id.matches("[A-Za-z0-9._-]+")) {
            problems.add(where(source, file), source, "'" + id + "'", "a run id is one folder name: letters, digits, "
                    + "'-', '_' and '.', not empty, not '.' or '..'");
        }
    }

    static void master(String source, String url, String file, Problems problems) {
        String u = url == null ? "" : url.trim();
        for (Pattern p : MASTERS) {
            if (p.matcher(u).matches()) {
                return;
            }
        }
        problems.add(where(source, file), source, url, "not a Spark master URL; Spark takes local, local[N], "
                + "local[*], local[N,F], local-cluster[N,C,M], spark://host:port[,host:port…], yarn or k8s://…"
                + " (N ≥ 1)");
    }

    static void setting(String source, String key, String value, String file, Problems problems) {
        if (!key.startsWith("spark.")) {
            problems.add(where(source, file), source, value, "not a Spark setting (keys start with spark.)");
            return;
        }
        Object entry = ConfigEntry.findEntry(key);
        if (entry != null) {
            try {
                ((ConfigEntry<?>) entry).valueConverter().apply(value);
            } catch (RuntimeException e) {
                problems.add(where(source, file), source, value, "Spark rejects it: " + firstLine(e.getMessage()));
                return;
            }
        }
        if (POSITIVE.contains(key)) {
            try {
                if (Integer.parseInt(value.trim()) < 1) {
                    problems.add(where(source, file), source, value, "must be a whole number ≥ 1");
                }
            } catch (NumberFormatException e) {
                problems.add(where(source, file), source, value, "must be a whole number ≥ 1");
            }
        }
    }

    static void output(String source, String output, Configuration hconf, String file, Problems problems) {
        if (output == null || output.isBlank()) {
            problems.add(where(source, file), source, output, "no output location");
            return;
        }
        Path p;
        try {
            p = new Path(output);
        } catch (IllegalArgumentException e) {
            problems.add(where(source, file), source, output, "not a path: " + firstLine(e.getMessage()));
            return;
        }
        String scheme = p.toUri().getScheme();
        if (scheme != null) {
            try {
                FileSystem.getFileSystemClass(scheme, hconf);
            } catch (IOException e) {
                problems.add(where(source, file), source, output, "no Hadoop FileSystem for the scheme '" + scheme
                        + "' (is its connector, e.g. hadoop-aws for s3a, on the classpath?)");
                return;
            }
        }
        if (scheme == null || scheme.equals("file")) {
            java.nio.file.Path local = java.nio.file.Path.of(p.toUri().getPath()).toAbsolutePath();
            if (Files.exists(local) && !Files.isDirectory(local)) {
                problems.add(where(source, file), source, output, "exists and is a file, not a folder");
                return;
            }
            java.nio.file.Path existing = local;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null || !Files.isDirectory(existing)) {
                problems.add(where(source, file), source, output, (existing == null ? "no existing parent"
                        : existing + " is a file") + ": the folder cannot be created");
            } else if (!Files.isWritable(existing)) {
                problems.add(where(source, file), source, output, existing + " is not writable");
            }
        }
    }

    /** Where a value came from: the command line (an option) or the sweep file. */
    private static String where(String source, String file) {
        return source.startsWith("--") ? "command line" : source.contains("spark-submit") ? "spark-submit" : file;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).replaceFirst(" SQLSTATE: \\w+$", "");
    }
}
