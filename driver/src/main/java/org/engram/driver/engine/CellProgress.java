package org.engram.driver.engine;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.util.AccumulatorV2;

/** Trials finished per cell, merged on the driver as tasks end: tells how many cells are complete. */
public final class CellProgress extends AccumulatorV2<Map<String, Long>, Map<String, Long>> {
    private static final long serialVersionUID = 1L;
    private HashMap<String, Long> counts = new HashMap<>();

    @Override
    public boolean isZero() {
        return counts.isEmpty();
    }

    @Override
    public AccumulatorV2<Map<String, Long>, Map<String, Long>> copy() {
        CellProgress c = new CellProgress();
        synchronized (this) {
            c.counts = new HashMap<>(counts);
        }
        return c;
    }

    @Override
    public synchronized void reset() {
        counts = new HashMap<>();
    }

    @Override
    public synchronized void add(Map<String, Long> v) {
        v.forEach((k, n) -> counts.merge(k, n, Long::sum));
    }

    @Override
    public void merge(AccumulatorV2<Map<String, Long>, Map<String, Long>> other) {
        add(other.value());
    }

    @Override
    public synchronized Map<String, Long> value() {
        return new HashMap<>(counts);
    }

    /** Cells with at least {@code replicates} finished trials. */
    public synchronized long complete(long replicates) {
        return counts.values().stream().filter(n -> n >= replicates).count();
    }
}
