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
 * @param effective the whole effective configuration, recorded in the manifest (its {@code spark}, {@code ledger}
 *                  and {@code export} sections are the driver's, bound by the driver)
 */
public record LoadedSweep(SweepIdentity identity, Job<?> job, String output, String runId, String source,
                          Config jobConf, Config effective) {
}
