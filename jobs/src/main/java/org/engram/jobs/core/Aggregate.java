package org.engram.jobs.core;

import java.io.Serializable;
import org.engram.jobs.config.Cell;

/**
 * One row of an aggregated table in tidy long format: a cell, one metric, the number of trials that
 * ran and failed there (with the message of the lowest failed replicate), and the statistics of the
 * metric over the successful trials.
 */
public record Aggregate(String table, Cell cell, String metric, long trials, long failed, String firstFailure,
                        Moments moments)
        implements Serializable {
}
