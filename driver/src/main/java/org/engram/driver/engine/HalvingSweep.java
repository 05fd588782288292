package org.engram.driver.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.Locale;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Problems;
import org.engram.jobs.config.Schema;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Column;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Metric;
import org.engram.jobs.core.Moments;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Setup;
import org.engram.jobs.core.TableSpec;
import org.engram.jobs.core.Tables;
import org.engram.jobs.core.Trials;
import org.engram.jobs.core.WorkUnit;
import org.engram.jobs.sweep.LoadedSweep;
import org.engram.jobs.sweep.PreparedSweep;
import scala.Tuple2;

/**
 * A sweep with {@code sweep.halving}: successive halving over the grid's cells (its configurations). Every
 * configuration runs to the first rung's budget; the best {@code 1/reduction} of each rung (at least one) go on to the
 * next, continuing from the state they reached (the job's units keep it as a checkpoint beside the ledger, removed when
 * the sweep ends), until the last rung, the full budget. Ties are broken by grid order.
 *
 * <pre>
 * sweep.halving {
 *   metric = max_accuracy     # a metric of the main table (table.metric for another table's)
 *   goal = max                # or min
 *   reduction = 3             # a rung keeps the best 1/3
 *   rungs = [2, 7, 20]        # optional: default the budget / reduction^k down to min-budget
 *   min-budget = 1
 *   per = [init]              # optional: grid dimensions whose every value is halved on its own
 * }
 * </pre>
 *
 * <p>With {@code per}, the configurations sharing the values of those dimensions form a group (Table I's cell, say,
 * with ε0 × Δ tuned inside it), and each group is ranked and promoted on its own: each keeps its best
 * {@code 1/reduction} and ends with its own winner.
 *
 * <p>The budget is the job's {@link Job#budget()} setting (epochs), at its value in {@code params} for the last rung.
 * A configuration's trials are seeded by its cell alone, so its last rung's rows are those a grid run at the full
 * budget gives it. The aggregated tables hold every rung, each cell extended by its budget; the job's derived tables
 * are the last rung's.
 *
 * @param <S> the job's settings
 */
public final class HalvingSweep<S extends Record> implements Stages {
    static final String KEY = "sweep.halving";

    private final PreparedSweep<S> prepared;
    private final Schema<S> schema;
    private final String budgetKey;
    private final int[] rungs;
    private final int reduction;
    private final Metric metric;
    private final boolean maximise;
    private final List<Cell> configs;
    private final int[] per;
    private final List<WorkUnit> units = new ArrayList<>();
    private final List<Cell> cells = new ArrayList<>();
    private final List<List<Object>> history = new ArrayList<>();
    private List<Cell> alive;
    private int rung;
    private PreparedSweep<S> lastPlan;

    private HalvingSweep(PreparedSweep<S> prepared, Schema<S> schema, String budgetKey, int[] rungs, int reduction,
                         Metric metric, boolean maximise, int[] per) {
        this.prepared = prepared;
        this.schema = schema;
        this.budgetKey = budgetKey;
        this.rungs = rungs;
        this.reduction = reduction;
        this.metric = metric;
        this.maximise = maximise;
        this.configs = prepared.plan().cells();
        this.per = per;
    }

    /** The halving sweep of {@code prepared}, or null when it declares none; throws naming every problem. */
    public static HalvingSweep<?> of(PreparedSweep<?> prepared) {
        return make(prepared);
    }

    @SuppressWarnings("unchecked")
    private static <S extends Record> HalvingSweep<S> make(PreparedSweep<S> prepared) {
        LoadedSweep s = prepared.sweep();
        Config eff = s.effective();
        if (!eff.hasPath(KEY)) {
            return null;
        }
        Problems problems = new Problems();
        String where = "Sweep " + s.source();
        if (eff.getValue(KEY).valueType() != ConfigValueType.OBJECT) {
            problems.at(eff, KEY, "must be an object { metric, goal, reduction, rungs, min-budget }");
            problems.throwIfAny(where);
        }
        Config h = eff.getConfig(KEY);
        for (String k : h.root().keySet()) {
            if (!List.of("metric", "goal", "reduction", "rungs", "min-budget", "per").contains(k)) {
                problems.at(h.getValue(k), KEY + "." + k, "unknown key; sweep.halving has metric, goal, reduction, "
                        + "rungs, min-budget and per");
            }
        }
        Job<S> job = prepared.job();
        String budgetKey = job.budget();
        if (budgetKey == null) {
            problems.at(h.root(), KEY, "job " + job.id() + " cannot continue a run from a checkpoint (it declares no "
                    + "budget): successive halving needs one; see docs/adding-an-experiment.md");
            problems.throwIfAny(where);
        }
        Schema<S> schema = Stages.schema(job);
        String budgetPath = "params." + Schema.dashed(budgetKey);
        if (s.jobConf().hasPath("grid." + Schema.dashed(budgetKey))) {
            problems.at(s.jobConf().getValue("grid." + Schema.dashed(budgetKey)), "grid." + Schema.dashed(budgetKey),
                    "the budget is what successive halving varies: give the full budget as " + budgetPath);
        }
        int budget = s.jobConf().hasPath(budgetPath) ? s.jobConf().getInt(budgetPath) : -1;
        Metric metric = metric(prepared.plan().tables(), h, problems);
        String goal = h.hasPath("goal") ? h.getValue("goal").unwrapped().toString() : "";
        if (!goal.equals("max") && !goal.equals("min")) {
            problems.at(h.hasPath("goal") ? h.getValue("goal") : h.root(), KEY + ".goal", "must be max or min");
        }
        int reduction = integer(h, "reduction", 3, 2, 1000, problems);
        int min = integer(h, "min-budget", 1, 1, Math.max(1, budget), problems);
        int[] rungs = null;
        if (h.hasPath("rungs")) {
            ConfigValue v = h.getValue("rungs");
            List<Integer> r = new ArrayList<>();
            if (v.valueType() == ConfigValueType.LIST) {
                for (ConfigValue x : (ConfigList) v) {
                    if (x.unwrapped() instanceof Integer i) {
                        r.add(i);
                    }
                }
            }
            boolean ok = v.valueType() == ConfigValueType.LIST && r.size() == ((ConfigList) v).size() && !r.isEmpty()
                    && r.get(r.size() - 1) == budget && r.get(0) >= 1;
            for (int i = 1; ok && i < r.size(); i++) {
                ok = r.get(i) > r.get(i - 1);
            }
            if (!ok) {
                problems.at(v, KEY + ".rungs", "must be ascending whole budgets ending at the full budget " + budgetPath
                        + " = " + budget);
            } else {
                rungs = r.stream().mapToInt(Integer::intValue).toArray();
            }
        } else if (budget >= 1) {
            List<Integer> r = new ArrayList<>();
            for (double b = budget; Math.round(b) >= min; b /= reduction) {
                if (r.isEmpty() || Math.round(b) < r.get(0)) {
                    r.add(0, (int) Math.round(b));
                }
            }
            rungs = r.stream().mapToInt(Integer::intValue).toArray();
        }
        int[] per = per(h, prepared.plan().cells(), problems);
        problems.throwIfAny(where);
        return new HalvingSweep<>(prepared, schema, budgetKey, rungs, reduction, metric, goal.equals("max"), per);
    }

    /** The positions in a configuration's cell of the dimensions {@code per} names; none when it is absent. */
    private static int[] per(Config h, List<Cell> configs, Problems problems) {
        if (!h.hasPath("per")) {
            return new int[0];
        }
        ConfigValue v = h.getValue("per");
        List<String> names = configs.isEmpty() ? List.of() : List.of(configs.get(0).names());
        if (v.valueType() != ConfigValueType.LIST) {
            problems.at(v, KEY + ".per", "must be a list of grid dimensions, of " + names);
            return new int[0];
        }
        List<Integer> at = new ArrayList<>();
        for (ConfigValue x : (ConfigList) v) {
            String name = String.valueOf(x.unwrapped());
            int i = names.indexOf(name);
            if (i < 0 || at.contains(i)) {
                problems.at(x, KEY + ".per", (i < 0 ? "no grid dimension " : "named twice: ") + name
                        + "; the grid's dimensions are " + names);
            } else {
                at.add(i);
            }
        }
        return at.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The values of the {@code per} dimensions: a configuration's group. */
    private List<Object> group(Cell c) {
        List<Object> g = new ArrayList<>(per.length);
        for (int i : per) {
            g.add(c.value(i));
        }
        return g;
    }

    /** {@code at} split into its groups, in grid order (first configuration first), each in grid order. */
    private Collection<List<Cell>> groups(List<Cell> at) {
        Map<List<Object>, List<Cell>> groups = new LinkedHashMap<>();
        List<Cell> sorted = new ArrayList<>(at);
        sorted.sort(Comparator.comparingInt(Cell::index));
        for (Cell c : sorted) {
            groups.computeIfAbsent(group(c), g -> new ArrayList<>()).add(c);
        }
        return groups.values();
    }

    private static Metric metric(List<TableSpec> tables, Config h, Problems problems) {
        String path = KEY + ".metric";
        if (!h.hasPath("metric")) {
            problems.at(h.root(), path, "is required: a metric of the main table " + tables.get(0).metrics());
            return null;
        }
        String m = h.getValue("metric").unwrapped().toString();
        TableSpec t = tables.get(0);
        if (m.contains(".")) {
            String name = m.substring(0, m.indexOf('.'));
            t = tables.stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
            m = m.substring(m.indexOf('.') + 1);
        }
        if (t == null || !t.metrics().contains(m)) {
            problems.at(h.getValue("metric"), path, "no such metric; the main table has " + tables.get(0).metrics()
                    + " (table.metric for another table's)");
            return null;
        }
        return t.metric(m);
    }

    private static int integer(Config h, String key, int dflt, int min, int max, Problems problems) {
        if (!h.hasPath(key)) {
            return dflt;
        }
        Object v = h.getValue(key).unwrapped();
        if (!(v instanceof Integer i) || i < min || i > max) {
            problems.at(h.getValue(key), KEY + "." + key, "must be a whole number in [" + min + ", " + max + "]");
            return dflt;
        }
        return i;
    }

    /** The job's plan of {@code cells} at {@code budget}. */
    private PreparedSweep<S> plan(List<Cell> at, int budget) {
        Plan<S> p = Stages.plan(prepared, schema, "params." + Schema.dashed(budgetKey), budget, at);
        units.addAll(p.units());
        lastPlan = new PreparedSweep<>(prepared.sweep(), prepared.job(), p);
        for (Cell c : at) {
            cells.add(extend(c, rung));
        }
        return lastPlan;
    }

    /** A configuration's cell at rung {@code k}: its budget appended, ordered rung by rung. */
    private Cell extend(Cell c, int k) {
        Cell e = Trials.extend(c, budgetKey, (long) rungs[k]);
        return new Cell(k * 1_000_000 + c.index(), e.names(), valuesOf(e));
    }

    private static Object[] valuesOf(Cell c) {
        Object[] v = new Object[c.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = c.value(i);
        }
        return v;
    }

    @Override
    public PreparedSweep<S> start() {
        alive = configs;
        rung = 0;
        return plan(alive, rungs[0]);
    }

    /**
     * Ranks each group's configurations of the rung (best first, NaN last, ties in grid order) and promotes each
     * group's best fraction.
     */
    @Override
    public PreparedSweep<S> next(List<Aggregate> round, Supplier<List<Aggregate>> all) {
        Column col = Tables.metric(round, metric);
        boolean lastRung = rung == rungs.length - 1;
        List<Cell> promoted = new ArrayList<>();
        for (List<Cell> group : groups(alive)) {
            List<Cell> ranked = ranked(group, col);
            int keep = lastRung ? 0 : kept(ranked.size());
            for (int i = 0; i < ranked.size(); i++) {
                Cell c = ranked.get(i);
                Aggregate a = col.get(c);
                double[] ci = Tables.ci(a);
                List<Object> row = new ArrayList<>();
                for (int j = 0; j < c.size(); j++) {
                    row.add(c.value(j));
                }
                row.addAll(List.of((long) rung, (long) rungs[rung], Tables.mean(a), ci[0], ci[1], (long) (i + 1),
                        i < keep));
                history.add(row);
            }
            promoted.addAll(ranked.subList(0, keep));
        }
        if (lastRung) {
            return null;
        }
        promoted.sort(Comparator.comparingInt(Cell::index));
        alive = promoted;
        rung++;
        return plan(alive, rungs[rung]);
    }

    /** {@code group} best first by the metric's mean in {@code col}, NaN last, ties in grid order. */
    private List<Cell> ranked(List<Cell> group, Column col) {
        List<Cell> ranked = new ArrayList<>(group);
        ranked.sort(Comparator.comparingDouble((Cell c) -> score(col.mean(c))).thenComparingInt(Cell::index));
        return ranked;
    }

    /** Lower is better after this: the metric, negated when it is maximised; NaN (every trial failed) last. */
    private double score(double mean) {
        return Double.isNaN(mean) ? Double.POSITIVE_INFINITY : maximise ? -mean : mean;
    }

    @Override
    public List<Tuple2<AggKey, Stat>> output(int round, List<Tuple2<AggKey, Stat>> collected) {
        List<Tuple2<AggKey, Stat>> out = new ArrayList<>(collected.size());
        for (Tuple2<AggKey, Stat> t : collected) {
            Stat s = new Stat(extend(t._2().cell, round));
            s.trials = t._2().trials;
            s.failed = t._2().failed;
            s.firstFailedReplicate = t._2().firstFailedReplicate;
            s.firstFailure = t._2().firstFailure;
            s.moments = t._2().moments;
            out.add(new Tuple2<>(new AggKey(t._1().table, s.cell.key(), t._1().metric), s));
        }
        return out;
    }

    @Override
    public PreparedSweep<S> whole() {
        LoadedSweep s = prepared.sweep();
        Plan<S> first = prepared.plan();
        List<Cell> sorted = new ArrayList<>(cells);
        sorted.sort(Comparator.comparingInt(Cell::index));
        Plan<S> p = new Plan<>(new Setup<>(s.identity(), s.jobConf(), schema, first.settings(), sorted),
                first.replicates(), first.tables(), units, first.costUnit());
        return new PreparedSweep<>(s, prepared.job(), p);
    }

    /**
     * The job's derived tables of the last rung, every configuration's rung history, and the last rung compared: each
     * configuration's mean with its interval, and its difference from the best with Welch's 95% interval.
     */
    @Override
    public Derived derived(List<Aggregate> all, List<Aggregate> last) {
        Derived job = lastPlan.derive(last);
        Cell first = configs.get(0);
        List<String> dims = new ArrayList<>(List.of(first.names()));
        List<String> cols = new ArrayList<>(dims);
        cols.addAll(List.of("rung", budgetKey, metric.name(), "ci95_low", "ci95_high", "rank", "promoted"));
        Column col = Tables.metric(last, metric);
        List<List<Object>> finals = new ArrayList<>();
        for (List<Cell> group : groups(alive)) {
            finals.addAll(compared(ranked(group, col), col));
        }
        List<String> finalCols = new ArrayList<>(dims);
        finalCols.addAll(List.of("rank", metric.name(), "ci95_low", "ci95_high", "gap", "gap_ci95_low",
                "gap_ci95_high", "within_ci_of_best"));
        List<Derived.DerivedTable> tables = new ArrayList<>(job.tables());
        tables.add(new Derived.DerivedTable("halving_rungs", "every configuration at every rung it ran: the rung, "
                + "its budget (" + budgetKey + "), the mean of " + metric.table() + "." + metric.name() + " over its "
                + "replicates with the 95% interval, its rank in the rung" + each()
                + " (best first, ties in grid order) and whether it was promoted to the next rung", cols, history));
        tables.add(new Derived.DerivedTable("halving_final", "the last rung's configurations at the full budget"
                + each() + ", best first: the mean of " + metric.name() + " with its 95% interval, the difference "
                + "from the best with Welch's 95% interval, and whether that interval holds 0 (within the best's "
                + "uncertainty)",
                finalCols, finals));
        return new Derived(tables, job.figures());
    }

    /** A group's last rung, best first: each configuration's mean and interval, and its gap from the group's best. */
    private static List<List<Object>> compared(List<Cell> ranked, Column col) {
        List<List<Object>> finals = new ArrayList<>();
        Moments best = ranked.isEmpty() || col.get(ranked.get(0)) == null ? null : col.get(ranked.get(0)).moments();
        for (int i = 0; i < ranked.size(); i++) {
            Cell c = ranked.get(i);
            Aggregate a = col.get(c);
            double[] ci = Tables.ci(a);
            double[] gap = best == null || a == null ? new double[] {Double.NaN, Double.NaN}
                    : Moments.welchDifferenceCi95(a.moments(), best);
            List<Object> row = new ArrayList<>();
            for (int j = 0; j < c.size(); j++) {
                row.add(c.value(j));
            }
            row.addAll(List.of((long) (i + 1), Tables.mean(a), ci[0], ci[1],
                    a == null || best == null ? Double.NaN : a.moments().mean() - best.mean(), gap[0], gap[1],
                    i == 0 || !(gap[0] > 0 || gap[1] < 0)));
            finals.add(row);
        }
        return finals;
    }

    @Override
    public boolean checkpoints() {
        return true;
    }

    @Override
    public String opening() {
        return String.format(Locale.ROOT, "%s: successive halving of %d configurations on %s (%s), rungs %s of %s, "
                + "keeping 1/%d%s", prepared.sweep().identity().id(), configs.size(), metric.name(), maximise ? "max"
                : "min", java.util.Arrays.toString(rungs), budgetKey, reduction, each());
    }

    @Override
    public String closing() {
        return String.format(Locale.ROOT, "successive halving finished: %d configuration%s at the full budget",
                alive.size(), alive.size() == 1 ? "" : "s");
    }

    /** Configurations per rung when every rung keeps the best 1/reduction of each group. */
    private int[] sizes() {
        int[] n = new int[rungs.length];
        for (List<Cell> group : groups(configs)) {
            int m = group.size();
            for (int k = 0; k < rungs.length; k++) {
                n[k] += m;
                m = kept(m);
            }
        }
        return n;
    }

    /** How many of a rung's {@code n} configurations (of one group) go on: the best 1/reduction, at least one. */
    private int kept(int n) {
        return Math.max(1, (int) Math.ceil(n / (double) reduction));
    }

    /** Budget units (configuration-epochs) the sweep spends when every rung keeps the best 1/reduction. */
    private double spent(int[] sizes) {
        double spent = 0;
        for (int k = 0; k < rungs.length; k++) {
            spent += sizes[k] * (double) (rungs[k] - (k == 0 ? 0 : rungs[k - 1]));
        }
        return spent;
    }

    /** " of each (init)": how the configurations are grouped, or nothing. */
    private String each() {
        if (per.length == 0) {
            return "";
        }
        List<String> names = new ArrayList<>();
        for (int i : per) {
            names.add(configs.get(0).names()[i]);
        }
        return " of each " + String.join(" × ", names);
    }

    @Override
    public List<String> outlook() {
        int[] n = sizes();
        double full = (double) configs.size() * rungs[rungs.length - 1];
        double spent = spent(n);
        StringBuilder at = new StringBuilder();
        for (int k = 0; k < rungs.length; k++) {
            at.append(k == 0 ? "" : ", ").append(n[k]).append(" at ").append(rungs[k]);
        }
        return List.of(String.format(Locale.ROOT, "successive halving on %s (%s), keeping 1/%d%s: %s %s",
                        metric.name(), maximise ? "max" : "min", reduction, each(), at, budgetKey),
                String.format(Locale.ROOT, "%.0f configuration-%s in all (continuing from checkpoints) against %.0f for "
                        + "the full grid (%.0f%%)", spent, budgetKey, full, 100 * spent / full));
    }

    @Override
    public double expectedCost() {
        return prepared.plan().cost() * spent(sizes()) / (configs.size() * (double) rungs[rungs.length - 1]);
    }
}
