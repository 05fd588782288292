package org.engram.jobs.mlcm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.engram.jobs.config.Cell;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Column;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Figure;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Tables;
import org.engram.jobs.core.Trials;

/**
 * The MLCM jobs' derived tables and figures, made on the driver from the aggregates. A class of its own, which no
 * work unit reaches, so that changing a table or a figure replays a sweep's chains from the ledger instead of
 * recomputing them (see {@link org.engram.jobs.core.CodeVersion}).
 */
final class MlcmTables {
    private MlcmTables() {
    }

    /** The accuracy curves (one figure per group of cells that differ only in model, γ or δ). */
    static List<Figure> accuracyFigures(Plan<MlcmTraining.Settings> plan, List<Aggregate> aggregates) {
        MlcmTraining.Settings s = plan.settings();
        List<Figure> figures = new ArrayList<>();
        Column trainCurve = Tables.metric(aggregates, MlcmTraining.CURVE_TRAIN_ACCURACY);
        Column valCurve = Tables.metric(aggregates, MlcmTraining.CURVE_VAL_ACCURACY);
        // accuracy per epoch: one figure per group of cells that differ only in model / γ / δ — and in the rates when
        // each model has one setting of them (zipped with the model: each model at its own tuned rates)
        Set<String> perModel = perModelRates(plan.cells());
        List<String> grouping = new ArrayList<>(List.of("variant", "order"));
        grouping.addAll(RATES);
        Map<String, List<Cell>> groups = new LinkedHashMap<>();
        for (Cell c : plan.cells()) {
            StringBuilder g = new StringBuilder(String.valueOf(c.get("dataset")));
            for (String k : grouping) {
                if (c.has(k) && !perModel.contains(k)) {
                    g.append('_').append(Cell.format(c.get(k)));
                }
            }
            groups.computeIfAbsent(g.toString(), k -> new ArrayList<>()).add(c);
        }
        for (Map.Entry<String, List<Cell>> g : groups.entrySet()) {
            List<Figure.Series> series = new ArrayList<>();
            for (Cell c : g.getValue()) {
                String rates = Tables.label(c, g.getValue(),
                        Arrays.stream(c.names()).filter(n -> !perModel.contains(n)).toArray(String[]::new));
                String label = label(c) + (rates.isEmpty() ? "" : " (" + rates + ")");
                series.add(Tables.epochSeries(trainCurve, c, s.epochs(), 100, 0, 1, label + " train"));
                series.add(Tables.epochSeries(valCurve, c, s.epochs(), 100, 0, 1, label + " validation"));
            }
            figures.add(new Figure.Curves("accuracy_" + g.getKey(), "Train and validation accuracy, "
                    + g.getKey().replace('_', ' ') + " (95% CI over seeds)", "epoch", false, "accuracy (%)", false,
                    series));
        }
        return figures;
    }

    /** The dimensions a model is tuned on, as the grid may zip them with {@code model}. */
    static final List<String> RATES = List.of("learning-rate", "robustness", "readout-rate", "output-field");

    /**
     * The rate dimensions that are a model's own setting in this plan: each model (with the same other dimensions)
     * takes one value of them, so they vary only as the model does — a conf that zips them with the model.
     */
    static Set<String> perModelRates(List<Cell> cells) {
        Set<String> out = new LinkedHashSet<>();
        for (String k : RATES) {
            // the values of k per cell of the other dimensions (rates left out): one each when k is a model's own
            Map<Map<String, Object>, Set<Object>> values = new HashMap<>();
            for (Cell c : cells) {
                if (c.has(k)) {
                    Map<String, Object> rest = new HashMap<>(c.asMap());
                    rest.keySet().removeAll(RATES);
                    values.computeIfAbsent(rest, x -> new HashSet<>()).add(c.get(k));
                }
            }
            boolean oneEach = values.values().stream().allMatch(v -> v.size() == 1);
            boolean acrossModels = values.values().stream().flatMap(Set::stream).distinct().count() > 1;
            if (oneEach && acrossModels) {
                out.add(k);
            }
        }
        return out;
    }

    private static String label(Cell c) {
        if (c.has("gamma")) {
            return "γ=" + Cell.format(c.get("gamma"));
        }
        if (c.has("delta")) {
            return "δ=" + Cell.format(c.get("delta"));
        }
        return c.has("model") ? String.valueOf(c.get("model")) : "mlcm";
    }

    static Derived.DerivedTable finalTable(Plan<MlcmTraining.Settings> plan, List<Aggregate> aggregates) {
        Column tr = Tables.metric(aggregates, MlcmTraining.FINAL_TRAIN_ACCURACY);
        Column va = Tables.metric(aggregates, MlcmTraining.FINAL_VAL_ACCURACY);
        Column best = Tables.metric(aggregates, MlcmTraining.BEST_VAL_ACCURACY);
        List<List<Object>> rows = new ArrayList<>();
        for (Cell c : plan.cells()) {
            double[] ci = Tables.ci(va.get(c), 0, 1);
            List<Object> row = new ArrayList<>(c.asMap().values());
            row.addAll(List.of(100 * Tables.mean(tr.get(c)), 100 * Tables.mean(va.get(c)), 100 * ci[0],
                    100 * ci[1], 100 * Tables.mean(best.get(c))));
            rows.add(row);
        }
        List<String> cols = new ArrayList<>(List.of(plan.cells().get(0).names()));
        cols.addAll(List.of("train_accuracy_pct", "val_accuracy_pct", "val_ci95_low", "val_ci95_high",
                "best_val_accuracy_pct"));
        return new Derived.DerivedTable("final_accuracy",
                "one row per cell: train and validation accuracy (%) after the last epoch, mean over seeds, with "
                + "the validation mean's 95% t-interval clipped to [0, 100]; the best validation accuracy over epochs "
                + "(speed: the timing table)",
                cols, rows);
    }

    /** Fig. 7.3a: last-epoch activity per layer and final accuracy against γ (or δ). */
    static void sparsityFigures(Plan<MlcmTraining.Settings> plan, List<Aggregate> aggregates, String dimension,
                                List<Figure> figures, List<Derived.DerivedTable> tables) {
        MlcmTraining.Settings s = plan.settings();
        String x = dimension;
        Column act = Tables.metric(aggregates, MlcmTraining.TRAIN_ACTIVITY);
        Column va = Tables.metric(aggregates, MlcmTraining.FINAL_VAL_ACCURACY);
        Column tr = Tables.metric(aggregates, MlcmTraining.FINAL_TRAIN_ACCURACY);
        Map<String, List<Cell>> byDataset = new LinkedHashMap<>();
        for (Cell c : plan.cells()) {
            byDataset.computeIfAbsent(String.valueOf(c.get("dataset")), k -> new ArrayList<>()).add(c);
        }
        List<List<Object>> rows = new ArrayList<>();
        int last = s.epochs() - 1;
        for (Map.Entry<String, List<Cell>> d : byDataset.entrySet()) {
            List<Cell> cs = new ArrayList<>(d.getValue());
            cs.sort((a, b) -> Double.compare(a.getDouble(x), b.getDouble(x)));
            double[] xs = cs.stream().mapToDouble(c -> c.getDouble(x)).toArray();
            List<Figure.Series> layers = new ArrayList<>();
            for (int l = 1; l <= s.layers(); l++) {
                double[] y = new double[xs.length];
                double[] lo = new double[xs.length];
                double[] hi = new double[xs.length];
                for (int i = 0; i < cs.size(); i++) {
                    Aggregate a = act.get(Trials.extend(Trials.extend(cs.get(i), "epoch", (long) last), "layer", (long) l));
                    y[i] = Tables.mean(a);
                    double[] ci = Tables.ci(a, 0, 1); // fractions: a 2-seed t-interval can pass 0 or 1
                    lo[i] = ci[0];
                    hi[i] = ci[1];
                }
                layers.add(new Figure.Series("layer " + l, xs, y, lo, hi));
            }
            figures.add(new Figure.Curves("activity_vs_" + x + "_" + d.getKey(), "Activity per layer in the last "
                    + "epoch vs " + (x.equals("delta") ? "δ" : "γ") + ", " + d.getKey(),
                    x.equals("delta") ? "WTA activity δ" : "threshold γ",
                    false, "fraction of active units", false, layers));
            List<Figure.Series> acc = new ArrayList<>();
            for (String which : List.of("train", "validation")) {
                Column m = which.equals("train") ? tr : va;
                double[] y = new double[xs.length];
                double[] lo = new double[xs.length];
                double[] hi = new double[xs.length];
                for (int i = 0; i < cs.size(); i++) {
                    Aggregate a = m.get(cs.get(i));
                    y[i] = 100 * Tables.mean(a);
                    double[] ci = Tables.ci(a, 0, 1); // fractions: a 2-seed t-interval can pass 0 or 1
                    lo[i] = 100 * ci[0];
                    hi[i] = 100 * ci[1];
                }
                acc.add(new Figure.Series(which, xs, y, lo, hi));
            }
            figures.add(new Figure.Curves("final_accuracy_vs_" + x + "_" + d.getKey(), "Final accuracy vs "
                    + (x.equals("delta") ? "δ" : "γ") + ", " + d.getKey(),
                    x.equals("delta") ? "WTA activity δ" : "threshold γ", false,
                    "accuracy (%)", false, acc));
            for (Cell c : cs) {
                List<Object> row = new ArrayList<>(List.of(d.getKey(), c.getDouble(x)));
                for (int l = 1; l <= s.layers(); l++) {
                    row.add(Tables.mean(act.get(Trials.extend(Trials.extend(c, "epoch", (long) last), "layer", (long) l))));
                }
                row.add(100 * Tables.mean(tr.get(c)));
                row.add(100 * Tables.mean(va.get(c)));
                rows.add(row);
            }
        }
        List<String> cols = new ArrayList<>(List.of("dataset", x));
        for (int l = 1; l <= s.layers(); l++) {
            cols.add("activity_layer_" + l);
        }
        cols.addAll(List.of("train_accuracy_pct", "val_accuracy_pct"));
        tables.add(new Derived.DerivedTable("activity_vs_" + x, "one row per (dataset, " + x + "): the activity "
                + "(fraction of active units) of each layer at the training fixed points of the last epoch, mean over "
                + "seeds, and the last-epoch train and validation accuracy (%)", cols, rows));
    }

    /**
     * What the sparsity jobs derive: the accuracy curves and the final table, plus the last epoch's activity per layer
     * and the final accuracy against {@code dimension} (γ or δ).
     */
    static Derived sparsity(Plan<MlcmTraining.Settings> plan, List<Aggregate> aggregates, String dimension) {
        List<Figure> figures = new ArrayList<>(accuracyFigures(plan, aggregates));
        List<Derived.DerivedTable> tables = new ArrayList<>(List.of(finalTable(plan, aggregates)));
        sparsityFigures(plan, aggregates, dimension, figures, tables);
        return new Derived(tables, figures);
    }
}
