package org.engram.driver.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.engram.jobs.core.WorkUnit;

/**
 * Cuts the plan into partitions of nearly equal estimated cost: longest-processing-time-first
 * (each unit, most expensive first, goes to the currently lightest partition; ties by key), which
 * is within 4/3 of the optimal makespan. Deterministic for a given plan and partition count.
 */
public final class Balancer {
    private Balancer() {
    }

    public static List<List<WorkUnit>> balance(List<WorkUnit> units, int partitions) {
        return balance(units, WorkUnit::cost, WorkUnit::key, partitions);
    }

    /** The same for any items with a cost and a unique key (ties broken by key). */
    public static <T> List<List<T>> balance(List<T> units, java.util.function.ToDoubleFunction<T> cost,
                                            java.util.function.Function<T, String> key, int partitions) {
        int p = Math.max(1, Math.min(partitions, units.size()));
        List<T> sorted = new ArrayList<>(units);
        sorted.sort(Comparator.comparingDouble(cost).reversed().thenComparing(key));
        List<List<T>> bins = new ArrayList<>();
        double[] load = new double[p];
        PriorityQueue<Integer> q = new PriorityQueue<>((a, b) -> load[a] != load[b]
                ? Double.compare(load[a], load[b]) : Integer.compare(a, b));
        for (int i = 0; i < p; i++) {
            bins.add(new ArrayList<>());
            q.add(i);
        }
        for (T u : sorted) {
            int b = q.poll();
            bins.get(b).add(u);
            load[b] += cost.applyAsDouble(u);
            q.add(b);
        }
        return bins;
    }

    /** Largest partition cost divided by the mean (1 = perfect balance). */
    public static double imbalance(List<List<WorkUnit>> bins) {
        double max = 0;
        double sum = 0;
        for (List<WorkUnit> b : bins) {
            double c = b.stream().mapToDouble(WorkUnit::cost).sum();
            max = Math.max(max, c);
            sum += c;
        }
        return sum == 0 ? 1 : max / (sum / bins.size());
    }
}
