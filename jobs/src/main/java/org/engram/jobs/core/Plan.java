package org.engram.jobs.core;

import java.util.List;

/**
 * What a sweep will do: the grid's cells, the tables its units emit, and the units themselves.
 *
 * @param cells        the grid, in output order
 * @param replicates   replicates per cell of the main table
 * @param tables       the tables emitted (the first is the main, per-trial table)
 * @param units        the work, one Spark task's worth each at most
 * @param costUnit     what one unit of {@link WorkUnit#cost()} stands for, e.g. "synapse updates"
 * @param settings     the job's validated settings record, for {@link Job#derive}
 * @param <S>          the settings' type
 */
public record Plan<S>(List<Cell> cells, int replicates, List<TableSpec> tables, List<WorkUnit> units, String costUnit,
                      S settings) {
    public Plan {
        cells = List.copyOf(cells);
        tables = List.copyOf(tables);
        units = List.copyOf(units);
    }

    public long trials() {
        long t = 0;
        for (WorkUnit u : units) {
            t += u.trials();
        }
        return t;
    }

    public double cost() {
        double c = 0;
        for (WorkUnit u : units) {
            c += u.cost();
        }
        return c;
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
