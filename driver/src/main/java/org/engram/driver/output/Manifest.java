package org.engram.driver.output;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * What {@code manifest.json} says of a run — what ran, on what, from which code and configuration, and what came
 * out — as one typed record, written by Jackson in this order ({@link #FORMAT}); the catalogue, the nightly
 * comparison, the notebook and the report read it back.
 *
 * @param config   the effective configuration (a JSON tree)
 * @param runtime  {@link Provenance#runtime()} and the Spark and BLAS facts of the run
 * @param datasets what the units read, by content
 * @param tables   the tables' dictionary ({@link TableDictionary#entries()})
 * @param figures  every figure's files and series
 */
@JsonPropertyOrder({"format", "sweep", "job", "description", "run_id", "source", "status", "output", "config",
        "config_sha256", "code", "runtime", "started", "finished", "seconds", "counts", "files", "name", "tags", "note",
        "ledger", "datasets", "tables", "figures"})
public record Manifest(String format, String sweep, String job, String description,
                       @JsonProperty("run_id") String runId, String source, String status, String output, Object config,
                       @JsonProperty("config_sha256") String configSha256, Code code, Map<String, Object> runtime,
                       String started, String finished, double seconds, Counts counts, List<String> files, String name,
                       List<String> tags, String note, String ledger, List<Object> datasets,
                       List<Map<String, Object>> tables, List<Map<String, Object>> figures) {
    /** The format this record writes. */
    public static final String FORMAT = "engram-manifest/1";

    /** The status of a run whose trials all succeeded, and of one with failed trials. */
    public static final String COMPLETE = "complete";
    public static final String COMPLETE_WITH_FAILURES = "complete-with-failures";

    /** Which code ran: the commit, the application jar, and the job's code version (the ledger's). */
    @JsonPropertyOrder({"git_commit", "jar_sha256", "job_code_version"})
    public record Code(@JsonProperty("git_commit") String gitCommit, @JsonProperty("jar_sha256") String jarSha256,
                       @JsonProperty("job_code_version") String jobCodeVersion) {
    }

    /** How much work: the plan's size, what ran, what the ledger gave back, what failed and where. */
    @JsonPropertyOrder({"cells", "replicates_per_cell", "units", "partitions", "trials", "failed_trials",
            "failed_per_cell", "reused_trials", "computed_trials", "cost", "computed_cost", "cost_unit"})
    public record Counts(int cells, @JsonProperty("replicates_per_cell") int replicatesPerCell, int units,
                         int partitions, long trials, @JsonProperty("failed_trials") long failedTrials,
                         @JsonProperty("failed_per_cell") Map<String, CellFailures> failedPerCell,
                         @JsonProperty("reused_trials") long reusedTrials,
                         @JsonProperty("computed_trials") long computedTrials, double cost,
                         @JsonProperty("computed_cost") double computedCost,
                         @JsonProperty("cost_unit") String costUnit) {
    }

    /** The failed trials of one cell of a table, and the message of the lowest failed replicate. */
    @JsonPropertyOrder({"failed", "trials", "first_failure"})
    public record CellFailures(long failed, long trials, @JsonProperty("first_failure") String firstFailure) {
    }
}
