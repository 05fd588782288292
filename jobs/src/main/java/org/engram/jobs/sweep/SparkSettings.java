package org.engram.jobs.sweep;

import java.util.Map;

/**
 * The {@code spark} section: master URL, application name, how many tasks per core the engine cuts
 * the work into, how often progress is printed, how long a cluster master has to accept the application
 * ({@code master-timeout}, seconds), and any {@code spark.*} settings passed through.
 */
public record SparkSettings(String master, String appName, int tasksPerCore, double progressSeconds,
                            Map<String, String> conf, double masterTimeoutSeconds) {
    public SparkSettings {
        conf = Map.copyOf(conf);
    }
}
