package org.engram.jobs.core;

import java.io.Serializable;
import org.engram.jobs.config.Cell;

/**
 * One trial's result: which table and cell it belongs to, its replicate and seed, whether it
 * succeeded, and its metrics in the order of the table's {@link TableSpec#metrics()}.
 * A FAILED row carries the failure message and no metrics.
 */
public final class TrialRow implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String OK = "OK";
    public static final String FAILED = "FAILED";

    private final String table;
    private final Cell cell;
    private final int replicate;
    private final long seed;
    private final String status;
    private final String message;
    private final double[] metrics;

    private TrialRow(String table, Cell cell, int replicate, long seed, String status, String message,
                     double[] metrics) {
        this.table = table;
        this.cell = cell;
        this.replicate = replicate;
        this.seed = seed;
        this.status = status;
        this.message = message;
        this.metrics = metrics;
    }

    public static TrialRow ok(String table, Cell cell, int replicate, long seed, double... metrics) {
        return new TrialRow(table, cell, replicate, seed, OK, "", metrics.clone());
    }

    public static TrialRow failed(String table, Cell cell, int replicate, long seed, String message) {
        return new TrialRow(table, cell, replicate, seed, FAILED, message == null ? "" : message, new double[0]);
    }

    public String table() {
        return table;
    }

    public Cell cell() {
        return cell;
    }

    public int replicate() {
        return replicate;
    }

    public long seed() {
        return seed;
    }

    public String status() {
        return status;
    }

    public boolean isOk() {
        return OK.equals(status);
    }

    public String message() {
        return message;
    }

    public int metricCount() {
        return metrics.length;
    }

    public double metric(int i) {
        return metrics[i];
    }
}
