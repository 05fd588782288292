package org.engram.jobs.mlcm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Problems;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Column;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Moments;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Setup;
import org.engram.jobs.core.Tables;

/**
 * {@code mlcm.baseline} — thesis §7.1, Figs. 7.1–7.2: an MLCM (algorithm 1) against the single-layer
 * perceptron, dataset × variant (raw | projected) × model (mlcm | perceptron), ±1 states; train and
 * validation accuracy per epoch, and the MLCM − perceptron gap the thesis reports (≈ 5 points on projected
 * MNIST). The training is {@link MlcmTraining}'s.
 */
public final class MlcmBaselineJob implements Job<MlcmTraining.Settings> {
    /** Training runs continue from checkpoints ({@code MlcmTraining.Resume}): successive halving gives rungs of epochs. */
    @Override
    public String budget() {
        return "epochs";
    }

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
    public List<String> gridRequires() {
        return List.of("variant", "model");
    }

    @Override
    public void check(Setup<MlcmTraining.Settings> setup, Problems problems) {
        MlcmTraining.check(setup, problems, MlcmTraining.Sparsity.ANY);
    }

    @Override
    public Plan<MlcmTraining.Settings> plan(Setup<MlcmTraining.Settings> setup) {
        return MlcmTraining.plan(setup);
    }

    @Override
    public Derived derive(Plan<MlcmTraining.Settings> plan, List<Aggregate> aggregates) {
        return new Derived(List.of(MlcmTables.finalTable(plan, aggregates), gapTable(plan, aggregates)),
                MlcmTables.accuracyFigures(plan, aggregates));
    }

    /**
     * MLCM minus baseline validation accuracy per (dataset, variant, baseline) — the thesis' ≈ 5 points on projected
     * MNIST — for each single-layer baseline the sweep ran (softmax {@code perceptron}, {@code thesis-perceptron}), with
     * Welch's 95% interval of the gap over the seeds.
     */
    private static Derived.DerivedTable gapTable(Plan<MlcmTraining.Settings> plan, List<Aggregate> aggregates) {
        Column va = Tables.metric(aggregates, MlcmTraining.FINAL_VAL_ACCURACY);
        Column tr = Tables.metric(aggregates, MlcmTraining.FINAL_TRAIN_ACCURACY);
        List<Cell> chains = plan.cells().stream().filter(c -> c.get("model").equals("mlcm")).toList();
        List<String> dims = new ArrayList<>(List.of(plan.cells().get(0).names()));
        dims.remove("model");
        List<List<Object>> rows = new ArrayList<>();
        for (Cell c : plan.cells()) {
            if (c.get("model").equals("mlcm")) {
                continue;
            }
            Cell m = chainFor(c, chains);
            Aggregate chainVal = m == null ? null : va.get(m);
            Aggregate baseVal = va.get(c);
            double mVal = 100 * Tables.mean(chainVal);
            double mTr = m == null ? Double.NaN : 100 * Tables.mean(tr.get(m));
            double bVal = 100 * Tables.mean(baseVal);
            double bTr = 100 * Tables.mean(tr.get(c));
            double[] ci = chainVal == null || baseVal == null ? new double[] {Double.NaN, Double.NaN}
                    : Moments.welchDifferenceCi95(chainVal.moments(), baseVal.moments());
            List<Object> row = new ArrayList<>(withoutModel(c).values());
            row.addAll(Tables.row(c.get("model"), mVal, bVal, mVal - bVal, mTr - mVal, bTr - bVal, 100 * ci[0],
                    100 * ci[1], m == null ? "" : setting(m)));
            rows.add(row);
        }
        List<String> cols = new ArrayList<>(dims);
        cols.addAll(List.of("baseline", "mlcm_val_pct", "baseline_val_pct", "val_gap_points", "mlcm_overfit_points",
                "baseline_overfit_points", "gap_ci_low", "gap_ci_high", "mlcm_setting"));
        return new Derived.DerivedTable("mlcm_vs_perceptron",
                "one row per (dataset, variant, other grid dimensions, baseline): last-epoch validation accuracy (%) "
                + "of the MLCM and of the "
                + "single-layer baseline (perceptron: softmax regression; thesis-perceptron: the perceptron rule) or "
                + "of the control mlcm-untrained, val_gap_points = MLCM − baseline with its Welch 95% interval over "
                + "the seeds (gap_ci_low … gap_ci_high, points), each model's train − validation gap in points "
                + "(overfitting), and the rates of the chain it was compared with (mlcm_setting: the chain with the "
                + "baseline's own rates when the grid has one, else the one chain that agrees on the other dimensions)",
                cols, rows);
    }

    /** The chain a baseline cell is compared with: same cell but its model, else the only one differing in rates. */
    private static Cell chainFor(Cell baseline, List<Cell> chains) {
        Map<String, Object> own = withoutModel(baseline);
        Map<String, Object> ownData = new LinkedHashMap<>(own);
        ownData.keySet().removeAll(MlcmTables.RATES);
        List<Cell> sameData = new ArrayList<>();
        for (Cell m : chains) {
            Map<String, Object> g = withoutModel(m);
            if (g.equals(own)) {
                return m;
            }
            g.keySet().removeAll(MlcmTables.RATES);
            if (g.equals(ownData)) {
                sameData.add(m);
            }
        }
        return sameData.size() == 1 ? sameData.get(0) : null;
    }

    /** A chain's per-model rates, "learning-rate 0.005, robustness 3, …" ("" when the grid varies none). */
    private static String setting(Cell chain) {
        StringBuilder sb = new StringBuilder();
        for (String name : chain.names()) {
            if (MlcmTables.RATES.contains(name)) {
                sb.append(sb.length() == 0 ? "" : ", ").append(name).append(' ').append(Cell.format(chain.get(name)));
            }
        }
        return sb.toString();
    }

    private static Map<String, Object> withoutModel(Cell c) {
        Map<String, Object> m = new LinkedHashMap<>(c.asMap());
        m.remove("model");
        return m;
    }
}
