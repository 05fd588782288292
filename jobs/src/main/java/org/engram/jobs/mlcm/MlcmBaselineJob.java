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

    /** MLCM minus perceptron validation accuracy per (dataset, variant): the thesis' ≈5 points on projected MNIST. */
    private static Derived.DerivedTable gapTable(Plan<MlcmTraining.Settings> plan, List<Aggregate> aggregates) {
        Map<String, Aggregate> va = Tables.metric(aggregates, MlcmTraining.FINAL.name(), "val_accuracy");
        Map<String, Aggregate> tr = Tables.metric(aggregates, MlcmTraining.FINAL.name(), "train_accuracy");
        Map<String, double[]> byGroup = new LinkedHashMap<>();
        for (Cell c : plan.cells()) {
            String g = c.get("dataset") + "|" + c.get("variant");
            double[] v = byGroup.computeIfAbsent(g, k -> new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN});
            int o = c.get("model").equals("mlcm") ? 0 : 1;
            v[o] = 100 * Tables.mean(va.get(c.key()));
            v[2 + o] = 100 * Tables.mean(tr.get(c.key()));
        }
        List<List<Object>> rows = new ArrayList<>();
        byGroup.forEach((g, v) -> {
            String[] parts = g.split("\\|");
            rows.add(Tables.row(parts[0], parts[1], v[0], v[1], v[0] - v[1], v[2] - v[0], v[3] - v[1]));
        });
        return new Derived.DerivedTable("mlcm_vs_perceptron",
                "one row per (dataset, variant): last-epoch validation accuracy (%) of the MLCM and of the "
                + "single-layer perceptron, val_gap_points = MLCM − perceptron, and each model's train − validation "
                + "gap in points (overfitting)", List.of("dataset", "variant", "mlcm_val_pct",
                "perceptron_val_pct", "val_gap_points", "mlcm_overfit_points", "perceptron_overfit_points"), rows);
    }}
