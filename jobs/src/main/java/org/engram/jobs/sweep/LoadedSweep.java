package org.engram.jobs.sweep;

import com.typesafe.config.Config;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.SweepIdentity;

/**
 * A sweep configuration loaded, merged with its defaults and validated at the sweep level.
 *
 * @param identity  sweep id and base seed
 * @param job       the job it runs
 * @param output    results directory or URI (file://, hdfs://, s3a://)
 * @param runId     the run id given, or null for a fresh one
 * @param source    where the configuration came from (file and --set overrides)
 * @param jobConf   the job's effective {@code grid}, {@code replicates} and {@code params}
 * @param effective the whole effective configuration, recorded in the manifest
 * @param spark     Spark settings
 * @param ledger    ledger settings (segment sealing, compaction)
 * @param export    what a run writes beside its tables (the notebook)
 */
public record LoadedSweep(SweepIdentity identity, Job<?> job, String output, String runId, String source,
                          Config jobConf, Config effective, SparkSettings spark,
                          LedgerSettings ledger, ExportSettings export) {
}
