package org.engram.jobs.mlcm;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Cell;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Problems;
import org.engram.jobs.core.SweepIdentity;
import org.engram.jobs.core.Tables;

/**
 * {@code mlcm.baseline} — thesis §7.1, Figs. 7.1–7.2: an MLCM (algorithm 1) against the single-layer
 * perceptron, dataset × variant (raw | projected) × model (mlcm | perceptron), ±1 states; train and
 * validation accuracy per epoch, and the MLCM − perceptron gap the thesis reports (≈ 5 points on projected
 * MNIST). The training is {@link MlcmTraining}'s.
 */
public final class MlcmBaselineJob implements Job<MlcmTraining.Settings> {
    @Override
    public String id() {
        return "mlcm.baseline";
    }

    @Override
    public String description() {
        return "MLCM Figs. 7.1–7.2: MLCM vs single-layer perceptron, train/validation accuracy per epoch on raw and "
                + "projected datasets";
    }

    @Override
    public Plan<MlcmTraining.Settings> plan(SweepIdentity sweep, Config conf, Problems problems) {
        return MlcmTraining.plan(sweep, conf, problems, List.of(MlcmTraining.DATASET, MlcmTraining.VARIANT,
                MlcmTraining.MODEL), MlcmTraining.Sparsity.ANY);
    }

    @Override
    public Derived derive(Plan<MlcmTraining.Settings> plan, List<Aggregate> aggregates) {
        return new Derived(List.of(MlcmTraining.finalTable(plan, aggregates), gapTable(plan, aggregates)),
                MlcmTraining.accuracyFigures(plan, aggregates));
    }

    /**
     * MLCM minus baseline validation accuracy per (dataset, variant, baseline) — the thesis' ≈ 5 points on projected
     * MNIST — for each single-layer baseline the sweep ran (softmax {@code perceptron}, {@code thesis-perceptron}).
     */
    private static Derived.DerivedTable gapTable(Plan<MlcmTraining.Settings> plan, List<Aggregate> aggregates) {
        Map<String, Aggregate> va = Tables.metric(aggregates, MlcmTraining.FINAL.name(), "val_accuracy");
        Map<String, Aggregate> tr = Tables.metric(aggregates, MlcmTraining.FINAL.name(), "train_accuracy");
        Map<String, double[]> mlcm = new LinkedHashMap<>();
        Map<String, double[]> baselines = new LinkedHashMap<>();
        for (Cell c : plan.cells()) {
            String g = c.get("dataset") + "|" + c.get("variant");
            double[] v = {100 * Tables.mean(va.get(c.key())), 100 * Tables.mean(tr.get(c.key()))};
            if (c.get("model").equals("mlcm")) {
                mlcm.put(g, v);
            } else {
                baselines.put(g + "|" + c.get("model"), v);
            }
        }
        List<List<Object>> rows = new ArrayList<>();
        baselines.forEach((k, b) -> {
            String[] parts = k.split("\\|");
            double[] m = mlcm.getOrDefault(parts[0] + "|" + parts[1], new double[] {Double.NaN, Double.NaN});
            rows.add(Tables.row(parts[0], parts[1], parts[2], m[0], b[0], m[0] - b[0], m[1] - m[0], b[1] - b[0]));
        });
        return new Derived.DerivedTable("mlcm_vs_perceptron",
                "one row per (dataset, variant, baseline): last-epoch validation accuracy (%) of the MLCM and of the "
                + "single-layer baseline (perceptron: softmax regression; thesis-perceptron: the perceptron rule), "
                + "val_gap_points = MLCM − baseline, and each model's train − validation gap in points (overfitting)",
                List.of("dataset", "variant", "baseline", "mlcm_val_pct", "baseline_val_pct", "val_gap_points",
                        "mlcm_overfit_points", "baseline_overfit_points"), rows);
    }
}
