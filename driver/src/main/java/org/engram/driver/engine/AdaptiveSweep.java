package org.engram.driver.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Supplier;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Grid;
import org.engram.jobs.config.Problems;
import org.engram.jobs.config.Schema;
import org.engram.jobs.core.Aggregate;
import org.engram.jobs.core.Boundary;
import org.engram.jobs.core.Derived;
import org.engram.jobs.core.Figure;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.Plan;
import org.engram.jobs.core.Setup;
import org.engram.jobs.core.TableSpec;
import org.engram.jobs.core.Trial;
import org.engram.jobs.core.WorkUnit;
import org.engram.jobs.sweep.LoadedSweep;
import org.engram.jobs.sweep.PreparedSweep;

/**
 * A sweep with {@code sweep.adaptive}: its boundary, the refined dimensions and their finest resolution, and
 * sequential replicates — read and checked before any work ({@link #of}) — and the plans of its rounds. Each round's
 * plan holds only work no earlier round planned, so the rounds' units together are the run's plan, every trial
 * computed once; what a round computes is decided by {@link Refinement} from the aggregates of the rounds before it,
 * which the ledger holds — a rerun replays the same rounds.
 *
 * <pre>
 * sweep.adaptive {
 *   boundary = regime                              # one the job declares (engram params lists them), or
 *   boundary { metric = converged, at = 0.5 }      # where a metric's mean crosses a value (table: the main one)
 *   refine { d = 0.0125, a = { levels = 2 } }      # the finest step, or bisections below the grid, per dimension
 *   replicates { key = weight-draws, add = 2, max = 8 }   # optional: more for a cell whose CI straddles the rule
 * }
 * </pre>
 *
 * @param <S> the job's settings
 */
public final class AdaptiveSweep<S extends Record> implements Stages {
    static final String KEY = "sweep.adaptive";

    private final PreparedSweep<S> prepared;
    private final Schema<S> schema;
    private final Boundary<S> boundary;
    private final String replicateKey;
    private final List<Cell> fine;
    private final Refinement refinement;
    private final List<Refinement.Axis> axes;
    private final Refinement.Replicates replicates;
    /** Trials planned so far ({@code table/cell/replicate}), so that no round plans one twice. */
    private final Set<String> planned = new HashSet<>();
    private final List<WorkUnit> units = new ArrayList<>();
    /** One row per round: round, new cells, cells with more replicates, trials. */
    private final List<List<Object>> rounds = new ArrayList<>();

    private AdaptiveSweep(PreparedSweep<S> prepared, Schema<S> schema, Boundary<S> boundary, String replicateKey,
                          List<Cell> fine, List<Refinement.Axis> axes, Refinement.Replicates replicates,
                          boolean inferEdges) {
        this.prepared = prepared;
        this.schema = schema;
        this.boundary = boundary;
        this.replicateKey = replicateKey;
        this.fine = fine;
        this.axes = axes;
        this.replicates = replicates;
        this.refinement = new Refinement(fine, axes, replicates, inferEdges);
    }

    /** The adaptive sweep of {@code prepared}, or null when it declares none; throws naming every problem of the section. */
    public static AdaptiveSweep<?> of(PreparedSweep<?> prepared) {
        return of(prepared, prepared.sweep().source());
    }

    private static <S extends Record> AdaptiveSweep<S> of(PreparedSweep<S> prepared, String source) {
        LoadedSweep s = prepared.sweep();
        Config eff = s.effective();
        if (!eff.hasPath(KEY)) {
            return null;
        }
        Problems problems = new Problems();
        if (eff.getValue(KEY).valueType() != ConfigValueType.OBJECT) {
            problems.at(eff, KEY, "must be an object { boundary, refine, replicates, edges }");
            problems.throwIfAny("Sweep " + source);
        }
        Config a = eff.getConfig(KEY);
        for (String k : a.root().keySet()) {
            if (!List.of("boundary", "refine", "replicates", "edges").contains(k)) {
                problems.at(a.getValue(k), KEY + "." + k, "unknown key; sweep.adaptive has boundary, refine, "
                        + "replicates and edges");
            }
        }
        String edges = a.hasPath("edges") ? String.valueOf(a.getValue("edges").unwrapped()) : "infer";
        if (!List.of("infer", "compute").contains(edges)) {
            problems.at(a.getValue("edges"), KEY + ".edges", "must be infer (the midpoint of a split box's edge "
                    + "whose ends agree takes their side) or compute (every new corner is computed), got " + edges);
        }
        boolean inferEdges = !edges.equals("compute");
        Schema<S> schema = Stages.schema(prepared.job());
        Boundary<S> boundary = boundary(prepared, a, problems);
        // the refined dimensions, their lattices and the grid at the finest resolution
        Config grid = s.jobConf().hasPath("grid") ? s.jobConf().getConfig("grid") : ConfigFactory.empty();
        Config fineGrid = grid;
        List<Refinement.Axis> axes = new ArrayList<>();
        if (!a.hasPath("refine") || a.getValue("refine").valueType() != ConfigValueType.OBJECT
                || a.getObject("refine").isEmpty()) {
            problems.at(a, KEY + ".refine", "must name the refined dimensions and their finest resolution: "
                    + "refine { d = 0.0125 } or refine { a = { levels = 2 } }");
        } else {
            for (Map.Entry<String, ConfigValue> e : a.getObject("refine").entrySet()) {
                String path = KEY + ".refine." + e.getKey();
                Lattice l = lattice(grid, e.getKey(), e.getValue(), path, problems);
                if (l != null) {
                    fineGrid = fineGrid.withValue(e.getKey(), l.fine());
                    axes.add(new Refinement.Axis(e.getKey(), 1 << l.levels(), l.log()));
                }
            }
        }
        // the refined dimensions in grid order (the last varies fastest: the x of a figure)
        List<String> order = s.jobConf().hasPath("grid") ? schema.dimensions().stream().map(d -> d.key()).toList()
                : List.of();
        axes.sort(java.util.Comparator.comparingInt(x -> order.indexOf(x.name())));
        Refinement.Replicates reps = null;
        String repKey = null;
        if (problems.isEmpty()) {
            repKey = replicateKey(schema, a, problems);
            reps = replicates(a, repKey == null ? 1 : s.jobConf().getInt("replicates." + repKey), problems);
        }
        problems.throwIfAny("Sweep " + source);
        Config fineConf = s.jobConf().withValue("grid", fineGrid.root());
        List<Cell> fine = schema.cells(fineConf, prepared.job().gridRequires(), problems);
        problems.throwIfAny("Sweep " + source);
        AdaptiveSweep<S> out = new AdaptiveSweep<>(prepared, schema, boundary, repKey, fine, axes, reps, inferEdges);
        out.checkAligned(KEY + ".replicates", problems);
        problems.throwIfAny("Sweep " + source);
        return out;
    }

    /** The boundary: one the job declares by name, or a metric cut at a value. */
    private static <S extends Record> Boundary<S> boundary(PreparedSweep<S> prepared, Config a, Problems problems) {
        Job<S> job = prepared.job();
        List<String> declared = job.boundaries().stream().map(Boundary::name).toList();
        String path = KEY + ".boundary";
        if (!a.hasPath("boundary")) {
            problems.at(a, path, "is required: " + (declared.isEmpty() ? "" : "one of " + declared + ", or ")
                    + "{ metric = <name>, at = <value> }");
            return null;
        }
        ConfigValue v = a.getValue("boundary");
        if (v.valueType() == ConfigValueType.STRING) {
            String name = (String) v.unwrapped();
            for (Boundary<S> b : job.boundaries()) {
                if (b.name().equals(name)) {
                    return b;
                }
            }
            problems.at(v, path, "no boundary '" + name + "' in " + job.id() + (declared.isEmpty()
                    ? " (it declares none): cut a metric with { metric = <name>, at = <value> }"
                    : "; it declares " + declared + ", or cut a metric with { metric = <name>, at = <value> }"));
            return null;
        }
        if (v.valueType() != ConfigValueType.OBJECT) {
            problems.at(v, path, "must be a declared boundary's name or { metric = <name>, at = <value> }");
            return null;
        }
        Config b = ((ConfigObject) v).toConfig();
        for (String k : b.root().keySet()) {
            if (!List.of("table", "metric", "at").contains(k)) {
                problems.at(b.getValue(k), path + "." + k, "unknown key; a boundary has metric, at and table");
            }
        }
        TableSpec table = prepared.plan().tables().get(0);
        if (b.hasPath("table")) {
            String t = b.getValue("table").unwrapped().toString();
            table = prepared.plan().tables().stream().filter(x -> x.name().equals(t)).findFirst().orElse(null);
            if (table == null) {
                problems.at(b.getValue("table"), path + ".table", "no table '" + t + "'; the job writes "
                        + prepared.plan().tables().stream().map(TableSpec::name).toList());
                return null;
            }
        }
        if (!b.hasPath("metric") || !table.metrics().contains(b.getValue("metric").unwrapped().toString())) {
            problems.at(b.hasPath("metric") ? b.getValue("metric") : v, path + ".metric", "must be a metric of table "
                    + table.name() + ": " + table.metrics());
            return null;
        }
        Object at = b.hasPath("at") ? b.getValue("at").unwrapped() : null;
        if (!(at instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            problems.at(b.hasPath("at") ? b.getValue("at") : v, path + ".at", "must be a finite number: the value the "
                    + "metric's mean is cut at (mean >= at is above)");
            return null;
        }
        return Boundary.threshold(table.metric(b.getString("metric")), n.doubleValue());
    }

    /** A refined dimension's lattice: its values at the finest resolution as a grid entry, and the bisection levels. */
    private record Lattice(ConfigValue fine, int levels, boolean log) {
    }

    private static Lattice lattice(Config grid, String dim, ConfigValue res, String path, Problems problems) {
        if (!grid.root().containsKey(dim)) {
            problems.at(res, path, "'" + dim + "' is not a dimension of the grid (refined dimensions are given as a "
                    + "range or a list of at least two values, not zipped); the grid has " + grid.root().keySet());
            return null;
        }
        ConfigValue g = grid.root().get(dim);
        // the levels asked for directly, or found from the finest step
        Integer levels = null;
        Double step = null;
        if (res.valueType() == ConfigValueType.OBJECT) {
            Config r = ((ConfigObject) res).toConfig();
            Object lv = r.hasPath("levels") ? r.getValue("levels").unwrapped() : null;
            if (r.root().size() != 1 || !(lv instanceof Integer i) || i < 1 || i > 16) {
                problems.at(res, path, "must be a finest step (a number) or { levels = 1..16 } (bisections of each "
                        + "grid step)");
                return null;
            }
            levels = (Integer) lv;
        } else if (res.unwrapped() instanceof Number n && n.doubleValue() > 0 && Double.isFinite(n.doubleValue())) {
            step = n.doubleValue();
        } else {
            problems.at(res, path, "must be a positive finest step or { levels = k }");
            return null;
        }
        if (g.valueType() == ConfigValueType.LIST) {
            List<Double> xs = new ArrayList<>();
            for (ConfigValue x : (ConfigList) g) {
                if (!(x.unwrapped() instanceof Number n)) {
                    problems.at(x, "grid." + dim, "a refined dimension's values must be numbers");
                    return null;
                }
                xs.add(n.doubleValue());
            }
            for (int i = 1; i < xs.size(); i++) {
                if (xs.get(i) <= xs.get(i - 1)) {
                    problems.at(g, "grid." + dim, "a refined dimension's list must be ascending: " + xs);
                    return null;
                }
            }
            if (xs.size() < 2) {
                problems.at(g, "grid." + dim, "a refined dimension needs at least two grid values");
                return null;
            }
            double gap = 0;
            for (int i = 1; i < xs.size(); i++) {
                gap = Math.max(gap, xs.get(i) - xs.get(i - 1));
            }
            int l = levels != null ? levels : levelsFor(gap, step, res, path, problems);
            if (l < 0) {
                return null;
            }
            List<Object> out = new ArrayList<>();
            for (int i = 0; i + 1 < xs.size(); i++) {
                for (int j = 0; j < 1 << l; j++) {
                    double x = xs.get(i) + (xs.get(i + 1) - xs.get(i)) * j / (1 << l);
                    out.add(j == 0 ? xs.get(i) : Grid.round12(x));
                }
            }
            out.add(xs.get(xs.size() - 1));
            return new Lattice(ConfigValueFactory.fromIterable(out), l, false);
        }
        if (g.valueType() != ConfigValueType.OBJECT || ((ConfigObject) g).containsKey("zip")) {
            problems.at(g, "grid." + dim, "a refined dimension must be a range or a list of at least two values "
                    + "(not a single value or a zip group)");
            return null;
        }
        Config r = ((ConfigObject) g).toConfig();
        boolean log = r.hasPath("scale") && "log".equals(r.getValue("scale").unwrapped());
        if (!r.hasPath("from") || !r.hasPath("to")) {
            return null; // the grid's own check names it
        }
        double from = r.getDouble("from");
        double to = r.getDouble("to");
        if (r.hasPath("step")) {
            double s = r.getDouble("step");
            long n = (long) Math.floor((to - from) / s + 1e-9) + 1;
            if (n < 2) {
                problems.at(g, "grid." + dim, "a refined dimension needs at least two grid values");
                return null;
            }
            int l = levels != null ? levels : levelsFor(s, step, res, path, problems);
            if (l < 0) {
                return null;
            }
            // the lattice ends at the grid's last value, with the grid's own arithmetic: a full grid at this step
            // has the same values, so its cells and seeds are the same
            return new Lattice(ConfigValueFactory.fromMap(Map.of("from", from, "to", Grid.round12(from + (n - 1) * s),
                    "step", s / (1 << l))), l, false);
        }
        if (!r.hasPath("count")) {
            return null;
        }
        int count = r.getInt("count");
        if (count < 2) {
            problems.at(g, "grid." + dim, "a refined dimension needs at least two grid values");
            return null;
        }
        if (log && step != null) {
            problems.at(res, path, "a log-scaled dimension is refined by bisections: " + path + " = { levels = 3 }");
            return null;
        }
        int l = levels != null ? levels : levelsFor((to - from) / (count - 1), step, res, path, problems);
        if (l < 0) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", from);
        m.put("to", to);
        m.put("count", (count - 1) * (1 << l) + 1);
        if (log) {
            m.put("scale", "log");
        }
        return new Lattice(ConfigValueFactory.fromMap(m), l, log);
    }

    /** The bisections that take a grid step {@code gap} to at most {@code step}; -1 after a problem. */
    private static int levelsFor(double gap, double step, ConfigValue res, String path, Problems problems) {
        if (step >= gap) {
            problems.at(res, path, String.format(Locale.ROOT, "the finest step %s is not finer than the grid's step "
                    + "%s: nothing to refine", Cell.format(step), Cell.format(gap)));
            return -1;
        }
        int l = (int) Math.ceil(Math.log(gap / step) / Math.log(2) - 1e-9);
        if (l > 16) {
            problems.at(res, path, "more than 16 bisections of the grid's step " + Cell.format(gap));
            return -1;
        }
        return l;
    }

    /** The replicate count that sequential replicates raise: named, or the job's only one; null when none is asked. */
    private static String replicateKey(Schema<?> schema, Config a, Problems problems) {
        List<String> keys = schema.flat().stream().filter(e -> Schema.isReplicateCount(e.component()))
                .map(Schema.Entry::key).toList();
        if (!a.hasPath("replicates")) {
            return keys.isEmpty() ? null : keys.get(keys.size() - 1);
        }
        String path = KEY + ".replicates";
        if (keys.isEmpty()) {
            problems.at(a.getValue("replicates"), path, "the job has no replicate count to raise");
            return null;
        }
        if (a.getValue("replicates").valueType() != ConfigValueType.OBJECT) {
            problems.at(a.getValue("replicates"), path, "must be { add = k, max = m } (and key = one of " + keys + ")");
            return null;
        }
        Config r = a.getConfig("replicates");
        if (r.hasPath("key")) {
            String k = r.getValue("key").unwrapped().toString();
            if (!keys.contains(k)) {
                problems.at(r.getValue("key"), path + ".key", "must be one of the job's replicate counts " + keys);
                return null;
            }
            return k;
        }
        if (keys.size() != 1) {
            problems.at(a.getValue("replicates"), path + ".key", "is required: the job counts replicates by " + keys);
            return null;
        }
        return keys.get(0);
    }

    private static Refinement.Replicates replicates(Config a, int base, Problems problems) {
        if (!a.hasPath("replicates")) {
            return Refinement.Replicates.none(base);
        }
        Config r = a.getConfig("replicates");
        String path = KEY + ".replicates";
        for (String k : r.root().keySet()) {
            if (!List.of("key", "add", "max").contains(k)) {
                problems.at(r.getValue(k), path + "." + k, "unknown key; replicates has add, max and key");
            }
        }
        Object add = r.hasPath("add") ? r.getValue("add").unwrapped() : null;
        Object max = r.hasPath("max") ? r.getValue("max").unwrapped() : null;
        if (!(add instanceof Integer ad) || ad < 1) {
            problems.at(r.hasPath("add") ? r.getValue("add") : r.root(), path + ".add", "must be a whole number >= 1: "
                    + "the replicates an undecided cell gets per round");
            return null;
        }
        if (!(max instanceof Integer mx) || mx < base) {
            problems.at(r.hasPath("max") ? r.getValue("max") : r.root(), path + ".max", "must be a whole number >= "
                    + "the replicates every cell starts with (" + base + ")");
            return null;
        }
        return new Refinement.Replicates(base, ad, mx);
    }

    /**
     * Sequential replicates need units that split along replicates: the units of {@code base + add} replicates of a
     * cell are those of {@code base} and others with none of their trials. Checked on the first cell, before any work.
     */
    private void checkAligned(String path, Problems problems) {
        Refinement.Replicates r = replicates;
        if (r.add() == 0 || fine.isEmpty()) {
            return;
        }
        Cell c = fine.get(0);
        Set<String> first = new HashSet<>();
        for (WorkUnit u : plan(List.of(c), r.base()).units()) {
            u.trialsOwed().forEach(t -> first.add(id(t)));
        }
        for (WorkUnit u : plan(List.of(c), Math.min(r.max(), r.base() + r.add())).units()) {
            long inside = u.trialsOwed().stream().filter(t -> first.contains(id(t))).count();
            if (inside > 0 && inside < u.trialsOwed().size()) {
                problems.add(prepared.sweep().source(), path, null, "the job's units of " + (r.base() + r.add())
                        + " replicates do not contain those of " + r.base() + " whole (unit " + u.key() + "): make the "
                        + "starting " + replicateKey + " and add multiples of the replicates one unit holds");
                return;
            }
        }
    }

    private static String id(Trial t) {
        return t.table() + "/" + t.cell().key() + "/" + t.replicate();
    }

    /** The job's plan of {@code cells} at {@code count} of the refined replicate count. */
    private Plan<S> plan(List<Cell> cells, int count) {
        return Stages.plan(prepared, schema, replicateKey == null ? null : "replicates." + replicateKey, count, cells);
    }

    /** Round 0: the grid. */
    @Override
    public PreparedSweep<S> start() {
        return round(refinement.start(), Map.of());
    }

    /** The next round from the aggregates of every round so far, or null when the refinement is finished. */
    @Override
    public PreparedSweep<S> next(List<Aggregate> round, Supplier<List<Aggregate>> all) {
        Refinement.Step step = refinement.next(sides(all.get()));
        return step.done() ? null : round(step.fresh(), step.more());
    }

    /** The plan of the work a round adds: new cells, and the new replicates of others. */
    private PreparedSweep<S> round(List<Cell> fresh, Map<Cell, Integer> more) {
        List<WorkUnit> roundUnits = new ArrayList<>();
        Map<Integer, List<Cell>> byCount = new TreeMap<>();
        if (!fresh.isEmpty()) {
            byCount.put(replicates.base(), new ArrayList<>(fresh));
        }
        more.forEach((c, n) -> byCount.computeIfAbsent(n, k -> new ArrayList<>()).add(c));
        Plan<S> any = null;
        long trials = 0;
        for (Map.Entry<Integer, List<Cell>> e : byCount.entrySet()) {
            List<Cell> cells = new ArrayList<>(e.getValue());
            cells.sort(java.util.Comparator.comparingInt(Cell::index));
            Plan<S> p = plan(cells, e.getKey());
            any = p;
            for (WorkUnit u : p.units()) {
                List<String> ids = u.trialsOwed().stream().map(AdaptiveSweep::id).toList();
                long before = ids.stream().filter(planned::contains).count();
                if (before == ids.size()) {
                    continue; // planned by an earlier round
                }
                if (before > 0) {
                    throw new IllegalStateException("unit " + u.key() + " holds trials an earlier round planned and "
                            + "new ones: the job's units do not split along " + replicateKey);
                }
                planned.addAll(ids);
                roundUnits.add(u);
                trials += u.trials();
            }
        }
        units.addAll(roundUnits);
        rounds.add(org.engram.jobs.core.Tables.row((long) rounds.size(), (long) fresh.size(), (long) more.size(), trials));
        Plan<S> p = new Plan<>(setup(cellsOf(fresh, more)), prepared.plan().replicates(), any.tables(), roundUnits,
                any.costUnit());
        return new PreparedSweep<>(prepared.sweep(), prepared.job(), p);
    }

    private static List<Cell> cellsOf(List<Cell> fresh, Map<Cell, Integer> more) {
        Map<Integer, Cell> m = new TreeMap<>();
        fresh.forEach(c -> m.put(c.index(), c));
        more.keySet().forEach(c -> m.put(c.index(), c));
        return List.copyOf(m.values());
    }

    private Setup<S> setup(List<Cell> cells) {
        Plan<S> p = prepared.plan();
        return new Setup<>(prepared.sweep().identity(), prepared.sweep().jobConf(), schema, p.settings(), cells);
    }

    /** The sides of the computed cells, read by the boundary from the aggregates of every round so far. */
    Function<Cell, Boundary.Side> sides(List<Aggregate> aggregates) {
        return boundary.reader().read(prepared.plan().settings(), aggregates);
    }

    /** A round's aggregates are the run's as they are: a cell is one cell in every round. */
    @Override
    public List<scala.Tuple2<AggKey, Stat>> output(int round, List<scala.Tuple2<AggKey, Stat>> collected) {
        return collected;
    }

    @Override
    public boolean checkpoints() {
        return false;
    }

    @Override
    public String opening() {
        return String.format(Locale.ROOT, "%s: adaptive sweep of '%s', at most %d cells at the finest resolution",
                prepared.sweep().identity().id(), boundary.name(), fine.size());
    }

    @Override
    public String closing() {
        return String.format(Locale.ROOT, "adaptive sweep finished after %d rounds: %d of %d cells computed",
                rounds.size(), refinement.computed().size(), fine.size());
    }

    /** The run's plan: every computed cell, every round's units. */
    @Override
    public PreparedSweep<S> whole() {
        Plan<S> first = prepared.plan();
        Plan<S> p = new Plan<>(setup(List.copyOf(refinement.computed().keySet())), first.replicates(), first.tables(),
                units, first.costUnit());
        return new PreparedSweep<>(prepared.sweep(), prepared.job(), p);
    }

    /**
     * What the refinement adds to the job's derived tables: the boundary (each bracket: two computed cells one lattice
     * step apart on different sides, its point the midpoint — geometric on a log axis — and its uncertainty the
     * bracket), every computed cell with its side and the round it joined, and the rounds.
     */
    @Override
    public Derived derived(List<Aggregate> aggregates, List<Aggregate> last) {
        Derived job = whole().derive(aggregates);
        Function<Cell, Boundary.Side> sides = sides(aggregates);
        List<String> plain = new ArrayList<>();
        Cell first = fine.get(0);
        for (int i = 0; i < first.size(); i++) {
            String n = first.name(i);
            if (axes.stream().noneMatch(x -> x.name().equals(n))) {
                plain.add(n);
            }
        }
        List<String> cols = new ArrayList<>(plain);
        cols.add("along");
        for (Refinement.Axis x : axes) {
            cols.add(x.name());
            cols.add(x.name() + "_low");
            cols.add(x.name() + "_high");
        }
        cols.addAll(List.of("side_low", "side_high"));
        List<List<Object>> rows = new ArrayList<>();
        for (Refinement.Bracket b : refinement.brackets(sides)) {
            List<Object> r = new ArrayList<>();
            plain.forEach(n -> r.add(b.low().get(n)));
            r.add(axes.get(b.axis()).name());
            for (Refinement.Axis x : axes) {
                double lo = b.low().getDouble(x.name());
                double hi = b.high().getDouble(x.name());
                r.add(x.log() && lo > 0 ? Math.sqrt(lo * hi) : (lo + hi) / 2);
                r.add(lo);
                r.add(hi);
            }
            r.add(sides.apply(b.low()).label());
            r.add(sides.apply(b.high()).label());
            rows.add(r);
        }
        List<String> cellCols = new ArrayList<>(plain);
        axes.forEach(x -> cellCols.add(x.name()));
        cellCols.addAll(List.of("round", "replicates", "side", "decided"));
        List<List<Object>> cells = new ArrayList<>();
        refinement.computed().forEach((c, n) -> {
            List<Object> r = new ArrayList<>();
            plain.forEach(x -> r.add(c.get(x)));
            axes.forEach(x -> r.add(c.get(x.name())));
            Boundary.Side side = sides.apply(c);
            r.addAll(List.of((long) refinement.level(c), (long) n, side.label(), side.decided()));
            cells.add(r);
        });
        String unit = replicateKey == null ? "replicates" : replicateKey;
        List<Derived.DerivedTable> tables = new ArrayList<>(job.tables());
        List<Figure> figures = new ArrayList<>(job.figures());
        figures.addAll(tiles(sides, plain));
        tables.addAll(List.of(
                new Derived.DerivedTable("adaptive_boundary", "the boundary '" + boundary.name() + "' as the "
                        + "refinement found it: one row per bracket — two computed cells one lattice step apart along "
                        + "'along' whose sides differ; each refined dimension's point (the midpoint, geometric on a "
                        + "log axis) and its bracket (_low, _high: the uncertainty)", cols, rows),
                new Derived.DerivedTable("adaptive_cells", "every cell the refinement computed: the round it joined "
                        + "(0: the grid), its " + unit + ", its side of the boundary and whether that side is decided "
                        + "(its confidence interval clears the rule)", cellCols, cells),
                new Derived.DerivedTable("adaptive_rounds", "one row per round: new cells, cells given more "
                        + unit + ", and the trials the round added", List.of("round", "new_cells",
                        "more_replicates", "trials"), rounds)));
        return new Derived(tables, figures);
    }

    /**
     * In two refined dimensions, one figure per group: every computed (or inferred) cell as large as the lattice was
     * fine where it was computed (±stride / 2^(round+1) lattice steps, at least half a step), coloured by side (an
     * inferred cell by the side of the edge it lies on), finer cells over coarser ones, and the boundary drawn between
     * each bracket's cells. x is the later dimension in grid order.
     */
    private List<Figure> tiles(Function<Cell, Boundary.Side> sides, List<String> plain) {
        if (axes.size() != 2) {
            return List.of();
        }
        Map<String, List<Cell>> groups = new LinkedHashMap<>();
        List<Cell> drawn = new ArrayList<>(refinement.computed().keySet());
        drawn.addAll(refinement.inferred().keySet());
        drawn.sort(java.util.Comparator.comparingInt(Cell::index));
        Function<Cell, String> label = c -> refinement.inferred().containsKey(c) ? refinement.inferred().get(c)
                : sides.apply(c).label();
        for (Cell c : drawn) {
            Cell g = c;
            for (Refinement.Axis x : axes) {
                g = g.without(x.name());
            }
            groups.computeIfAbsent(g.key(), k -> new ArrayList<>()).add(c);
        }
        List<Figure> out = new ArrayList<>();
        Map<String, List<Refinement.Bracket>> brackets = new LinkedHashMap<>();
        for (Refinement.Bracket b : refinement.brackets(sides)) {
            Cell g = b.low();
            for (Refinement.Axis x : axes) {
                g = g.without(x.name());
            }
            brackets.computeIfAbsent(g.key(), k -> new ArrayList<>()).add(b);
        }
        Refinement.Axis ya = axes.get(0);
        Refinement.Axis xa = axes.get(1);
        groups.forEach((group, cells) -> {
            List<Cell> byLevel = new ArrayList<>(cells);
            byLevel.sort(java.util.Comparator.comparingInt(refinement::level));
            List<Figure.Tile> tiles = new ArrayList<>();
            for (Cell c : byLevel) {
                int[] at = refinement.coordinates(c);
                int l = refinement.level(c);
                double hy = Math.max(0.5, ya.stride() / Math.pow(2, l + 1));
                double hx = Math.max(0.5, xa.stride() / Math.pow(2, l + 1));
                tiles.add(new Figure.Tile(refinement.value(1, at[1] - hx), refinement.value(1, at[1] + hx),
                        refinement.value(0, at[0] - hy), refinement.value(0, at[0] + hy), label.apply(c)));
            }
            List<Double> bx = new ArrayList<>();
            List<Double> by = new ArrayList<>();
            for (Refinement.Bracket b : brackets.getOrDefault(group, List.of())) {
                int[] at = refinement.coordinates(b.low());
                // the edge between the bracket's two cells: across the axis it lies along, half a step each way
                double[] y = b.axis() == 0 ? new double[] {at[0] + 0.5, at[0] + 0.5} : new double[] {at[0] - 0.5,
                        at[0] + 0.5};
                double[] x = b.axis() == 1 ? new double[] {at[1] + 0.5, at[1] + 0.5} : new double[] {at[1] - 0.5,
                        at[1] + 0.5};
                bx.addAll(List.of(refinement.value(1, x[0]), refinement.value(1, x[1]), Double.NaN));
                by.addAll(List.of(refinement.value(0, y[0]), refinement.value(0, y[1]), Double.NaN));
            }
            List<Figure.Series> lines = bx.isEmpty() ? List.of() : List.of(Figure.Series.reference("boundary '"
                    + boundary.name() + "'", bx.stream().mapToDouble(Double::doubleValue).toArray(),
                    by.stream().mapToDouble(Double::doubleValue).toArray()));
            String suffix = plain.isEmpty() ? "" : "_" + group.replaceAll("[^A-Za-z0-9.]+", "_");
            out.add(new Figure.Tiles("adaptive" + suffix, "Adaptive refinement of '" + boundary.name() + "'"
                    + (group.isEmpty() ? "" : ", " + group) + ": " + cells.stream().filter(refinement.computed()::containsKey)
                    .count() + " cells computed", xa.name(), xa.log(),
                    ya.name(), ya.log(), tiles, lines, "each cell as large as the lattice was fine where it was computed"));
        });
        return out;
    }

    /**
     * What {@code engram plan} says of an adaptive sweep: the grid it starts from, the upper bound (every lattice cell
     * at the finest resolution, with the most replicates) and the expected size (one flat boundary crossing each group
     * once: {@link Refinement#expected}), in cells, trials and the plan's cost, per cell as the grid's plan costs them.
     */
    @Override
    public List<String> outlook() {
        Plan<S> grid = prepared.plan();
        double cells = grid.cells().size();
        double trialsPerCell = grid.trials() / cells;
        double costPerCell = grid.cost() / cells;
        double most = replicates.max() / (double) replicates.base();
        int expected = Refinement.expected(fine, axes, refinement.infersEdges());
        List<String> out = new ArrayList<>();
        StringBuilder what = new StringBuilder("boundary '" + boundary.name() + "', refining ");
        for (int i = 0; i < axes.size(); i++) {
            int levels = Integer.numberOfTrailingZeros(axes.get(i).stride());
            what.append(i == 0 ? "" : ", ").append(axes.get(i).name()).append(" (").append(levels)
                    .append(levels == 1 ? " bisection" : " bisections").append(" of the grid's step)");
        }
        if (replicates.add() > 0) {
            what.append("; undecided cells +").append(replicates.add()).append(" ").append(replicateKey)
                    .append(" a round up to ").append(replicates.max());
        }
        out.add(what.toString());
        out.add(String.format(Locale.ROOT, "round 0 (the grid): %d cells, %d trials, cost %.3g %s", grid.cells().size(),
                grid.trials(), grid.cost(), grid.costUnit()));
        out.add(String.format(Locale.ROOT, "upper bound (every lattice cell, most replicates): %d cells, %.0f trials, "
                + "cost %.3g", fine.size(), fine.size() * trialsPerCell * most, fine.size() * costPerCell * most));
        out.add(String.format(Locale.ROOT, "expected (one flat boundary crossing each group once): %d cells, %.0f trials, "
                + "cost %.3g (%.0f%% of the upper bound)", expected, expected * trialsPerCell, expected * costPerCell,
                100.0 * expected / fine.size() / most));
        return out;
    }

    /** The expected cost ({@link #outlook}), for the wall-time estimate. */
    @Override
    public double expectedCost() {
        Plan<S> grid = prepared.plan();
        return Refinement.expected(fine, axes, refinement.infersEdges()) * grid.cost() / grid.cells().size();
    }
}
