package org.engram.driver.engine;

/** What a run produced: its folder, trial, failure and reuse counts. */
public record RunResult(String outputDir, long trials, long failedTrials, long cells, long cellsWithFailures,
                        double seconds, long reusedTrials) {
    /** Process exit code: 0 when every trial succeeded, 3 when some failed. */
    public int exitCode() {
        return failedTrials == 0 ? 0 : 3;
    }
}
