package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.engram.driver.engine.Balancer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Same conf on local[1] with 1 task per core and local[2] with 7: byte-identical tables. */
class DeterminismTest {
    @TempDir
    Path out;

    private void compare(String conf, List<String> sets, List<String> files) throws IOException {
        List<String> one = new java.util.ArrayList<>(sets);
        one.add("spark.tasks-per-core=1");
        List<String> many = new java.util.ArrayList<>(sets);
        many.add("spark.tasks-per-core=7");
        File a = Sweeps.dir(Sweeps.run(conf, one, "local[1]", out, "one-core"));
        File b = Sweeps.dir(Sweeps.run(conf, many, "local[2]", out, "two-cores"));
        Sweeps.assertSameFiles(a, b, files);
    }

    @Test
    void reinforcementTablesAreIdenticalOnOneAndTwoCores() throws IOException {
        compare("quick/rnn.reinforcement.conf", List.of("grid.n=[60, 120]", "replicates.weight-draws=3",
                        "params.cells-per-unit=7"),
                List.of("aggregated/trials.csv", "aggregated/trials.parquet", "derived/regimes.csv",
                        "derived/boundaries.csv"));
    }

    @Test
    void selfCouplingTablesAreIdenticalOnOneAndTwoCores() throws IOException {
        compare("quick/rnn.self-coupling.conf", List.of("grid.n=[64, 100, 300]", "params.states-per-batch=37"),
                List.of("aggregated/trials.csv", "aggregated/critical.csv", "derived/critical_self_coupling.csv"));
    }

    @Test
    void memoryEvolutionTablesAreIdenticalOnOneAndTwoCores() throws IOException {
        compare("quick/assoc.memory-evolution.conf", List.of("grid.beta=[0.02, 2]", "replicates.seeds=4",
                "params.seeds-per-unit=3", "params.curve-every=200"),
                List.of("aggregated/trials.csv", "aggregated/curve.csv", "derived/beta_threshold.csv"));
    }

    @Test
    void fixedPointTablesAreIdenticalOnOneAndTwoCores() throws IOException {
        compare("quick/assoc.fixed-points.conf", List.of("grid.nv=[12]", "grid.alpha=[0.1, 0.5]", "replicates.seeds=3",
                "params.initial-states=2", "params.seeds-per-unit=1"),
                List.of("aggregated/trials.csv", "derived/hyperbolicity.csv"));
    }

    @Test
    void unlearningTablesAreIdenticalOnOneAndTwoCores() throws IOException {
        compare("quick/unlearning.capacity.conf", List.of("grid.size={zip{rule=[hebb, dreamt, unlearning], "
                + "n=[120, 120, 60]}}", "grid.alpha=[0.1, 0.3]", "replicates.systems=2", "params.tested-patterns=5",
                "params.dream-time=0.2", "params.checkpoint-every=0.1"),
                List.of("aggregated/retrieval.csv", "aggregated/unlearning_curve.csv", "derived/capacity.csv"));
        compare("quick/unlearning.phase-diagram.conf", List.of("params.n=60", "grid.alpha=[0.05, 0.1]",
                "grid.t=[0, 0.5]", "params.sweeps=20", "params.measure-sweeps=10", "params.systems-per-unit=1",
                "params.ags-step=0.05"),
                List.of("aggregated/trials.csv", "derived/boundary.csv", "derived/ags_line.csv"));
        compare("quick/unlearning.inference.conf", List.of("grid.a=[0, 0.5]", "grid.alpha=[0.1]", "replicates.systems=2",
                "params.samples=300", "params.epochs=4", "params.average-epochs=2"),
                List.of("aggregated/trials.csv", "aggregated/epochs.csv"));
    }

    @Test
    void partitionCountsReallyDiffer() {
        var plan = Sweeps.prepare("quick/rnn.reinforcement.conf", List.of("grid.n=[60, 120]",
                "replicates.weight-draws=3", "params.cells-per-unit=7")).plan();
        assertEquals(60, plan.units().size());
        assertEquals(1, Balancer.balance(plan.units(), 1).size());
        assertEquals(14, Balancer.balance(plan.units(), 14).size());
    }
}
