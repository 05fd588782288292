package org.engram.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Problems;

/**
 * Expands the {@code grid} section of a sweep into cells. Each dimension is one of
 * <ul>
 *   <li>a value: {@code jd = 1.5}</li>
 *   <li>a list: {@code n = [100, 1000, 10000]}</li>
 *   <li>a linear range, ends included: {@code d = { from = 1.0, to = 1.9, step = 0.1 }} or
 *       {@code { from = 0, to = 1, count = 11 }}</li>
 *   <li>a log range: {@code a = { from = 0.01, to = 10, count = 10, scale = log }}</li>
 * </ul>
 * and dimensions that advance together are zipped: {@code size = { zip { n = [100, 1000],
 * initial-states = [50, 10] } }}. Cells are the product of the dimensions in the job's order (a zip
 * group's members in that order, the group where its first member would sit), the last dimension varying fastest:
 * a cell's key, and so its trials' seeds, depend on its values alone, not on the other rows of its zip.
 */
public final class Grid {
    /** Largest grid accepted (a typo such as step = 1e-9 must not plan a billion cells). */
    public static final int MAX_CELLS = 1_000_000;

    private Grid() {
    }

    /** One axis of the product: one dimension, or several zipped ones, and their value tuples. */
    private record Axis(List<String> names, List<Object[]> tuples) {
    }

    /**
     * Expands the grid over declared parameters: each {@link Param} serves as the dimension of its key.
     */
    public static List<Cell> expand(Config conf, List<? extends Param<?>> params, List<? extends Param<?>> required,
                                    Problems problems) {
        List<Dimension> dims = new ArrayList<>();
        for (Param<?> p : params) {
            dims.add(p.dimension());
        }
        Config grid = conf.hasPath("grid") ? conf.getConfig("grid") : com.typesafe.config.ConfigFactory.empty();
        return expand(grid, "grid", dims, required.stream().map(Param::key).toList(), problems);
    }

    /**
     * @param grid     the grid section (its keys are dimension names or zip groups)
     * @param path     the path of the section, for messages
     * @param dims     the dimensions the job accepts, in canonical order
     * @param required names that must be present
     */
    public static List<Cell> expand(Config grid, String path, List<Dimension> dims, List<String> required,
                                    Problems problems) {
        Map<String, Dimension> byName = new LinkedHashMap<>();
        for (Dimension d : dims) {
            byName.put(d.name(), d);
        }
        List<Axis> axes = axes(grid, path, byName, problems);
        if (axes == null || !hasRequired(axes, grid, path, required, problems)) {
            return List.of();
        }
        // order axes by the job's canonical order of their first member
        List<String> order = new ArrayList<>(byName.keySet());
        axes.sort((x, y) -> Integer.compare(order.indexOf(x.names().get(0)), order.indexOf(y.names().get(0))));
        return product(axes, grid, path, problems);
    }

    /**
     * The number of cells a job conf's grid would expand to, counted without expanding or validating it (a list
     * counts its values, a range its steps, a zip group its first list, a value 1) — for the plan's size cap.
     */
    public static double count(Config jobConf) {
        if (!jobConf.hasPath("grid")) {
            return 1;
        }
        double total = 1;
        for (Map.Entry<String, ConfigValue> e : jobConf.getConfig("grid").root().entrySet()) {
            total *= count(e.getValue());
        }
        return total;
    }

    private static double count(ConfigValue v) {
        if (v.valueType() == ConfigValueType.LIST) {
            return Math.max(1, ((com.typesafe.config.ConfigList) v).size());
        }
        if (v.valueType() != ConfigValueType.OBJECT) {
            return 1;
        }
        ConfigObject o = (ConfigObject) v;
        if (o.containsKey("zip") && o.get("zip").valueType() == ConfigValueType.OBJECT) {
            for (ConfigValue z : ((ConfigObject) o.get("zip")).values()) {
                return count(z);
            }
            return 1;
        }
        try {
            Config c = o.toConfig();
            if (c.hasPath("count")) {
                return Math.max(1, c.getDouble("count"));
            }
            if (c.hasPath("from") && c.hasPath("to") && c.hasPath("step") && c.getDouble("step") > 0) {
                return Math.floor((c.getDouble("to") - c.getDouble("from")) / c.getDouble("step") + 1e-9) + 1;
            }
        } catch (com.typesafe.config.ConfigException e) {
            return 1; // malformed: the expansion reports it
        }
        return 1;
    }

    /** Stage 1: the grid section's keys as axes (a dimension, or a zip group); null after a problem. */
    private static List<Axis> axes(Config grid, String path, Map<String, Dimension> byName, Problems problems) {
        Map<String, Axis> axisOf = new LinkedHashMap<>();
        List<Axis> axes = new ArrayList<>();
        boolean ok = true;
        for (Map.Entry<String, ConfigValue> e : grid.root().entrySet()) {
            String kpath = path + "." + e.getKey();
            ConfigValue v = e.getValue();
            Axis axis = v.valueType() == ConfigValueType.OBJECT && ((ConfigObject) v).containsKey("zip")
                    ? zipAxis((ConfigObject) v, kpath, byName, problems)
                    : singleAxis(e.getKey(), v, kpath, byName, problems);
            if (axis == null) {
                ok = false;
                continue;
            }
            for (String n : axis.names()) {
                if (axisOf.containsKey(n)) {
                    problems.at(v, kpath, "dimension '" + n + "' is given twice");
                    ok = false;
                }
                axisOf.put(n, axis);
            }
            axes.add(axis);
        }
        return ok ? axes : null;
    }

    /** One dimension's values as an axis, or null after a problem. */
    private static Axis singleAxis(String key, ConfigValue v, String kpath, Map<String, Dimension> byName,
                                   Problems problems) {
        Dimension dim = byName.get(key);
        if (dim == null) {
            problems.at(v, kpath, "unknown dimension; this job accepts " + byName.keySet() + " (or a zip group)");
            return null;
        }
        List<Object> vals = values(v, kpath, dim, problems);
        if (vals == null) {
            return null;
        }
        List<Object[]> tuples = new ArrayList<>();
        for (Object o : vals) {
            tuples.add(new Object[] {o});
        }
        return new Axis(List.of(key), tuples);
    }

    /** Dimensions that advance together ({@code zip { a = [..], b = [..] }}) as one axis, or null after a problem. */
    private static Axis zipAxis(ConfigObject obj, String kpath, Map<String, Dimension> byName, Problems problems) {
        if (obj.size() != 1) {
            problems.at(obj, kpath, "a zip group holds only 'zip { dimension = [values], ... }'");
            return null;
        }
        ConfigValue z = obj.get("zip");
        if (z.valueType() != ConfigValueType.OBJECT || ((ConfigObject) z).isEmpty()) {
            problems.at(z, kpath + ".zip", "must be an object of dimension lists");
            return null;
        }
        List<String> names = new ArrayList<>();
        List<List<Object>> columns = new ArrayList<>();
        int len = -1;
        boolean ok = true;
        // the members in the job's canonical order, as the axes: the order HOCON hands an object's entries in
        // follows the hash of each key with its list, so adding a row would reorder a cell's key and reseed it
        List<String> canonical = new ArrayList<>(byName.keySet());
        List<Map.Entry<String, ConfigValue>> members = new ArrayList<>(((ConfigObject) z).entrySet());
        members.sort(java.util.Comparator.comparingInt(e -> canonical.indexOf(e.getKey())));
        for (Map.Entry<String, ConfigValue> ze : members) {
            String dpath = kpath + ".zip." + ze.getKey();
            Dimension dim = byName.get(ze.getKey());
            if (dim == null) {
                problems.at(ze.getValue(), dpath, "unknown dimension; this job accepts " + byName.keySet());
                ok = false;
                continue;
            }
            List<Object> vals = values(ze.getValue(), dpath, dim, false, problems);
            if (vals == null) {
                ok = false;
                continue;
            }
            if (len >= 0 && vals.size() != len) {
                problems.at(ze.getValue(), dpath, "zipped dimensions need equal lengths: " + vals.size()
                        + " values here, " + len + " in " + names.get(0));
                ok = false;
                continue;
            }
            len = vals.size();
            names.add(ze.getKey());
            columns.add(vals);
        }
        if (!ok || names.isEmpty() || len <= 0) {
            return null;
        }
        List<Object[]> tuples = new ArrayList<>();
        List<List<Object>> seen = new ArrayList<>();
        for (int i = 0; i < len; i++) {
            Object[] t = new Object[names.size()];
            for (int c = 0; c < names.size(); c++) {
                t[c] = columns.get(c).get(i);
            }
            if (seen.contains(List.of(t))) {
                problems.at(z, kpath + ".zip", "row " + (i + 1) + " " + List.of(t) + " of " + names + " is given twice: "
                        + "the cell would be run twice and its replicates counted double");
                return null;
            }
            seen.add(List.of(t));
            tuples.add(t);
        }
        return new Axis(names, tuples);
    }

    /** Stage 2: every required dimension is on some axis. */
    private static boolean hasRequired(List<Axis> axes, Config grid, String path, List<String> required,
                                       Problems problems) {
        for (String r : required) {
            if (axes.stream().noneMatch(a -> a.names().contains(r))) {
                problems.at(grid, path + "." + r, "required dimension is missing");
                return false;
            }
        }
        return true;
    }

    /** Stage 3: the product of the axes, the last varying fastest (refused above {@link #MAX_CELLS}). */
    private static List<Cell> product(List<Axis> axes, Config grid, String path, Problems problems) {
        long total = 1;
        for (Axis a : axes) {
            total *= a.tuples().size();
            if (total > MAX_CELLS) {
                problems.at(grid, path, "the grid has more than " + MAX_CELLS + " cells");
                return List.of();
            }
        }
        List<String> names = new ArrayList<>();
        for (Axis a : axes) {
            names.addAll(a.names());
        }
        String[] nameArr = names.toArray(new String[0]);
        List<Cell> cells = new ArrayList<>();
        int[] idx = new int[axes.size()];
        for (int c = 0; c < total; c++) {
            List<Object> vals = new ArrayList<>();
            for (int a = 0; a < axes.size(); a++) {
                for (Object o : axes.get(a).tuples().get(idx[a])) {
                    vals.add(o);
                }
            }
            cells.add(new Cell(c, nameArr, vals.toArray()));
            for (int a = axes.size() - 1; a >= 0; a--) {
                if (++idx[a] < axes.get(a).tuples().size()) {
                    break;
                }
                idx[a] = 0;
            }
        }
        return cells;
    }

    /** The values of one dimension, or null after reporting a problem. */
    static List<Object> values(ConfigValue v, String path, Dimension dim, Problems problems) {
        return values(v, path, dim, true, problems);
    }

    /**
     * @param unique whether a repeated value is an error (it is for a dimension on its own; a zipped column may
     *               repeat values, its rows may not)
     */
    static List<Object> values(ConfigValue v, String path, Dimension dim, boolean unique, Problems problems) {
        List<Object> out = new ArrayList<>();
        switch (v.valueType()) {
            case LIST -> {
                ConfigList list = (ConfigList) v;
                if (list.isEmpty()) {
                    problems.at(v, path, "an empty list gives an empty grid");
                    return null;
                }
                for (int i = 0; i < list.size(); i++) {
                    Object o = scalar(list.get(i), path + "[" + i + "]", dim, problems);
                    if (o == null) {
                        return null;
                    }
                    if (unique && out.contains(o)) {
                        problems.at(list.get(i), path, "the value " + Cell.format(o) + " is given twice: the cell would "
                                + "be run twice and its replicates counted double (raise the replicates instead)");
                        return null;
                    }
                    out.add(o);
                }
            }
            case OBJECT -> {
                List<Object> r = range((ConfigObject) v, path, dim, problems);
                if (r == null) {
                    return null;
                }
                out.addAll(r);
            }
            default -> {
                Object o = scalar(v, path, dim, problems);
                if (o == null) {
                    return null;
                }
                out.add(o);
            }
        }
        return out;
    }

    private static Object scalar(ConfigValue v, String path, Dimension dim, Problems problems) {
        Object raw = v.unwrapped();
        if (dim.kind() == Dimension.Kind.CHOICE) {
            if (raw instanceof Boolean b) {
                raw = b.toString(); // a boolean dimension's words
            }
            if (!(raw instanceof String s) || !dim.choices().contains(s)) {
                problems.at(v, path, dim.requirement());
                return null;
            }
            return s;
        }
        double x;
        if (raw instanceof Number num) {
            x = num.doubleValue();
        } else if (raw instanceof String s) {
            try {
                x = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                problems.at(v, path, "must be a number");
                return null;
            }
        } else {
            problems.at(v, path, "must be a number");
            return null;
        }
        return check(v, path, dim, x, problems);
    }

    private static Object check(ConfigValue v, String path, Dimension dim, double x, Problems problems) {
        if (!Double.isFinite(x)) {
            problems.at(v, path, "must be finite");
            return null;
        }
        if (dim.kind() == Dimension.Kind.INTEGER && x != Math.rint(x)) {
            problems.at(v, path, "must be an integer");
            return null;
        }
        if (!dim.rule().test(x)) {
            problems.at(v, path, dim.requirement());
            return null;
        }
        return dim.kind() == Dimension.Kind.INTEGER ? (Object) (long) x : (Object) x;
    }

    private static List<Object> range(ConfigObject obj, String path, Dimension dim, Problems problems) {
        if (dim.kind() == Dimension.Kind.CHOICE) {
            problems.at(obj, path, "a word-valued dimension takes a list, not a range");
            return null;
        }
        for (String k : obj.keySet()) {
            if (!List.of("from", "to", "step", "count", "scale").contains(k)) {
                problems.at(obj.get(k), path + "." + k, "unknown range key; a range has from, to and step or count"
                        + " (and scale = linear | log)");
                return null;
            }
        }
        Config c = obj.toConfig();
        Double from = number(c, "from", path, problems);
        Double to = number(c, "to", path, problems);
        if (from == null || to == null) {
            return null;
        }
        String scale = c.hasPath("scale") ? c.getValue("scale").unwrapped().toString() : "linear";
        if (!scale.equals("linear") && !scale.equals("log")) {
            problems.at(obj.get("scale"), path + ".scale", "must be linear or log");
            return null;
        }
        boolean hasStep = c.hasPath("step");
        boolean hasCount = c.hasPath("count");
        if (hasStep == hasCount) {
            problems.at(obj, path, "a range needs exactly one of step or count");
            return null;
        }
        List<Double> xs = new ArrayList<>();
        if (hasCount) {
            Double cnt = number(c, "count", path, problems);
            if (cnt == null) {
                return null;
            }
            if (cnt != Math.rint(cnt) || cnt < 1 || cnt > MAX_CELLS) {
                problems.at(obj.get("count"), path + ".count", "must be an integer in [1, " + MAX_CELLS + "]");
                return null;
            }
            int n = cnt.intValue();
            if (scale.equals("log") && (from <= 0 || to <= 0)) {
                problems.at(obj, path, "a log range needs from > 0 and to > 0");
                return null;
            }
            for (int i = 0; i < n; i++) {
                double f = n == 1 ? 0 : i / (double) (n - 1);
                double x = scale.equals("log")
                        ? Math.exp(Math.log(from) + f * (Math.log(to) - Math.log(from)))
                        : from + f * (to - from);
                xs.add(i == n - 1 && n > 1 ? to : round12(x));
            }
        } else {
            Double step = number(c, "step", path, problems);
            if (step == null) {
                return null;
            }
            if (scale.equals("log")) {
                problems.at(obj, path, "a log range takes count, not step");
                return null;
            }
            if (step <= 0 || (to - from) / step > MAX_CELLS) {
                problems.at(obj.get("step"), path + ".step", "must be positive and give at most " + MAX_CELLS
                        + " values");
                return null;
            }
            if (to < from) {
                problems.at(obj, path, "a range needs from <= to");
                return null;
            }
            long n = (long) Math.floor((to - from) / step + 1e-9) + 1;
            for (long i = 0; i < n; i++) {
                xs.add(round12(from + i * step));
            }
        }
        List<Object> out = new ArrayList<>();
        for (double x : xs) {
            if (dim.kind() == Dimension.Kind.INTEGER) {
                x = Math.rint(x);
            }
            Object o = check(obj, path, dim, x, problems);
            if (o == null) {
                return null;
            }
            if (!out.contains(o)) {
                out.add(o);
            }
        }
        return out;
    }

    /** Rounds to 12 significant digits, so that 1.0 + 3 × 0.1 is 1.3 and 10^(-2) is 0.01 in cell keys. */
    public static double round12(double x) {
        return x == 0 ? 0 : Double.parseDouble(String.format(java.util.Locale.ROOT, "%.12g", x));
    }

    private static Double number(Config c, String key, String path, Problems problems) {
        if (!c.hasPath(key)) {
            problems.at(c, path + "." + key, "is required in a range");
            return null;
        }
        Object raw = c.getValue(key).unwrapped();
        if (raw instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        problems.at(c.getValue(key), path + "." + key, "must be a finite number");
        return null;
    }
}
