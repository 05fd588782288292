package org.engram.jobs.core;

import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * A table of trial rows a job emits: its name, the metric columns of each row, and which of them may
 * legitimately be NaN ("not defined for this trial", e.g. J_D* of a weight draw that never fully
 * converged). A NaN in any other metric turns the trial into a FAILED row.
 */
public record TableSpec(String name, List<String> metrics, Set<String> optional, String description)
        implements Serializable {
    public TableSpec {
        metrics = List.copyOf(metrics);
        optional = Set.copyOf(optional);
        for (String o : optional) {
            if (!metrics.contains(o)) {
                throw new IllegalArgumentException("optional metric '" + o + "' is not among " + metrics);
            }
        }
    }

    public int index(String metric) {
        int i = metrics.indexOf(metric);
        if (i < 0) {
            throw new IllegalArgumentException("table " + name + " has no metric '" + metric + "'");
        }
        return i;
    }
}
