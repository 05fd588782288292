package org.engram.driver.engine;

import java.util.Map;

/**
 * Command-line choices that are not part of the sweep: a master to use instead of the conf's (or of
 * spark-submit's), extra Spark settings, an output root or run id to use instead of the conf's, and
 * whether to recompute trials the ledger already holds ({@code force}), and whether a missing dataset stops the
 * run instead of being fetched ({@code noFetch}), and whether a run whose sweep output another run holds waits for it
 * ({@code waitForLock}) instead of refusing.
 */
public record RunOptions(String master, Map<String, String> sparkConf, String output, String runId, boolean quiet,
                         boolean force, boolean noFetch, boolean waitForLock, RunLabels labels) {
    public RunOptions {
        sparkConf = Map.copyOf(sparkConf);
        labels = labels == null ? RunLabels.NONE : labels;
    }

    public RunOptions(String master, Map<String, String> sparkConf, String output, String runId, boolean quiet,
                      boolean force, boolean noFetch, boolean waitForLock) {
        this(master, sparkConf, output, runId, quiet, force, noFetch, waitForLock, RunLabels.NONE);
    }

    /** A run's name, tags and note, as the user gives them: recorded in its manifest, listed by engram runs. */
    public record RunLabels(String name, java.util.List<String> tags, String note) {
        public static final RunLabels NONE = new RunLabels(null, java.util.List.of(), null);

        public RunLabels {
            tags = tags == null ? java.util.List.of() : java.util.List.copyOf(tags);
        }
    }

    /** Options that fetch a missing dataset before the run (as {@code engram data fetch} would). */
    public RunOptions(String master, Map<String, String> sparkConf, String output, String runId, boolean quiet,
                      boolean force) {
        this(master, sparkConf, output, runId, quiet, force, false, false);
    }

    public static RunOptions defaults() {
        return new RunOptions(null, Map.of(), null, null, false, false);
    }
}
