package org.engram.jobs.rapid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.engram.jobs.config.Problems;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.LocalSweep;
import org.engram.jobs.core.TrialRow;
import org.junit.jupiter.api.Test;

/** The RAPID jobs on their quick confs, shrunk: what their tables hold, and what they refuse. */
class RapidJobsTest {
    @Test
    void accessibilityPlateauIsHigherForRaThanForRandomWeights() {
        LocalSweep.Result r = LocalSweep.run("rapid.gibbs-accessibility", "replicates.repeats=6",
                "grid.scale=[0.01, 100]");
        assertEquals(0, r.failed());
        for (String fam : List.of("ra", "gaussian", "uniform")) {
            for (double s : new double[] {0.01, 100}) {
                String key = "family=" + fam + ",scale=" + (s == 100 ? "100" : "0.01");
                double std = r.aggregate("trials", key, "weight_std").moments().mean();
                assertEquals(s, std, 0.05 * s, key + ": the measured std is the scale asked");
                double acc = r.aggregate("trials", key, "accessibility").moments().mean();
                assertTrue(acc > 0 && acc <= 1 + 1e-6, key + " accessibility " + acc);
            }
        }
        double ra = r.aggregate("trials", "family=ra,scale=100", "accessibility").moments().mean();
        double gauss = r.aggregate("trials", "family=gaussian,scale=100", "accessibility").moments().mean();
        double hot = r.aggregate("trials", "family=ra,scale=0.01", "accessibility").moments().mean();
        assertTrue(ra > gauss, "plateau: RA " + ra + " vs Gaussian " + gauss);
        assertTrue(hot < 0.5 * ra, "paramagnetic at small weights: " + hot + " vs " + ra);
        Derived.DerivedTable t = r.derived("accessibility");
        assertEquals(6, t.rows().size());
    }

    @Test
    void barsTablesHoldEveryEpochAndTheSpectrum() {
        LocalSweep.Result r = LocalSweep.run("rapid.bars", "replicates.instances=2", "params.epochs=4",
                "params.hidden=40", "params.chains=16", "params.copies=10");
        assertEquals(0, r.failed());
        long curve = r.rows().stream().filter(x -> x.table().equals("curve")).count();
        assertEquals(4 * 2 * 4, curve);
        long spectrum = r.rows().stream().filter(x -> x.table().equals("spectrum")).count();
        assertEquals(4 * 2 * 16, spectrum, "min(V, H) = 16 singular values per instance");
        for (TrialRow row : r.rows()) {
            if (row.table().equals("curve")) {
                boolean exact = row.cell().get("method").equals("exact");
                double method = r.value(row, "method_accessibility");
                assertEquals(exact, Double.isNaN(method), "method accessibility NaN exactly for the exact gradient");
                double gibbs = r.value(row, "gibbs_accessibility");
                assertTrue(gibbs > 0 && gibbs <= 1 + 1e-6, "Gibbs accessibility " + gibbs);
                assertTrue(r.value(row, "hd_train") >= 0 && r.value(row, "hd_train") <= 1);
            }
        }
        assertEquals(4, r.derived("learning").rows().size());
        assertTrue(r.derived().figures().size() >= 5, "Figs. 2a, 2b, 3a, 3b and 4");
    }

    @Test
    void theExactGradientIsRefusedOnImagesTooLargeToEnumerate() {
        Problems.InvalidConfig e = assertThrows(Problems.InvalidConfig.class,
                () -> LocalSweep.prepare("rapid.bas", "grid.method=[rapid, exact]"));
        assertTrue(e.getMessage().contains("grid.method") && e.getMessage().contains("V = 144"), e.getMessage());
    }

    /**
     * The mechanics on the synthetic bands (LocalSweep's data): NLL rows at the measured epochs, a finite positive NLL,
     * and a probe that does at least as well as predicting the majority class on its own training rows (0.1 here:
     * balanced classes) — what the hidden layer has learnt is the paper-scale conf's question (on these bands RAPID's
     * hidden units all become constant within 10 epochs at the paper's learning rate, so the probe sits at chance).
     */
    @Test
    void mnistMeasuresNllByAisAndProbesTheHiddenLayer() {
        LocalSweep.Result r = LocalSweep.run("rapid.mnist", "params.epochs=2", "params.hidden=64", "params.patterns=8",
                "params.rapid-batch=100", "params.train-rows=500", "params.eval-rows=200", "params.measure-epochs=[0, 2]",
                "params.ais-runs=10", "params.ais-temperatures=50", "params.nll-rows=100", "params.probe-iterations=50");
        assertEquals(0, r.failed());
        assertEquals(2, r.rows().stream().filter(x -> x.table().equals("curve")).count());
        double probeTrain = r.aggregate("final", "method=rapid", "probe_train").moments().mean();
        double nll = r.aggregate("final", "method=rapid", "nll_test").moments().mean();
        assertTrue(probeTrain >= 0.1, "probe training accuracy " + probeTrain + " below the majority class");
        assertTrue(Double.isFinite(nll) && nll > 0, "NLL " + nll);
        assertEquals(1, r.derived("probe").rows().size());
        // progress moves inside each AIS (49 steps of 50 temperatures, ≈ 100 reports at most), never goes back, ends at 1
        assertEquals(1, r.progress().size());
        List<Double> f = r.progress().values().iterator().next();
        assertTrue(f.size() >= 2 + 2 * 49 + 1, "2 epochs, 2 AIS runs of 49 steps and the end: " + f.size());
        for (int i = 1; i < f.size(); i++) {
            assertTrue(f.get(i) >= f.get(i - 1), f.toString());
        }
        assertEquals(1.0, f.get(f.size() - 1), 1e-12);
        assertTrue(f.get(f.size() - 2) < 1, "the probe's share comes last: " + f);
    }

    @Test
    void measureEpochsPastTheEndAreRefused() {
        Problems.InvalidConfig e = assertThrows(Problems.InvalidConfig.class,
                () -> LocalSweep.prepare("rapid.mnist", "params.measure-epochs=[0, 7]"));
        assertTrue(e.getMessage().contains("params.measure-epochs"), e.getMessage());
    }
}
