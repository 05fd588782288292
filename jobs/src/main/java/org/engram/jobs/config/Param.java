package org.engram.jobs.config;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoublePredicate;
import org.engram.jobs.config.Cell;

/**
 * A parameter of a job, declared once: its key, type, bounds and meaning. The same declaration reads a
 * fixed value from the {@code params} section ({@link #read}; its default comes from
 * {@code conf/reference.conf}), serves as a grid dimension ({@link #dimension}, for {@link Grid#expand}),
 * and gives a cell's value — the grid's where the sweep varies it, else the fixed one ({@link #at(Cell,
 * Object)}) — so validation, error text and the merge of grid and params come from one place (as Spark
 * ML's {@code Param} serves both a pipeline stage and {@code ParamGridBuilder}).
 *
 * @param <T> the value type: Integer, Long, Double, Boolean, String or an enum
 */
public final class Param<T> {
    private final String key;
    private final Class<T> type;
    private final Dimension dimension;
    private final double min;
    private final double max;
    private final String doc;

    private Param(String key, Class<T> type, Dimension dimension, double min, double max, String doc) {
        this.key = key;
        this.type = type;
        this.dimension = dimension;
        this.min = min;
        this.max = max;
        this.doc = doc;
    }

    /** An int in [min, max]. */
    public static Param<Integer> integer(String key, int min, int max, String doc) {
        return new Param<>(key, Integer.class, Dimension.integer(key, min, max), min, max, doc);
    }

    /** A long in [min, max]. */
    public static Param<Long> longInteger(String key, long min, long max, String doc) {
        return new Param<>(key, Long.class, Dimension.integer(key, min, max), min, max, doc);
    }

    /** A finite real in [min, max]. */
    public static Param<Double> real(String key, double min, double max, String doc) {
        return new Param<>(key, Double.class, Dimension.real(key, x -> x >= min && x <= max, bounds(min, max)),
                min, max, doc);
    }

    /** A finite real obeying {@code rule}, explained by {@code requirement} ("must be in [0, 2] (...)"). */
    public static Param<Double> real(String key, double min, double max, DoublePredicate rule, String requirement,
                                     String doc) {
        return new Param<>(key, Double.class, Dimension.real(key, x -> x >= min && x <= max && rule.test(x),
                requirement), min, max, doc);
    }

    /** One of a set of words (a dataset, a variant). */
    public static Param<String> word(String key, List<String> choices, String doc) {
        return new Param<>(key, String.class, Dimension.choice(key, choices), 0, 0, doc);
    }

    /** One of an enum's constants, written as lower-case dashed words ({@code std-normal}). */
    public static <E extends Enum<E>> Param<E> choice(String key, Class<E> type, String doc) {
        return new Param<>(key, type, Dimension.choice(key, Arrays.stream(type.getEnumConstants())
                .map(e -> Section.word((Enum<?>) e)).toList()), 0, 0, doc);
    }

    /** true or false; as a grid dimension the words {@code false} and {@code true} (HOCON's booleans are read as them). */
    public static Param<Boolean> bool(String key, String doc) {
        return new Param<>(key, Boolean.class, Dimension.choice(key, List.of("false", "true")), 0, 0, doc);
    }

    /** A string (not a grid dimension). */
    public static Param<String> string(String key, String doc) {
        return new Param<>(key, String.class, null, 0, 0, doc);
    }

    private static String bounds(double min, double max) {
        if (max == Double.POSITIVE_INFINITY || max >= 1e300) {
            return "must be ≥ " + Cell.format(min);
        }
        return "must be in [" + Cell.format(min) + ", " + Cell.format(max) + "]";
    }

    public String key() {
        return key;
    }

    public String doc() {
        return doc;
    }

    /** This parameter as a grid dimension (for {@link Grid#expand}). */
    public Dimension dimension() {
        if (dimension == null) {
            throw new IllegalStateException("parameter '" + key + "' (" + type.getSimpleName() + ") cannot be a grid dimension");
        }
        return dimension;
    }

    /**
     * The fixed value under this key in {@code section}, validated by the same rule, with the same message, as
     * the grid dimension; problems are reported, not thrown.
     */
    public T read(Section section) {
        Object v;
        if (type == Integer.class || type == Long.class) {
            int before = section.problems().list().size();
            long x = section.integer(key, Long.MIN_VALUE, Long.MAX_VALUE);
            if (section.problems().list().size() == before && !dimension.rule().test(x)) {
                report(section, dimension.requirement());
            }
            x = Math.max((long) min, Math.min((long) max, x));
            v = type == Integer.class ? (Object) (int) x : (Object) x;
        } else if (type == Double.class) {
            int before = section.problems().list().size();
            double x = section.real(key, -Double.MAX_VALUE, Double.MAX_VALUE);
            if (section.problems().list().size() == before && !dimension.rule().test(x)) {
                report(section, dimension.requirement());
            }
            v = x;
        } else if (type == Boolean.class) {
            v = section.bool(key);
        } else if (type == String.class && dimension == null) {
            v = section.string(key);
        } else if (type == String.class) {
            String s = section.string(key);
            if (!dimension.choices().contains(s) && section.has(key)) {
                report(section, dimension.requirement());
            }
            v = s;
        } else {
            v = choiceOf(section);
        }
        return type.cast(v);
    }

    private void report(Section section, String message) {
        section.problems().at(section.config().getValue(key), section.path() + "." + key, message);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object choiceOf(Section section) {
        return section.choice(key, (Class) type);
    }

    /** A cell's value of this dimension (the cell must have it). */
    public T at(Cell cell) {
        if (!cell.has(key)) {
            throw new IllegalArgumentException("cell " + cell.key() + " has no dimension '" + key + "'");
        }
        return convert(cell.get(key));
    }

    /** The cell's value where the grid varies this parameter, else the fixed value from {@code params}. */
    public T at(Cell cell, T fixed) {
        return cell.has(key) ? convert(cell.get(key)) : fixed;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private T convert(Object raw) {
        if (type == Integer.class) {
            return type.cast(((Number) raw).intValue());
        }
        if (type == Long.class) {
            return type.cast(((Number) raw).longValue());
        }
        if (type == Double.class) {
            return type.cast(((Number) raw).doubleValue());
        }
        if (type == String.class) {
            return type.cast(raw);
        }
        if (type == Boolean.class) {
            return type.cast(Boolean.valueOf((String) raw));
        }
        for (Object e : type.getEnumConstants()) {
            if (Section.word((Enum) e).equals(raw)) {
                return type.cast(e);
            }
        }
        throw new IllegalArgumentException("'" + raw + "' is not a value of " + key);
    }

    @Override
    public String toString() {
        return key + " (" + type.getSimpleName() + "): " + doc;
    }
}
