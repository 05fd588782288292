package org.engram.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Figure;
import org.engram.jobs.core.LocalSweep;
import org.engram.jobs.core.TrialRow;
import org.engram.jobs.core.WorkUnit;
import org.engram.jobs.synthetic.SyntheticJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every job's plan, units and derive, without Spark: each runs in this JVM at a small scale (the shipped quick
 * conf shrunk by overrides) on synthetic data where it reads images, and its numbers are checked against what
 * they must be — theory where there is one, ranges and table shapes elsewhere.
 */
class JobsLocalTest {
    /** The mean of one metric of one cell. */
    private static double mean(LocalSweep.Result r, String table, String cell, String metric) {
        return r.aggregate(table, cell, metric).moments().mean();
    }

    @Test
    void reinforcementDenseStrongAIsTrivialAndTheRegimeTableHasEveryCell() {
        LocalSweep.Result r = LocalSweep.run("rnn.reinforcement", "grid.n=[20]", "grid.d=[0.5, 1.9]",
                "grid.a=[0.1, 10]", "replicates.weight-draws=2", "replicates.initial-states=5", "params.max-steps=100");
        assertEquals(0, r.failed());
        assertEquals(2 * 2 * 2 * 5, r.rows().size(), "cells × draws × initial states");
        // A with round(20^1.9) = 297 entries of 10 swamps J ~ N(0, 1/20): every trial falls to all +1 or all −1
        assertEquals(1.0, mean(r, "trials", "n=20,d=1.9,a=10", "trivial"), 0);
        Derived.DerivedTable regimes = r.derived("regimes");
        assertEquals(4, regimes.rows().size());
        assertEquals("trivial", regimes.value(3, "regime"));
        for (List<Object> row : regimes.rows()) {
            double f = (Double) row.get(4);
            assertTrue(f >= 0 && f <= 1, row.toString());
        }
        assertEquals(1, r.derived("boundaries").rows().size());
        // the heatmap's colour is what its label says: a trial that did not reach a fixed point counts T_max, while
        // the sweeps until its cycle was recognised stay in sweeps_to_outcome (the last metric)
        long cycles = 0;
        for (TrialRow row : r.rows()) {
            if (r.value(row, "converged") == 0) {
                assertEquals(100, r.value(row, "iterations"), 0, "iterations of a trial without a fixed point: "
                        + row.cell().key());
                cycles += r.value(row, "cycle") == 1 && r.value(row, "sweeps_to_outcome") < 100 ? 1 : 0;
            } else {
                assertEquals(r.value(row, "iterations"), r.value(row, "sweeps_to_outcome"), 0,
                        "a fixed point: both count the same sweeps");
            }
        }
        assertTrue(cycles > 0, "some trials end in a cycle recognised before T_max");
    }

    @Test
    void selfCouplingAboveTheLargestPossibleFieldConvergesAtOnce() {
        // with J_ij = ±1/8 (N = 64) no local field exceeds 63/8 < 20: J_D = 20 fixes every initial state
        LocalSweep.Result r = LocalSweep.run("rnn.self-coupling", "grid.n=[64]", "grid.jd=[0, 20]",
                "replicates.weight-draws=2", "replicates.initial-states=4", "params.max-steps=50");
        assertEquals(0, r.failed());
        assertEquals(1.0, mean(r, "trials", "n=64,jd=20", "converged"), 0);
        assertEquals(1.0, mean(r, "trials", "n=64,jd=20", "iterations"), 0, "already fixed: one sweep to see it");
        assertEquals(2, r.aggregate("critical", "n=64", "found").trials(), "one critical row per weight draw");
    }

    @Test
    void capacityFollowsCoverFarFromTheTransition() {
        LocalSweep.Result r = LocalSweep.run("perceptron.capacity", "grid.n=[20]", "grid.alpha=[0.5, 4.0]",
                "grid.preprocessing=[none]", "replicates.trials=10", "params.max-epochs=200");
        assertEquals(0, r.failed());
        // Cover: P = 10 < N patterns in general position are always separable; at P = 80 the fraction is < 1e-7
        assertEquals(1.0, mean(r, "trials", "n=20,alpha=0.5,preprocessing=none", "separable"), 0);
        assertEquals(0.0, mean(r, "trials", "n=20,alpha=4,preprocessing=none", "separable"), 0);
    }

    @Test
    void capacityWithExpansionIsCoversForTheLargerDimension() {
        // α = 3: P = 60 patterns of N = 20. Zero-padded to 3N with no RNN, the perceptron still sees 20 dims
        // (Cover: 60 points in 20 dims separable with probability ≈ 1e-4); randomly embedded in 60 dims they are
        // 60 points in general position in 60 dims: always separable (C(P, d) = 2^P for P ≤ d)
        LocalSweep.Result r = LocalSweep.run("perceptron.capacity", "grid.n=[20]", "grid.alpha=[3.0]",
                "grid.preprocessing=[none]", "grid.expansion=[3]", "grid.embedding=[pad, random]",
                "replicates.trials=10", "params.max-epochs=800");
        assertEquals(0, r.failed());
        assertEquals(0.0, mean(r, "trials", "n=20,alpha=3,preprocessing=none,expansion=3,embedding=pad", "separable"),
                0);
        assertEquals(1.0, mean(r, "trials", "n=20,alpha=3,preprocessing=none,expansion=3,embedding=random",
                "separable"), 0);
        Derived.DerivedTable t = r.derived("capacity");
        for (List<Object> row : t.rows()) {
            assertEquals(60L, row.get(5), "n_rnn = k N");
            assertEquals(6.0, (Double) row.get(7), 0.06, "Cover's crossing for 60 dims is ≈ 2k = 6 input-N's");
        }
    }

    @Test
    void syntheticValuesAreExactAndInjectedFailuresAreFailedRows() {
        LocalSweep.Result r = LocalSweep.run("engine.synthetic", "grid.x=[0, 1]", "grid.k=[1]", "replicates.count=8");
        // replicate 3 throws, replicate 5 returns NaN: both FAILED, in every cell
        assertEquals(4, r.failed());
        for (TrialRow row : r.rows()) {
            if (row.isOk()) {
                assertEquals(SyntheticJob.value(row.seed()), r.value(row, "value"), 0);
            } else {
                assertTrue(row.replicate() == 3 || row.replicate() == 5, row.toString());
            }
        }
        Aggregate a = r.aggregate("trials", "x=1,k=1", "x_plus_value");
        assertEquals(8, a.trials());
        assertEquals(2, a.failed());
        assertEquals(6, a.moments().count());
    }

    private static final String[] KH_SMALL = {"grid.hidden=[8]", "params.epochs=2", "params.schedule=2",
        "params.train-rows=200", "params.eval-rows=100", "params.holdout-rows=100", "params.batch=20",
        "replicates.seeds=2"};

    private static String[] with(String[] base, String... more) {
        String[] out = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"kh.reconstruction", "kh.schedule", "kh.grid", "kh.receptive-fields", "kh.shuffle-control"})
    void khReconstructionJobsGiveCurvesAndAFinalMseTable(String job) {
        String[] sets = job.equals("kh.schedule") ? with(KH_SMALL, "grid.schedule=[1, 2]") : KH_SMALL;
        LocalSweep.Result r = LocalSweep.run(job, with(sets, "grid.dataset=[mnist]"));
        assertEquals(0, r.failed(), () -> r.rows().stream().filter(x -> !x.isOk()).findFirst().get().message());
        Derived.DerivedTable fin = r.derived("final_mse");
        assertEquals(r.prepared().plan().cells().size(), fin.rows().size());
        int mse = fin.columns().indexOf("mse_mean");
        for (List<Object> row : fin.rows()) {
            double m = (Double) row.get(mse);
            assertTrue(m > 0 && m < 0.5, "a per-pixel MSE of binary images after training: " + row);
        }
        long curves = r.rows().stream().filter(x -> x.table().equals("curve")).count();
        assertEquals(2L * r.prepared().plan().units().size(), curves, "one curve row per epoch and unit");
        assertTrue(r.derived().figures().stream().anyMatch(f -> f.name().startsWith("mse_")));
    }

    @Test
    void khClassificationLearnsTheSyntheticClassesAndFillsTableOne() {
        LocalSweep.Result r = LocalSweep.run("kh.classification", with(KH_SMALL, "grid.dataset=[mnist]",
                "params.epochs=4", "grid.hidden=[20]"));
        assertEquals(0, r.failed());
        Derived.DerivedTable t = r.derived("table_i");
        assertEquals(List.of("CD_1", "KH_TD-CD_1"), t.rows().stream().map(x -> x.get(1)).toList());
        for (List<Object> row : t.rows()) {
            double acc = (Double) row.get(4);
            // ten bands of bright pixels are easy: far above the 10% of chance, never above 100%
            assertTrue(acc > 50 && acc <= 100, row.toString());
        }
    }

    @Test
    void khGradientComparisonMeasuresXiAtEverySampledStep() {
        LocalSweep.Result r = LocalSweep.run("kh.gradient-comparison", "grid.dataset=[mnist]", "grid.hidden=[8]",
                "params.epochs=3", "params.schedule=2", "params.train-rows=200", "params.holdout-rows=100",
                "params.batch=20", "params.sample-epochs=[0, 2]", "params.window=2", "replicates.trials=6",
                "params.trials-per-unit=4");
        assertEquals(0, r.failed());
        assertEquals(2 * 2 * 6, r.rows().size(), "sampled epochs × steps × trials");
        for (TrialRow row : r.rows()) {
            if (row.cell().get("epoch").equals(2L)) {
                assertEquals(0.0, r.value(row, "xi_ratio"), 0, "KH has phased out at epoch S = 2: ξ = 0");
            } else {
                assertTrue(r.value(row, "xi_ratio") > 0, row.toString());
            }
        }
        assertEquals(2, r.derived("fig2_windows").rows().size());
    }

    private static final String[] MLCM_SMALL = {"grid.variant=[projected]", "params.n=128", "params.layers=2",
        "params.lambda-left=[0, 1]", "params.lambda-right=[1, 0]", "params.epochs=2", "params.train-rows=200",
        "params.eval-rows=100", "params.train-eval-rows=100", "params.holdout-rows=100", "replicates.seeds=1",
        "params.batch=20"};

    @Test
    void mlcmBaselineComparesBothModelsOnTheSameData() {
        LocalSweep.Result r = LocalSweep.run("mlcm.baseline", MLCM_SMALL);
        assertEquals(0, r.failed(), () -> r.rows().stream().filter(x -> !x.isOk()).findFirst().get().message());
        Derived.DerivedTable gap = r.derived("mlcm_vs_perceptron");
        assertEquals(1, gap.rows().size());
        List<Object> row = gap.rows().get(0);
        assertEquals("perceptron", row.get(2));
        assertEquals((Double) row.get(3) - (Double) row.get(4), (Double) row.get(5), 1e-9, "the gap is MLCM − perceptron");
        assertTrue((Double) row.get(4) > 30, "the perceptron learns the synthetic bands: " + row);
    }

    @Test
    void theMlcmControlsTrainAReadoutOnInferenceModeFixedPoints() {
        LocalSweep.Result r = LocalSweep.run("mlcm.baseline", with(MLCM_SMALL, "grid.model=[mlcm, mlcm-untrained]",
                "params.retrain-readout=true"));
        assertEquals(0, r.failed(), () -> r.rows().stream().filter(x -> !x.isOk()).findFirst().get().message());
        // the trained chain: one control row, its algorithm-1 accuracies those of its final row
        List<TrialRow> control = r.rows().stream().filter(x -> x.table().equals("readout_control")).toList();
        assertEquals(1, control.size(), "one row per (mlcm cell, seed); none for the untrained control");
        List<TrialRow> fin = r.rows().stream().filter(x -> x.table().equals("final")
                && x.cell().get("model").equals("mlcm")).toList();
        assertEquals(r.value(fin.get(0), "train_accuracy"), r.value(control.get(0), "train_accuracy"), 0);
        assertEquals(r.value(fin.get(0), "val_accuracy"), r.value(control.get(0), "val_accuracy"), 0);
        // the retrained readout learns the bands from the chain's inference states: labels stay with their states
        assertTrue(r.value(control.get(0), "val_accuracy_retrained") > 0.3, "well above chance (0.1): " + control.get(0));
        // the untrained chain: a curve row per epoch, and a row in the gap table as the control it is
        long curves = r.rows().stream().filter(x -> x.table().equals("curve")
                && x.cell().get("model").equals("mlcm-untrained")).count();
        assertEquals(2, curves);
        Derived.DerivedTable gap = r.derived("mlcm_vs_perceptron");
        assertEquals(List.of("mlcm-untrained"), java.util.stream.IntStream.range(0, gap.rows().size()).mapToObj(i -> gap.value(i, "baseline")).toList());
        assertTrue((Double) gap.value(0, "baseline_val_pct") > 30, "a random chain's fixed points keep the bands: " + gap.rows());
        // progress never goes backwards and ends at 1, the control's relaxation included
        for (List<Double> f : r.progress().values()) {
            for (int i = 1; i < f.size(); i++) {
                assertTrue(f.get(i) >= f.get(i - 1), f.toString());
            }
            assertEquals(1.0, f.get(f.size() - 1), 1e-12, f.toString());
        }
    }

    @Test
    void evalEverySkipsTheInferenceOfSomeEpochsAndChangesNothingElse() {
        // the same training evaluated after every epoch, and after epochs 2 and 3 only (every 2nd and the last)
        LocalSweep.Result all = LocalSweep.run("mlcm.baseline", with(MLCM_SMALL, "grid.model=[mlcm]", "params.epochs=3"));
        LocalSweep.Result some = LocalSweep.run("mlcm.baseline", with(MLCM_SMALL, "grid.model=[mlcm]", "params.epochs=3",
                "params.eval-every=2"));
        assertEquals(0, all.failed());
        assertEquals(0, some.failed());
        java.util.function.Function<LocalSweep.Result, List<TrialRow>> curve = r -> r.rows().stream()
                .filter(x -> x.table().equals("curve"))
                .sorted(java.util.Comparator.comparing(x -> (Long) x.cell().get("epoch"))).toList();
        List<TrialRow> a = curve.apply(all);
        List<TrialRow> b = curve.apply(some);
        assertEquals(3, a.size());
        assertEquals(3, b.size());
        for (int e = 0; e < 3; e++) {
            boolean evaluated = e >= 1;
            for (int m = 0; m < 6; m++) {
                boolean inference = m == 0 || m == 1 || m == 3; // train and validation accuracy, validation sweeps
                if (inference && !evaluated) {
                    assertTrue(Double.isNaN(b.get(e).metric(m)), "epoch " + e + " is not evaluated: " + b.get(e));
                    assertTrue(Double.isFinite(a.get(e).metric(m)), a.get(e).toString());
                } else {
                    // the training does not depend on when it is evaluated: the same numbers, bit for bit
                    assertEquals(a.get(e).metric(m), b.get(e).metric(m), 0, "epoch " + e + ", metric " + m);
                }
            }
        }
        java.util.function.Function<LocalSweep.Result, TrialRow> fin = r -> r.rows().stream()
                .filter(x -> x.table().equals("final")).findFirst().orElseThrow();
        assertEquals(all.value(fin.apply(all), "train_accuracy"), some.value(fin.apply(some), "train_accuracy"), 0, "final training accuracy");
        assertEquals(all.value(fin.apply(all), "val_accuracy"), some.value(fin.apply(some), "val_accuracy"), 0, "final validation accuracy");
        // the best validation accuracy is over the evaluated epochs only
        assertEquals(Math.max(all.value(a.get(1), "val_accuracy"), all.value(a.get(2), "val_accuracy")), some.value(fin.apply(some), "best_val_accuracy"), 0);
        long skipped = some.rows().stream().filter(x -> x.table().equals("activity") && Double.isNaN(some.value(x, "val_activity")))
                .count();
        assertEquals(2, skipped, "epoch 0's two layers have no validation activity");
    }

    @Test
    void evalFromValidatesOnTheRowsAfterTheSkippedOnes() {
        // the validation hold-out has 100 rows; the training never sees them, so the accuracy on all 100 is the
        // average of the accuracies on the first 50 and on the 50 after them, exactly
        java.util.function.Function<String[], Double> val = sets -> {
            LocalSweep.Result r = LocalSweep.run("mlcm.baseline", with(with(MLCM_SMALL, "grid.dataset=[mnist]",
                    "grid.model=[thesis-perceptron]"), sets));
            assertEquals(0, r.failed());
            return r.value(r.rows().stream().filter(x -> x.table().equals("final")).findFirst().orElseThrow(),
                    "val_accuracy");
        };
        double all = val.apply(new String[] {"params.eval-rows=0"});
        double first = val.apply(new String[] {"params.eval-rows=50"});
        double second = val.apply(new String[] {"params.eval-from=50", "params.eval-rows=0"});
        assertEquals(all, (first + second) / 2, 1e-12, all + " vs " + first + ", " + second);
        assertTrue(all > 0.3, "the rule learns the bands: " + all);
        org.engram.jobs.config.Problems.InvalidConfig e = org.junit.jupiter.api.Assertions.assertThrows(
                org.engram.jobs.config.Problems.InvalidConfig.class, () -> LocalSweep.prepare("mlcm.baseline",
                        "grid.dataset=[mnist]", "params.eval-from=10000"));
        assertTrue(e.getMessage().contains("params.eval-from") && e.getMessage().contains("10000"), e.getMessage());
    }

    @Test
    void aReadoutThatNeverMovesPredictsClassZeroForEveryModel() {
        // readout rate 0: the softmax weights stay 0 and argmax ties go to class 0, so the untrained chain's control
        // and the softmax baseline both score the share of zeros among the validation rows — the same number
        LocalSweep.Result r = LocalSweep.run("mlcm.baseline", with(MLCM_SMALL, "grid.model=[perceptron, mlcm-untrained]",
                "params.readout-rate=0"));
        assertEquals(0, r.failed());
        List<TrialRow> fin = r.rows().stream().filter(x -> x.table().equals("final")).toList();
        assertEquals(2, fin.size());
        assertEquals(r.value(fin.get(0), "val_accuracy"), r.value(fin.get(1), "val_accuracy"), 0);
        assertEquals(r.value(fin.get(0), "train_accuracy"), r.value(fin.get(1), "train_accuracy"), 0);
        assertTrue(r.value(fin.get(0), "val_accuracy") < 0.25, "one class of ten: " + fin.get(0));
    }

    @Test
    void eachModelAtItsOwnRatesIsComparedWithTheOneChainAndAWelchInterval() {
        // mlcm.baseline-best.conf's shape: the rates zipped with the model, so no baseline shares the chain's cell
        LocalSweep.Result r = LocalSweep.run("mlcm.baseline", with(MLCM_SMALL, "params.epochs=1", "replicates.seeds=3",
                "grid.dataset=[mnist]", "grid.tuned={zip{model=[mlcm, thesis-perceptron, perceptron], "
                + "robustness=[0.5, 2, 1], readout-rate=[0.005, 0.0005, 0.001]}}"));
        assertEquals(0, r.failed());
        Derived.DerivedTable gap = r.derived("mlcm_vs_perceptron");
        List<String> cols = gap.columns();
        assertEquals(2, gap.rows().size(), gap.rows().toString());
        List<Double> chainVal = r.rows().stream().filter(x -> x.table().equals("final")
                && x.cell().get("model").equals("mlcm")).map(x -> r.value(x, "val_accuracy")).toList();
        assertEquals(3, chainVal.size());
        double chainMean = 100 * chainVal.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        for (List<Object> row : gap.rows()) {
            String model = (String) row.get(cols.indexOf("baseline"));
            List<Double> own = r.rows().stream().filter(x -> x.table().equals("final")
                    && x.cell().get("model").equals(model)).map(x -> r.value(x, "val_accuracy")).toList();
            org.engram.jobs.core.Moments a = org.engram.jobs.core.Moments.of(chainVal.stream()
                    .mapToDouble(Double::doubleValue).toArray());
            org.engram.jobs.core.Moments b = org.engram.jobs.core.Moments.of(own.stream()
                    .mapToDouble(Double::doubleValue).toArray());
            double[] ci = org.engram.jobs.core.Moments.welchDifferenceCi95(a, b);
            assertEquals(chainMean, (Double) row.get(cols.indexOf("mlcm_val_pct")), 1e-9, model);
            assertEquals("robustness 0.5, readout-rate 0.005", row.get(cols.indexOf("mlcm_setting")), model);
            double gapPts = (Double) row.get(cols.indexOf("val_gap_points"));
            assertEquals(100 * ci[0], (Double) row.get(cols.indexOf("gap_ci_low")), 1e-9, model);
            assertEquals(100 * ci[1], (Double) row.get(cols.indexOf("gap_ci_high")), 1e-9, model);
            assertTrue(ci[0] * 100 <= gapPts && gapPts <= ci[1] * 100 && ci[1] > ci[0], row.toString());
        }
        // one accuracy figure with every model, labelled by its own rates where they differ
        List<Figure> figs = r.derived().figures().stream()
                .filter(f -> f.name().startsWith("accuracy_")).toList();
        assertEquals(1, figs.size(), figs.toString());
        List<String> labels = ((Figure.Curves) figs.get(0)).series().stream()
                .map(Figure.Series::label).filter(l -> l.endsWith(" validation")).toList();
        assertEquals(List.of("mlcm (robustness = 0.5, readout-rate = 0.005) validation",
                "thesis-perceptron (robustness = 2, readout-rate = 5.0E-4) validation",
                "perceptron (robustness = 1, readout-rate = 0.001) validation"), labels);
    }

    @Test
    void anUntrainedControlIsPricedAsRelaxingEveryRowForTMaxSweeps() {
        // 200 training and 100 validation rows: the untrained control relaxes all 300 at 12 trained rows each (t-max
        // 100, the measured 15 ms a row); one epoch of the chain trains 200 rows and evaluates 100 + 100 at 2.4
        java.util.function.Function<String, java.util.Map<Object, Double>> costs = tMax -> LocalSweep.prepare(
                "mlcm.baseline", with(MLCM_SMALL, "params.epochs=1", "params.t-max=" + tMax, "grid.dataset=[mnist]",
                        "grid.model=[mlcm, mlcm-untrained]")).plan().units().stream().collect(
                java.util.stream.Collectors.toMap(u -> u.key().contains("model=mlcm-untrained") ? "mlcm-untrained" : "mlcm",
                        org.engram.jobs.core.WorkUnit::cost));
        java.util.Map<Object, Double> at100 = costs.apply("100");
        assertEquals(12.0 * 300 / (200 + 2.4 * 200), at100.get("mlcm-untrained") / at100.get("mlcm"), 1e-9, at100
                .toString());
        java.util.Map<Object, Double> at200 = costs.apply("200");
        assertEquals(2 * at100.get("mlcm-untrained"), at200.get("mlcm-untrained"), 1e-6);
        assertEquals(at100.get("mlcm"), at200.get("mlcm"), 1e-6);
    }

    @Test
    void theTunedRatesAndTheOutputReadingAreGridDimensions() {
        LocalSweep.Result r = LocalSweep.run("mlcm.baseline", with(MLCM_SMALL, "params.epochs=1",
                "grid.model=[mlcm, thesis-perceptron]", "grid.robustness=[0.5, 2]", "grid.output-field=[lambda-out]"));
        assertEquals(0, r.failed());
        Derived.DerivedTable gap = r.derived("mlcm_vs_perceptron");
        assertEquals(2, gap.rows().size(), "a row per robustness: " + gap.rows());
        for (List<Object> row : gap.rows()) {
            assertEquals((Double) row.get(5) - (Double) row.get(6), (Double) row.get(7), 1e-9, "against its own ρ");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlcm.sparsity-threshold", "mlcm.sparsity-wta"})
    void mlcmSparsityJobsReportActivityPerLayer(String job) {
        String dim = job.endsWith("wta") ? "grid.delta=[0.5, 0.2]" : "grid.gamma=[0, 0.2]";
        LocalSweep.Result r = LocalSweep.run(job, with(MLCM_SMALL, dim));
        assertEquals(0, r.failed(), () -> r.rows().stream().filter(x -> !x.isOk()).findFirst().get().message());
        Derived.DerivedTable act = r.derived(job.endsWith("wta") ? "activity_vs_delta" : "activity_vs_gamma");
        assertEquals(2, act.rows().size());
        for (List<Object> row : act.rows()) {
            for (int l = 2; l < 4; l++) {
                double a = (Double) row.get(l);
                assertTrue(a >= 0 && a <= 1, "activity is a fraction: " + row);
            }
        }
    }

    @Test
    void memoryEvolutionFollowsEq40AtThePapersCellAndFindsWhereItBreaks() {
        LocalSweep.Result r = LocalSweep.run("assoc.memory-evolution", "grid.beta=[0.01, 0.5, 2]",
                "grid.clamping=[cyclic]", "replicates.seeds=3", "params.curve-every=100");
        assertEquals(0, r.failed());
        // the authors' cyclic clamping follows eq. 40 to < 0.01 wherever the softmax is one-hot (β N_v ≫ 1) …
        assertTrue(mean(r, "trials", "beta=2,clamping=cyclic", "max_error") < 0.01);
        assertTrue(mean(r, "trials", "beta=0.5,clamping=cyclic", "max_error") < 0.01);
        // … and not when β N_v = 0.5: every row then learns every pattern
        assertTrue(mean(r, "trials", "beta=0.01,clamping=cyclic", "max_error") > 0.1);
        Derived.DerivedTable t = r.derived("beta_threshold");
        assertEquals(1, t.rows().size());
        assertEquals(0.5, (Double) t.value(0, "beta_min"), 0, "the smallest grid β from which eq. 40 holds");
        // Fig. 1's curves: one seed, steps 1, 100, …, 2000, four memories, the theory beside the simulation
        long curveRows = r.rows().stream().filter(x -> x.table().equals("curve")).count();
        assertEquals(3 * 21 * 4, curveRows);
        assertTrue(r.derived().figures().stream().anyMatch(f -> f.name().startsWith("max_error_vs_beta")));
    }

    @Test
    void fixedPointsMeetConditionIBelowAQuarterAndNotAtFullLoad() {
        LocalSweep.Result r = LocalSweep.run("assoc.fixed-points", "grid.nv=[20]", "grid.alpha=[0.1, 1.0]",
                "replicates.seeds=3", "params.initial-states=3");
        assertEquals(0, r.failed());
        // N_h = 2 rows of variance 1/2 in 20 dimensions: ΞΞᵀ ≈ 10 · 1, far above 1; at α = 1 the Wishart spectrum
        // reaches 0 (Marchenko–Pastur edge (1 − √(1/α))² = 0)
        assertEquals(1.0, mean(r, "trials", "nv=20,alpha=0.1", "condition_i"), 0);
        assertEquals(0.0, mean(r, "trials", "nv=20,alpha=1", "condition_i"), 0);
        assertTrue(mean(r, "trials", "nv=20,alpha=1", "gram_lambda_min") < 0.1);
        assertTrue(mean(r, "trials", "nv=20,alpha=0.1", "fixed_points") >= 1, "v* = 0 at least");
        Derived.DerivedTable t = r.derived("hyperbolicity");
        assertEquals(2, t.rows().size());
        assertEquals(4.675444679663242, (Double) t.value(0, "mp_edge"), 1e-12, "(1 − √10)²");
    }

    @Test
    void memoryEvolutionRejectsCyclicClampingWithSkewedProbabilities() {
        org.engram.jobs.config.Problems.InvalidConfig e = org.junit.jupiter.api.Assertions.assertThrows(
                org.engram.jobs.config.Problems.InvalidConfig.class, () -> LocalSweep.prepare("assoc.memory-evolution",
                        "grid.clamping=[cyclic]", "grid.p=[skewed]"));
        assertTrue(e.getMessage().contains("grid.p") && e.getMessage().contains("cyclic"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(org.engram.jobs.config.Problems.InvalidConfig.class,
                () -> LocalSweep.prepare("assoc.memory-evolution", "params.nh=60"));
        assertTrue(e.getMessage().contains("params.nh"), e.getMessage());
    }

    @Test
    void theThesisPerceptronAndCentredProjectionRunBesideTheSoftmaxBaseline() {
        LocalSweep.Result r = LocalSweep.run("mlcm.baseline", "params.epochs=2", "replicates.seeds=1",
                "params.train-rows=300", "params.eval-rows=100", "grid.variant=[projected]",
                "grid.model=[mlcm, perceptron, thesis-perceptron]", "params.projection-centred=true", "params.n=120",
                "params.layers=2", "params.lambda-left=[6, 4]", "params.lambda-right=[2, 1.5]");
        assertEquals(0, r.failed());
        Derived.DerivedTable gap = r.derived("mlcm_vs_perceptron");
        assertEquals(2, gap.rows().size(), "one row per baseline");
        assertEquals(List.of("perceptron", "thesis-perceptron"), java.util.stream.IntStream.range(0, gap.rows().size()).mapToObj(i -> gap.value(i, "baseline")).toList());
        for (List<Object> row : gap.rows()) {
            double base = (Double) row.get(4);
            assertTrue(base > 10 && base <= 100, "the bands of the synthetic data are learnt above chance: " + row);
            assertEquals((Double) row.get(3) - base, (Double) row.get(5), 1e-9);
        }
    }

    @Test
    void longTrainingUnitsReportTheirProgressEpochByEpoch() {
        for (String job : List.of("kh.reconstruction", "kh.classification", "mlcm.baseline")) {
            LocalSweep.Result r = LocalSweep.run(job, "params.epochs=3", "replicates.seeds=1", "params.train-rows=200",
                    "params.eval-rows=100");
            assertEquals(0, r.failed(), job);
            for (Map.Entry<String, List<Double>> e : r.progress().entrySet()) {
                List<Double> f = e.getValue();
                if (!job.startsWith("mlcm") || e.getKey().contains("perceptron")) {
                    assertEquals(List.of(1.0 / 3, 2.0 / 3, 1.0), f, job + " " + e.getKey());
                    continue;
                }
                // the MLCM reports after every minibatch of training and of evaluation: never backwards, each epoch's
                // end exactly at k/3, and training weighs less than the evaluation after it (see MlcmTraining.RowCost)
                for (int i = 1; i < f.size(); i++) {
                    assertTrue(f.get(i) >= f.get(i - 1), job + " " + e.getKey() + " " + f);
                }
                assertTrue(f.containsAll(List.of(1.0 / 3, 2.0 / 3, 1.0)) && f.get(f.size() - 1) == 1.0, f.toString());
                assertTrue(f.size() > 9, "more than one report per epoch: " + f);
                assertTrue(f.get(0) < 1.0 / 3 / 2, "the first minibatch of training is a small share of an epoch: " + f);
            }
        }
    }

    @Test
    void selfCouplingUnitsReportProgressSweepBySweep() {
        // 3 J_D × 10 states per unit in batches of 4: progress after every synchronous sweep of a batch and at its end
        LocalSweep.Result r = LocalSweep.run("rnn.self-coupling", "grid.n=[200]", "grid.jd=[0.2, 0.8, 1.6]",
                "replicates.weight-draws=2", "replicates.initial-states=10", "params.states-per-batch=4",
                "params.max-steps=100");
        assertEquals(0, r.failed());
        assertEquals(2, r.progress().size(), "one unit per weight draw");
        for (Map.Entry<String, List<Double>> e : r.progress().entrySet()) {
            List<Double> f = e.getValue();
            for (int i = 1; i < f.size(); i++) {
                assertTrue(f.get(i) >= f.get(i - 1), "never backwards: " + f);
            }
            assertEquals(1.0, f.get(f.size() - 1), 1e-12, e.getKey());
            // 8 batches (30 states by 4) end at multiples of 4/30; sweeps inside a batch report in between
            long inside = f.stream().filter(x -> Math.abs(x * 30 / 4 - Math.rint(x * 30 / 4)) > 1e-9
                    && Math.abs(x - 1.0) > 1e-12).count();
            assertTrue(inside > 8, "reports between the batches' ends: " + f);
            assertTrue(f.get(0) < 4.0 / 30, "the first report comes before the first batch ends: " + f);
        }
    }

    @Test
    void anOversizedPlanIsRefusedBeforeItsUnitsAreBuilt() {
        long t0 = System.nanoTime();
        // 1,000 cells × 10⁵ weight draws × 4 initial states: 4·10⁸ trials (the OutOfMemoryError after 87 s)
        org.engram.jobs.config.Problems.InvalidConfig e = org.junit.jupiter.api.Assertions.assertThrows(
                org.engram.jobs.config.Problems.InvalidConfig.class, () -> LocalSweep.prepare("rnn.reinforcement",
                        "grid.n=[100]", "grid.d={from=0, to=1.99, step=0.01}", "grid.a={from=0.01, to=10, count=5}",
                        "replicates.weight-draws=100000"));
        assertTrue((System.nanoTime() - t0) / 1e9 < 2, "refused in under 2 s");
        assertTrue(e.getMessage().contains("sweep.max-trials") && e.getMessage().contains("1000 cells"),
                e.getMessage());
        // the cap is a key: raised, a big (but buildable) plan goes through
        assertEquals(2 * 200 * 5, LocalSweep.prepare("rnn.reinforcement", "grid.n=[100, 200]",
                "grid.d={from=0, to=1.99, step=0.01}", "grid.a={from=0.01, to=10, count=5}", "replicates.weight-draws=1",
                "sweep.max-trials=100000").plan().cells().size());
    }

    @Test
    void theCountedGridSizeIsTheExpandedOneForEveryQuickConf() {
        for (String job : org.engram.jobs.sweep.JobRegistry.standard().ids()) {
            org.engram.jobs.sweep.PreparedSweep<?> p = LocalSweep.prepare(job);
            assertEquals(p.plan().cells().size(), org.engram.jobs.config.Grid.count(p.sweep().jobConf()), 0, job);
        }
    }

    @Test
    void everyUnitOfEveryQuickConfHasAUniqueKeyAndFingerprint() {
        for (String job : org.engram.jobs.sweep.JobRegistry.standard().ids()) {
            List<WorkUnit> units = LocalSweep.prepare(job).plan().units();
            assertEquals(units.size(), units.stream().map(WorkUnit::key).distinct().count(), job);
            assertEquals(units.size(), units.stream().map(WorkUnit::fingerprint).distinct().count(), job);
        }
    }
}
