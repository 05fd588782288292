package org.engram.jobs.core;

import java.io.Serializable;

/**
 * A handle on one metric of one table, handed out by its {@link TableSpec} ({@code TRIALS.metric("iterations")},
 * checked when the job class loads): what units fill rows by and derive code reads aggregates by, instead of a
 * position or a string looked up at run time.
 *
 * @param table the table's name
 * @param name  the metric's column name
 * @param index its position among the table's metrics
 */
public record Metric(String table, String name, int index) implements Serializable {
}
