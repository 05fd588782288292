package org.engram.driver;

import java.util.Map;

/**
 * Command-line choices that are not part of the sweep: a master to use instead of the conf's (or of
 * spark-submit's), extra Spark settings, an output root or run id to use instead of the conf's, and
 * whether to recompute trials the ledger already holds ({@code force}).
 */
public record RunOptions(String master, Map<String, String> sparkConf, String output, String runId, boolean quiet,
                         boolean force) {
    public RunOptions {
        sparkConf = Map.copyOf(sparkConf);
    }

    public static RunOptions defaults() {
        return new RunOptions(null, Map.of(), null, null, false, false);
    }
}
