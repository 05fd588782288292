package org.engram.driver.engine;

import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.util.AccumulatorV2;

/** The BLAS implementations the executors loaded (native OpenBLAS, VectorBLAS or Java), for the manifest. */
public final class BlasAccumulator extends AccumulatorV2<String, Set<String>> {
    private static final long serialVersionUID = 1L;
    private TreeSet<String> names = new TreeSet<>();

    @Override
    public boolean isZero() {
        return names.isEmpty();
    }

    @Override
    public AccumulatorV2<String, Set<String>> copy() {
        BlasAccumulator b = new BlasAccumulator();
        synchronized (this) {
            b.names = new TreeSet<>(names);
        }
        return b;
    }

    @Override
    public synchronized void reset() {
        names = new TreeSet<>();
    }

    @Override
    public synchronized void add(String v) {
        names.add(v);
    }

    @Override
    public synchronized void merge(AccumulatorV2<String, Set<String>> other) {
        names.addAll(other.value());
    }

    @Override
    public synchronized Set<String> value() {
        return new TreeSet<>(names);
    }
}
