package org.engram.jobs.core;

import java.util.List;
import org.engram.jobs.config.Cell;

/**
 * What a sweep will do: the grid's cells, the tables its units emit, and the units themselves. Immutable; the
 * totals over its units (trials, cost) are computed once here, since progress reports ask for them every tick.
 *
 * @param <S> the settings' type
 */
public final class Plan<S extends Record> {
    private final List<Cell> cells;
    private final int replicates;
    private final List<TableSpec> tables;
    private final List<WorkUnit> units;
    private final String costUnit;
    private final S settings;
    private final org.engram.jobs.config.Schema<S> schema;
    private final long trials;
    private final double cost;

    /**
     * The plan of a bound sweep: its cells (the grid, in output order) and settings from {@code setup}.
     *
     * @param replicates replicates per cell of the main table
     * @param tables     the tables emitted (the first is the main, per-trial table)
     * @param units      the work, one Spark task's worth each at most
     * @param costUnit   what one unit of {@link WorkUnit#cost()} stands for, e.g. "synapse updates"
     */
    public Plan(Setup<S> setup, int replicates, List<TableSpec> tables, List<WorkUnit> units, String costUnit) {
        this(setup.cells(), replicates, tables, units, costUnit, setup.settings(), setup.schema());
    }

    private Plan(List<Cell> cells, int replicates, List<TableSpec> tables, List<WorkUnit> units, String costUnit,
                 S settings, org.engram.jobs.config.Schema<S> schema) {
        this.schema = schema;
        this.cells = List.copyOf(cells);
        this.replicates = replicates;
        this.tables = List.copyOf(tables);
        this.units = List.copyOf(units);
        this.costUnit = costUnit;
        this.settings = settings;
        long t = 0;
        double c = 0;
        for (WorkUnit u : this.units) {
            t += u.trials();
            c += u.cost();
        }
        this.trials = t;
        this.cost = c;
    }

    public List<Cell> cells() {
        return cells;
    }

    public int replicates() {
        return replicates;
    }

    public List<TableSpec> tables() {
        return tables;
    }

    public List<WorkUnit> units() {
        return units;
    }

    public String costUnit() {
        return costUnit;
    }

    public S settings() {
        return settings;
    }

    /** The settings of one cell: the grid's values wherever it varies a parameter. */
    public S at(Cell cell) {
        return schema.at(cell, settings);
    }

    /** Main-table trials over all units. */
    public long trials() {
        return trials;
    }

    /** Estimated cost over all units. */
    public double cost() {
        return cost;
    }

    public TableSpec table(String name) {
        for (TableSpec t : tables) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no table '" + name + "' in this plan");
    }
}
