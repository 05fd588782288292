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
        // a row per cell of every other model against the chain of the same cell but its model (dataset, variant
        // and whatever else the grid varies)
        Map<Map<String, Object>, double[]> mlcm = new LinkedHashMap<>();
        Map<Cell, double[]> others = new LinkedHashMap<>();
        for (Cell c : plan.cells()) {
            double[] v = {100 * Tables.mean(va.get(c.key())), 100 * Tables.mean(tr.get(c.key()))};
            if (c.get("model").equals("mlcm")) {
                mlcm.put(withoutModel(c), v);
            } else {
                others.put(c, v);
            }
        }
        List<String> dims = new ArrayList<>(List.of(plan.cells().get(0).names()));
        dims.remove("model");
        List<List<Object>> rows = new ArrayList<>();
        others.forEach((c, b) -> {
            Map<String, Object> g = withoutModel(c);
            double[] m = mlcm.getOrDefault(g, new double[] {Double.NaN, Double.NaN});
            List<Object> row = new ArrayList<>(g.values());
            row.addAll(Tables.row(c.get("model"), m[0], b[0], m[0] - b[0], m[1] - m[0], b[1] - b[0]));
            rows.add(row);
        });
        List<String> cols = new ArrayList<>(dims);
        cols.addAll(List.of("baseline", "mlcm_val_pct", "baseline_val_pct", "val_gap_points", "mlcm_overfit_points",
                "baseline_overfit_points"));
        return new Derived.DerivedTable("mlcm_vs_perceptron",
                "one row per (dataset, variant, other grid dimensions, baseline): last-epoch validation accuracy (%) "
                + "of the MLCM and of the "
                + "single-layer baseline (perceptron: softmax regression; thesis-perceptron: the perceptron rule) or "
                + "of the control mlcm-untrained, val_gap_points = MLCM − baseline, and each model's train − "
                + "validation gap in points (overfitting)",
                cols, rows);
    }

    private static Map<String, Object> withoutModel(Cell c) {
        Map<String, Object> m = new LinkedHashMap<>(c.asMap());
        m.remove("model");
        return m;
    }
}
