package org.engram.driver.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Progress of tasks still running: executors report their tasks' accumulator values with every
 * heartbeat, so the console can count units finished inside a long task before the task ends.
 * Values of a task are dropped when it ends (they are then in the accumulators themselves).
 */
final class ProgressListener extends SparkListener {
    private final Map<Long, Map<String, Object>> running = new ConcurrentHashMap<>();

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> t
                : CollectionConverters.asJava(update.accumUpdates())) {
            long task = (Long) t._1();
            Map<String, Object> values = new HashMap<>();
            for (AccumulableInfo info : CollectionConverters.asJava(t._4())) {
                if (info.name().isDefined() && info.update().isDefined()) {
                    values.put(info.name().get(), info.update().get());
                }
            }
            running.put(task, values);
        }
    }

    private final java.util.concurrent.atomic.AtomicInteger active = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void onTaskStart(org.apache.spark.scheduler.SparkListenerTaskStart start) {
        active.incrementAndGet();
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        running.remove(end.taskInfo().taskId());
        active.decrementAndGet();
    }

    /** Waits until no task runs (at most {@code millis}): a cancelled job's tasks ending after their current unit. */
    void awaitIdle(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        try {
            while (active.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sum over running tasks of a numeric accumulator's partial value. */
    double partial(String name) {
        double s = 0;
        for (Map<String, Object> v : running.values()) {
            Object x = v.get(name);
            if (x instanceof Number n) {
                s += n.doubleValue();
            }
        }
        return s;
    }

    /** Per-cell trial counts of running tasks, for the cells-done count. */
    @SuppressWarnings("unchecked")
    Map<String, Long> partialCells(String name) {
        Map<String, Long> out = new HashMap<>();
        for (Map<String, Object> v : running.values()) {
            Object x = v.get(name);
            if (x instanceof Map<?, ?> m) {
                ((Map<String, Long>) m).forEach((k, n) -> out.merge(k, n, Long::sum));
            }
        }
        return out;
    }
}
