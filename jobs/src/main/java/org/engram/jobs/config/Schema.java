package org.engram.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Problems;

/**
 * A settings record read as the schema of a job's parameters: each component, declared by {@link Setting} (its
 * own or a shared one from {@link Common}), is a key of {@code params} (or {@code replicates}) named after it,
 * and, where its {@link Setting#grid} says so, a grid dimension — in the order of the components, which is the
 * order of a cell's key. One declaration gives the binding, the validation and its messages, the grid
 * dimensions, the per-cell values ({@link #at}) and the list {@code engram params} prints.
 *
 * <p>Component types: int, long, double, boolean, String (free, or one of {@link Setting#choices}), an enum
 * (its constants as dashed lower-case words), double[] (a list of numbers), a Set or List of Integer, and a
 * record — a nested section at its key, or, with {@link Setting#inline}, more keys of the same section.
 *
 * @param <S> the settings record
 */
public final class Schema<S extends Record> {
    private static final Map<Class<?>, Schema<?>> CACHE = new ConcurrentHashMap<>();

    /** One component: its key, declaration and, for a scalar, the {@link Param} that reads it. */
    public record Entry(String key, RecordComponent component, Decl decl, Param<?> param, Schema<?> nested) {
        public Class<?> type() {
            return component.getType();
        }
    }

    /** A component's declaration: its own {@link Setting} merged over the shared one it carries. */
    public record Decl(String doc, double min, double max, boolean above, boolean below, String requirement, String key,
                       List<String> choices, Setting.Vary grid, boolean replicates, boolean inline) {
    }

    private final Class<S> type;
    private final List<Entry> entries;
    private final Constructor<S> constructor;

    private Schema(Class<S> type) {
        this.type = type;
        List<Entry> es = new ArrayList<>();
        RecordComponent[] rcs = type.getRecordComponents();
        for (RecordComponent rc : rcs) {
            Decl d = declaration(rc);
            String key = d.key().isEmpty() ? dashed(rc.getName()) : d.key();
            Schema<?> nested = rc.getType().isRecord() ? of(rc.getType().asSubclass(Record.class)) : null;
            es.add(new Entry(key, rc, d, nested == null ? param(key, rc, d) : null, nested));
        }
        this.entries = List.copyOf(es);
        try {
            this.constructor = type.getDeclaredConstructor(Arrays.stream(rcs).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new));
            this.constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type + " has no canonical constructor", e);
        }
    }

    /** The schema of a settings record (built once per class). */
    @SuppressWarnings("unchecked")
    public static <S extends Record> Schema<S> of(Class<S> type) {
        Schema<?> s = CACHE.get(type);
        if (s == null) {
            s = new Schema<>(type);
            CACHE.putIfAbsent(type, s);
        }
        return (Schema<S>) s;
    }

    public Class<S> type() {
        return type;
    }

    /** The components, in order. */
    public List<Entry> entries() {
        return entries;
    }

    /** Every scalar parameter, with inline groups' flattened, in order (nested sections are not listed). */
    public List<Entry> flat() {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.nested() != null && e.decl().inline()) {
                out.addAll(e.nested().flat());
            } else {
                out.add(e);
            }
        }
        return out;
    }

    /** The grid dimensions, in canonical order (a cell's key follows it). */
    public List<Param<?>> dimensions() {
        return flat().stream().filter(e -> e.decl().grid() != Setting.Vary.NO && e.param() != null)
                .<Param<?>>map(Entry::param).toList();
    }

    /** The dimensions every sweep's grid must give. */
    public List<Param<?>> requiredDimensions() {
        return flat().stream().filter(e -> e.decl().grid() == Setting.Vary.MUST).<Param<?>>map(Entry::param).toList();
    }

    /** The grid's cells over {@link #dimensions()}, with {@code required} (and the MUST ones) present. */
    public List<Cell> cells(Config jobConf, List<String> alsoRequired, Problems problems) {
        List<Param<?>> required = new ArrayList<>(requiredDimensions());
        for (String k : alsoRequired) {
            required.add(param(k));
        }
        return Grid.expand(jobConf, dimensions(), required, problems);
    }

    /** The parameter under {@code key} (also inside inline groups). */
    public Param<?> param(String key) {
        for (Entry e : flat()) {
            if (e.key().equals(key) && e.param() != null) {
                return e.param();
            }
        }
        throw new IllegalArgumentException(type.getSimpleName() + " declares no parameter '" + key + "'");
    }

    /**
     * Binds the record from a job's conf: {@code params} (and {@code replicates}) keys, each validated by its
     * declaration; unknown keys are reported with the nearest declared one. Problems are added, not thrown:
     * what is returned then holds harmless values and must not be used.
     */
    public S bind(Config jobConf, Problems problems) {
        Section params = new Section(jobConf, "params", problems);
        Section replicates = new Section(jobConf, "replicates", problems);
        params.onlyKeys(keys(false));
        replicates.onlyKeys(keys(true));
        return read(params, replicates);
    }

    private Set<String> keys(boolean replicateKeys) {
        Set<String> out = new TreeSet<>();
        for (Entry e : entries) {
            if (e.nested() != null && e.decl().inline()) {
                out.addAll(e.nested().keys(replicateKeys));
            } else if (e.decl().replicates() == replicateKeys && !gridOnly(e)) {
                out.add(e.key());
            }
        }
        return out;
    }

    /**
     * Binds the record from the section at {@code path} of {@code root} (its unknown keys reported, nested records
     * from its sub-sections): a settings record that is not a job's ({@code spark}, {@code ledger}, ...).
     */
    public S bind(Config root, String path, Problems problems) {
        Section section = new Section(root, path, problems);
        section.onlyKeys(keys(false));
        return read(section, section);
    }

    private static boolean gridOnly(Entry e) {
        return e.decl().grid() == Setting.Vary.MUST || e.decl().grid() == Setting.Vary.GRID;
    }

    private S read(Section params, Section replicates) {
        Object[] args = new Object[entries.size()];
        for (int i = 0; i < args.length; i++) {
            Entry e = entries.get(i);
            Section in = e.decl().replicates() ? replicates : params;
            if (e.nested() != null) {
                args[i] = e.decl().inline() ? e.nested().read(params, replicates) : nested(e, in);
            } else if (gridOnly(e)) {
                args[i] = zero(e.type());
            } else {
                args[i] = value(e, in);
            }
        }
        return construct(args);
    }

    private Object nested(Entry e, Section in) {
        Section sub = in.child(e.key());
        sub.onlyKeys(e.nested().keys(false));
        return e.nested().read(sub, sub);
    }

    private Object value(Entry e, Section in) {
        Class<?> t = e.type();
        if (e.param() != null) {
            Object v = e.param().read(in);
            return t == int.class || t == Integer.class ? (Object) ((Number) v).intValue()
                    : t == long.class || t == Long.class ? (Object) ((Number) v).longValue() : v;
        }
        if (t == double[].class) {
            return reals(e, in);
        }
        if (t == Map.class) {
            return strings(e, in);
        }
        return integers(e, in);
    }

    private static double[] reals(Entry e, Section in) {
        ConfigValue v = in.has(e.key()) ? in.config().getValue(e.key()) : null;
        if (v == null) {
            in.problems().at(in.config(), in.path() + "." + e.key(), "is required");
            return new double[0];
        }
        int size = v.valueType() == ConfigValueType.LIST ? ((List<?>) v.unwrapped()).size() : 1;
        Decl d = e.decl();
        return in.reals(e.key(), size, Double.isNaN(d.min()) ? -Double.MAX_VALUE : d.min(),
                Double.isNaN(d.max()) ? Double.MAX_VALUE : d.max());
    }

    /** An object of settings (nested keys joined by dots), each a string, number or boolean, as strings. */
    private static Map<String, String> strings(Entry e, Section in) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        String path = in.path() + "." + e.key();
        if (!in.has(e.key())) {
            return out;
        }
        if (in.config().getValue(e.key()).valueType() != ConfigValueType.OBJECT) {
            in.problems().at(in.config().getValue(e.key()), path, "must be an object { key = value, ... }");
            return out;
        }
        for (Map.Entry<String, ConfigValue> v : in.config().getConfig(e.key()).entrySet()) {
            if (v.getValue().valueType() == ConfigValueType.LIST || v.getValue().valueType() == ConfigValueType.NULL) {
                in.problems().at(v.getValue(), path + "." + v.getKey(), "must be a string, number or boolean");
                continue;
            }
            // a quoted key ("spark.executor.memory") and nested objects (spark { executor.memory }) alike
            out.put(String.join(".", com.typesafe.config.ConfigUtil.splitPath(v.getKey())),
                    String.valueOf(v.getValue().unwrapped()));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private static Object integers(Entry e, Section in) {
        boolean set = Set.class.isAssignableFrom(e.type());
        java.util.Collection<Integer> out = set ? new LinkedHashSet<>() : new ArrayList<>();
        String path = in.path() + "." + e.key();
        if (!in.has(e.key())) {
            in.problems().at(in.config(), path, "is required");
        } else if (in.config().getValue(e.key()).valueType() != ConfigValueType.LIST) {
            in.problems().at(in.config().getValue(e.key()), path, "must be a list of integers");
        } else {
            for (Object o : (List<?>) in.config().getValue(e.key()).unwrapped()) {
                if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                        || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
                    in.problems().at(in.config().getValue(e.key()), path, "must be a list of integers");
                    break;
                }
                out.add(n.intValue());
            }
        }
        return set ? Set.copyOf(out) : List.copyOf(out);
    }

    /**
     * The settings of one cell: {@code base} with every dimension the cell has set to the cell's value (a
     * {@link Setting.Vary#MUST} dimension has its value only here).
     */
    public S at(Cell cell, S base) {
        Object[] args = new Object[entries.size()];
        boolean changed = false;
        for (int i = 0; i < args.length; i++) {
            Entry e = entries.get(i);
            Object v = get(e, base);
            if (e.nested() != null && e.decl().inline()) {
                Object nv = atNested(e.nested(), cell, (Record) v);
                changed |= nv != v;
                v = nv;
            } else if (e.param() != null && e.decl().grid() != Setting.Vary.NO && cell.has(e.key())) {
                Object cv = e.param().at(cell);
                v = e.type() == int.class ? (Object) ((Number) cv).intValue()
                        : e.type() == long.class ? (Object) ((Number) cv).longValue() : cv;
                changed = true;
            }
            args[i] = v;
        }
        return changed ? construct(args) : base;
    }

    @SuppressWarnings("unchecked")
    private static <R extends Record> R atNested(Schema<R> schema, Cell cell, Record base) {
        return schema.at(cell, (R) base);
    }

    private static Object get(Entry e, Record r) {
        try {
            var m = e.component().getAccessor();
            m.setAccessible(true);
            return m.invoke(r);
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("cannot read " + e.key(), ex);
        }
    }

    private S construct(Object[] args) {
        try {
            return constructor.newInstance(args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    private static Object zero(Class<?> t) {
        if (t == int.class) {
            return 0;
        }
        if (t == long.class) {
            return 0L;
        }
        if (t == double.class) {
            return Double.NaN;
        }
        if (t == boolean.class) {
            return false;
        }
        return null;
    }

    /** Whether a record component is a settings record's replicate count (read from {@code replicates}). */
    public static boolean isReplicateCount(RecordComponent rc) {
        Setting own = rc.getAnnotation(Setting.class);
        if (own != null && own.replicates()) {
            return true;
        }
        for (Annotation a : rc.getAnnotations()) {
            Setting s = a.annotationType().getAnnotation(Setting.class);
            if (s != null && s.replicates()) {
                return true;
            }
        }
        return false;
    }

    /** {@code maxSweeps} → {@code max-sweeps}. */
    public static String dashed(String name) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('-').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The component's {@link Setting}, merged over the one a shared annotation on it carries. */
    static Decl declaration(RecordComponent rc) {
        Setting own = rc.getAnnotation(Setting.class);
        Setting shared = null;
        for (Annotation a : rc.getAnnotations()) {
            Setting s = a.annotationType().getAnnotation(Setting.class);
            if (s != null) {
                shared = s;
            }
        }
        if (own == null && shared == null) {
            throw new IllegalStateException(rc.getDeclaringRecord().getName() + "." + rc.getName()
                    + " has no @Setting: every settings component declares its meaning and bounds");
        }
        Setting a = own != null ? own : shared;
        Setting b = shared != null ? shared : own;
        return new Decl(!a.doc().isEmpty() ? a.doc() : b.doc(), !Double.isNaN(a.min()) ? a.min() : b.min(),
                !Double.isNaN(a.max()) ? a.max() : b.max(), a.above() || b.above(), a.below() || b.below(),
                !a.requirement().isEmpty() ? a.requirement() : b.requirement(), !a.key().isEmpty() ? a.key() : b.key(),
                List.of(a.choices().length > 0 ? a.choices() : b.choices()),
                a.grid() != Setting.Vary.NO ? a.grid() : b.grid(), a.replicates() || b.replicates(),
                a.inline() || b.inline());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Param<?> param(String key, RecordComponent rc, Decl d) {
        Class<?> t = rc.getType();
        String doc = d.doc();
        if (t == int.class || t == Integer.class) {
            long min = Double.isNaN(d.min()) ? Integer.MIN_VALUE : (long) d.min() + (d.above() ? 1 : 0);
            long max = Double.isNaN(d.max()) ? Integer.MAX_VALUE : (long) Math.min(d.max(), Integer.MAX_VALUE);
            return Param.integer(key, (int) min, (int) max, doc);
        }
        if (t == long.class || t == Long.class) {
            long min = Double.isNaN(d.min()) ? Long.MIN_VALUE : (long) d.min() + (d.above() ? 1 : 0);
            long max = Double.isNaN(d.max()) ? Long.MAX_VALUE : (long) Math.min(d.max(), Long.MAX_VALUE);
            return Param.longInteger(key, min, max, doc);
        }
        if (t == double.class || t == Double.class) {
            double min = Double.isNaN(d.min()) ? -Double.MAX_VALUE : d.min();
            double max = Double.isNaN(d.max()) ? Double.MAX_VALUE : d.max();
            if (d.above() || d.below() || !d.requirement().isEmpty()) {
                boolean above = d.above();
                boolean below = d.below();
                String req = !d.requirement().isEmpty() ? d.requirement() : above && (max >= Double.MAX_VALUE
                        || max == Double.POSITIVE_INFINITY) ? "must be > " + Cell.format(min)
                        : "must be in " + (above ? "(" : "[") + Cell.format(min) + ", " + Cell.format(max)
                        + (below ? ")" : "]");
                return Param.real(key, min, max, x -> (!above || x > min) && (!below || x < max), req, doc);
            }
            return Param.real(key, min, max, doc);
        }
        if (t == boolean.class || t == Boolean.class) {
            return Param.bool(key, doc);
        }
        if (t == String.class) {
            return d.choices().isEmpty() ? Param.string(key, doc) : Param.word(key, d.choices(), doc);
        }
        if (t.isEnum()) {
            return Param.choice(key, (Class) t, doc);
        }
        if (t == double[].class || elementIsInteger(rc) || stringMap(rc)) {
            return null;
        }
        throw new IllegalStateException(rc.getDeclaringRecord().getName() + "." + rc.getName() + ": a "
                + t.getSimpleName() + " cannot be a setting");
    }

    private static boolean stringMap(RecordComponent rc) {
        return Map.class == rc.getType() && rc.getGenericType() instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] == String.class && p.getActualTypeArguments()[1] == String.class;
    }

    private static boolean elementIsInteger(RecordComponent rc) {
        Type g = rc.getGenericType();
        return (Set.class == rc.getType() || List.class == rc.getType()) && g instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] == Integer.class;
    }

    /** The settings record type a job declares ({@code S} of {@code Job<S>}, through abstract bases). */
    public static Class<?> settingsOf(Class<?> jobClass, Class<?> jobInterface) {
        for (Class<?> c = jobClass; c != null; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == jobInterface
                        && p.getActualTypeArguments()[0] instanceof Class<?> s) {
                    return s;
                }
            }
        }
        return null;
    }

    /**
     * One line per parameter — its key, type, bounds, grid role, default (from {@code jobConf}, a job's section of
     * reference.conf) and meaning — for {@code engram params}.
     */
    public List<String> describe(Config jobConf) {
        List<String> out = new ArrayList<>();
        describe(jobConf, null, out);
        return out;
    }

    private void describe(Config jobConf, String nestedIn, List<String> out) {
        for (Entry e : flat()) {
            Decl d = e.decl();
            String where = nestedIn != null ? nestedIn + "." : d.replicates() ? "replicates." : gridOnly(e) ? "grid."
                    : "params.";
            if (e.nested() != null) {
                out.add(where + e.key() + "  { ... }: " + d.doc());
                e.nested().describe(jobConf, where + e.key(), out);
                continue;
            }
            String kind = e.type().isEnum() ? "one of " + Arrays.stream(e.type().getEnumConstants())
                    .map(x -> Section.word((Enum<?>) x)).toList()
                    : !d.choices().isEmpty() ? "one of " + d.choices()
                    : e.type() == double[].class ? "list of numbers" : e.type().getSimpleName().toLowerCase(Locale.ROOT)
                    .replace("set", "set of integers").replace("map", "object of settings");
            String grid = d.grid() == Setting.Vary.MAY ? ", may be a grid dimension"
                    : d.grid() == Setting.Vary.MUST ? ", a required grid dimension"
                    : d.grid() == Setting.Vary.GRID ? ", an optional grid dimension" : "";
            String path = where + e.key();
            String def = jobConf.hasPath(path) ? " = " + jobConf.getValue(path).render(
                    com.typesafe.config.ConfigRenderOptions.concise()) : "";
            out.add(path + def + "  (" + kind + bounds(d) + grid + "): " + d.doc());
        }
    }

    private static String bounds(Decl d) {
        if (!d.requirement().isEmpty()) {
            return ", " + d.requirement();
        }
        if (Double.isNaN(d.min()) && Double.isNaN(d.max())) {
            return "";
        }
        String lo = Double.isNaN(d.min()) ? "-∞" : Cell.format(d.min());
        String hi = Double.isNaN(d.max()) || d.max() >= Double.MAX_VALUE ? "∞" : Cell.format(d.max());
        return " in " + (d.above() ? "(" : "[") + lo + ", " + hi + (d.below() ? ")" : "]");
    }
}
