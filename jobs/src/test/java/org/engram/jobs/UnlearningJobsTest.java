package org.engram.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.engram.jobs.config.Problems;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.LocalSweep;
import org.engram.jobs.core.TrialRow;
import org.junit.jupiter.api.Test;

/** The unlearning-paper jobs without Spark, small. */
class UnlearningJobsTest {
    private static double mean(LocalSweep.Result r, String table, String cell, String metric) {
        return r.aggregate(table, cell, metric).moments().mean();
    }

    @Test
    void capacityHebbCollapsesUnlearningExtendsItAndEqs10And13Coincide() {
        LocalSweep.Result r = LocalSweep.run("unlearning.capacity",
                "grid.size={zip{rule=[hebb, dreamt, active, unlearning], n=[200, 200, 200, 200]}}",
                "grid.alpha=[0.05, 0.25]", "replicates.systems=2", "params.tested-patterns=20",
                "params.dream-time=0.4", "params.checkpoint-every=0.1", "params.fprime-at=spins",
                "params.diagonal=zero");
        assertEquals(0, r.failed());
        // Hebb retrieves at α = 0.05, not at α = 0.25 (α_c ≈ 0.138)
        assertTrue(mean(r, "retrieval", "rule=hebb,n=200,alpha=0.05", "overlap_corrupted") > 0.97);
        assertTrue(mean(r, "retrieval", "rule=hebb,n=200,alpha=0.25", "overlap_corrupted") < 0.8);
        // classic unlearning on the same patterns retrieves at α = 0.25 (Benedetti et al.: up to ≈ 0.6)
        double u = mean(r, "retrieval", "rule=unlearning,n=200,alpha=0.25", "overlap_corrupted");
        assertTrue(u > 0.95, "unlearning at α = 0.25: " + u);
        assertTrue(mean(r, "retrieval", "rule=unlearning,n=200,alpha=0.25", "stable_fraction") > 0.99);
        // with tanh′ at the ±1 spins eq. 10 and eq. 13 are the same couplings: identical stabilities, system by
        // system (the retrieval runs draw their own flips and orders)
        for (String alpha : List.of("0.05", "0.25")) {
            List<TrialRow> dreamt = rows(r, "rule=dreamt,n=200,alpha=" + alpha);
            List<TrialRow> active = rows(r, "rule=active,n=200,alpha=" + alpha);
            for (int k = 0; k < dreamt.size(); k++) {
                for (int m = 4; m < 7; m++) {
                    assertEquals(dreamt.get(k).metric(m), active.get(k).metric(m));
                }
            }
        }
        // the curve: 5 checkpoints (Dε/N = 0, 0.1, …, 0.4) per unlearning system; the first is Hebb
        assertEquals(2 * 2 * 5, r.rows().stream().filter(x -> x.table().equals("unlearning_curve")).count());
        assertEquals(mean(r, "retrieval", "rule=hebb,n=200,alpha=0.05", "stable_fraction"),
                mean(r, "unlearning_curve", "rule=unlearning,n=200,alpha=0.05,dream_time=0", "stable_fraction"), 1e-12);
        Derived.DerivedTable cap = r.derived("capacity");
        assertEquals(4, cap.rows().size());
        assertEquals(0.05, (Double) cap.value(0, "alpha_corrupted"), 0, "Hebb from 10% flipped: the largest retrieving α");
        assertEquals(0.25, (Double) cap.value(3, "alpha_corrupted"), 0, "unlearning");
    }

    /**
     * Fig. 2's readings: with eq. 2's diagonal kept (J_ii = α) Hebb retrieves where the zeroed diagonal does not; under
     * the continuous-spin reading eqs. 10 and 13 are different couplings (factors ⟨tanh²⟩⟨sech²⟩² and ⟨sech⁴⟩), under
     * f′ = 1 the same.
     */
    @Test
    void capacityReadingsDiagonalAndFprime() {
        LocalSweep.Result r = LocalSweep.run("unlearning.capacity",
                "grid.size={zip{rule=[hebb, dreamt, active], n=[300, 300, 300]}}", "grid.diagonal=[keep, zero]", "grid.fprime-at=[continuous, origin]",
                "grid.alpha=[0.2]", "replicates.systems=2", "params.tested-patterns=30");
        assertEquals(0, r.failed());
        String cell = "rule=%s,n=300,alpha=0.2,fprime-at=%s,diagonal=%s";
        double kept = mean(r, "retrieval", cell.formatted("hebb", "origin", "keep"), "overlap_corrupted");
        double zeroed = mean(r, "retrieval", cell.formatted("hebb", "origin", "zero"), "overlap_corrupted");
        assertTrue(kept > 0.9 && zeroed < 0.8, "Hebb at α = 0.2, diagonal kept " + kept + ", zeroed " + zeroed);
        for (String diagonal : List.of("keep", "zero")) {
            List<TrialRow> dreamt = rows(r, cell.formatted("dreamt", "continuous", diagonal));
            List<TrialRow> active = rows(r, cell.formatted("active", "continuous", diagonal));
            List<TrialRow> dreamtOne = rows(r, cell.formatted("dreamt", "origin", diagonal));
            List<TrialRow> activeOne = rows(r, cell.formatted("active", "origin", diagonal));
            for (int k = 0; k < dreamt.size(); k++) {
                // the least stable bit (min_stability, column 6): eq. 13's larger factor (0.46 against 0.14) lifts
                // it further, as more dreaming does
                assertTrue(active.get(k).metric(6) > dreamt.get(k).metric(6) + 0.01, "continuous, " + diagonal);
                assertEquals(dreamtOne.get(k).metric(6), activeOne.get(k).metric(6), "f′ = 1, " + diagonal);
            }
        }
    }

    private static List<TrialRow> rows(LocalSweep.Result r, String cell) {
        return r.rows().stream().filter(x -> x.table().equals("retrieval") && x.cell().key().equals(cell))
                .sorted((a, b) -> Integer.compare(a.replicate(), b.replicate())).toList();
    }

    @Test
    void phaseDiagramRetrievesColdAndLosesItHotWithTheAgsLineDerived() {
        LocalSweep.Result r = LocalSweep.run("unlearning.phase-diagram", "grid.a=[0]", "grid.alpha=[0.05]",
                "grid.t=[0.2, 1.2]", "replicates.systems=2", "params.n=200", "params.sweeps=60",
                "params.measure-sweeps=20", "params.systems-per-unit=2", "params.ags-step=0.02");
        assertEquals(0, r.failed());
        assertTrue(mean(r, "trials", "a=0,alpha=0.05,t=0.2", "overlap") > 0.9);
        assertTrue(Math.abs(mean(r, "trials", "a=0,alpha=0.05,t=1.2", "overlap")) < 0.3, "above T_g = 1.22: paramagnet");
        Derived.DerivedTable line = r.derived("ags_line");
        assertEquals(1.0, (Double) line.value(0, "t_m"), 2e-3, "T_M(0) = 1");
        double previous = 2;
        for (List<Object> row : line.rows()) {
            double tm = (Double) row.get(1);
            assertTrue(tm < previous, "T_M decreasing: " + row);
            previous = tm;
        }
        Derived.DerivedTable b = r.derived("boundary");
        assertEquals(0.2, (Double) b.value(0, "t_boundary"), 0, "retrieves at 0.2, not at 1.2");
    }

    @Test
    void inferenceRecoversTheGeneratingLambdaWithTheTemperatureFixed() {
        LocalSweep.Result r = LocalSweep.run("unlearning.inference", "grid.data-lambda=[0.6]", "grid.alpha=[0.08]",
                "grid.t=[0.6]", "grid.a=[0]", "replicates.systems=2", "params.learn-temperature=false",
                "params.t-init-ratio=1", "params.samples=3000", "params.epochs=80", "params.average-epochs=30");
        assertEquals(0, r.failed());
        assertEquals(0.6, mean(r, "trials", "data-lambda=0.6,a=0,alpha=0.08,t=0.6", "lambda"), 0.12);
        assertEquals(1.0, mean(r, "trials", "data-lambda=0.6,a=0,alpha=0.08,t=0.6", "t_ratio"), 1e-12, "T fixed");
    }

    @Test
    void badParametersAreRejectedByKey() {
        Problems.InvalidConfig e = assertThrows(Problems.InvalidConfig.class,
                () -> LocalSweep.prepare("unlearning.capacity", "grid.alpha=[0.001, 0.1]"));
        assertTrue(e.getMessage().contains("grid.alpha") && e.getMessage().contains("< 1"), e.getMessage());
        e = assertThrows(Problems.InvalidConfig.class,
                () -> LocalSweep.prepare("unlearning.phase-diagram", "grid.t=[-0.1, 0.5]"));
        assertTrue(e.getMessage().contains("grid.t"), e.getMessage());
        e = assertThrows(Problems.InvalidConfig.class,
                () -> LocalSweep.prepare("unlearning.capacity", "params.unlearning-rate=0"));
        assertTrue(e.getMessage().contains("params.unlearning-rate"), e.getMessage());
        e = assertThrows(Problems.InvalidConfig.class,
                () -> LocalSweep.prepare("unlearning.inference", "params.lambda-init=0"));
        assertTrue(e.getMessage().contains("params.lambda-init"), e.getMessage());
    }
}
