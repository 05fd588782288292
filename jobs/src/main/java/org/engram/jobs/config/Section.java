package org.engram.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.engram.jobs.config.Problems;

/**
 * Typed, validated reads from one section of a configuration ({@code params}, {@code replicates},
 * {@code sweep}, ...). Every failed read adds a problem naming the full key, the value and the
 * file:line, and returns a harmless default so validation can go on and report everything at once.
 */
public final class Section {
    private final Config conf;
    private final String path;
    private final Problems problems;

    public Section(Config root, String path, Problems problems) {
        this(root, path, problems, path);
    }

    private Section(Config root, String key, Problems problems, String path) {
        this.conf = root.hasPath(key) ? root.getConfig(key) : com.typesafe.config.ConfigFactory.empty();
        this.path = path;
        this.problems = problems;
    }

    /** The section under {@code key} of this one (its messages name the full path). */
    public Section child(String key) {
        return new Section(conf, key, problems, path + "." + key);
    }

    public Config config() {
        return conf;
    }

    /** The section's path ({@code params}, {@code params.regime}). */
    public String path() {
        return path;
    }

    private String full(String key) {
        return path + "." + key;
    }

    /** Reports every key not in {@code allowed}, with the nearest allowed key as a hint. */
    public void onlyKeys(Set<String> allowed) {
        for (String k : conf.root().keySet()) {
            if (!allowed.contains(k)) {
                problems.at(conf.root().get(k), full(k), "unknown key" + hint(k, allowed)
                        + "; allowed: " + new java.util.TreeSet<>(allowed));
            }
        }
    }

    /** The word of {@code choices} nearest to {@code word} (at most 3 edits away), or null. */
    public static String nearest(String word, java.util.Collection<String> choices) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String a : choices) {
            int d = distance(word, a);
            if (d < bestD) {
                bestD = d;
                best = a;
            }
        }
        return best != null && bestD <= 3 ? best : null;
    }

    private static String hint(String k, Set<String> allowed) {
        String best = nearest(k, allowed);
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    public boolean has(String key) {
        return conf.hasPath(key);
    }

    private ConfigValue required(String key) {
        if (!conf.hasPathOrNull(key) || conf.getIsNull(key)) {
            problems.at(conf, full(key), "is required");
            return null;
        }
        return conf.getValue(key);
    }

    public long integer(String key, long min, long max) {
        ConfigValue v = required(key);
        if (v == null) {
            return min;
        }
        Object raw = v.unwrapped();
        if (!(raw instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || !Double.isFinite(n.doubleValue())) {
            problems.at(v, full(key), "must be an integer");
            return min;
        }
        if (!(n instanceof Integer || n instanceof Long) && (n.doubleValue() < min || n.doubleValue() > max
                || Math.abs(n.doubleValue()) >= 0x1p63)) {
            problems.at(v, full(key), "must be an integer in [" + min + ", " + max + "]");
            return min;
        }
        long x = n.longValue();
        if (x < min || x > max) {
            problems.at(v, full(key), "must be in [" + min + ", " + max + "]");
            return min;
        }
        return x;
    }

    public double real(String key, double min, double max) {
        ConfigValue v = required(key);
        if (v == null) {
            return min;
        }
        Object raw = v.unwrapped();
        if (!(raw instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            problems.at(v, full(key), "must be a finite number");
            return min;
        }
        double x = n.doubleValue();
        if (x < min || x > max) {
            problems.at(v, full(key), "must be in [" + min + ", " + max + "]");
            return min;
        }
        return x;
    }

    /** A list of {@code size} finite numbers in [min, max]. */
    public double[] reals(String key, int size, double min, double max) {
        ConfigValue v = required(key);
        double[] out = new double[size];
        if (v == null) {
            return out;
        }
        if (v.valueType() != ConfigValueType.LIST) {
            problems.at(v, full(key), "must be a list of " + size + " numbers");
            return out;
        }
        List<?> raw = (List<?>) v.unwrapped();
        if (raw.size() != size) {
            problems.at(v, full(key), "must have " + size + " values (one per layer), has " + raw.size());
            return out;
        }
        for (int i = 0; i < size; i++) {
            if (!(raw.get(i) instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < min
                    || n.doubleValue() > max) {
                problems.at(v, full(key), "value " + (i + 1) + " (" + raw.get(i) + ") must be a number"
                        + (min <= -Double.MAX_VALUE && max >= Double.MAX_VALUE ? "" : " in [" + min + ", " + max + "]"));
                return out;
            }
            out[i] = ((Number) raw.get(i)).doubleValue();
        }
        return out;
    }

    public String string(String key) {
        ConfigValue v = required(key);
        if (v == null) {
            return "";
        }
        if (v.valueType() != ConfigValueType.STRING) {
            problems.at(v, full(key), "must be a string");
            return "";
        }
        return (String) v.unwrapped();
    }

    public String optionalString(String key) {
        if (!conf.hasPath(key)) {
            return null;
        }
        return string(key);
    }

    public boolean bool(String key) {
        ConfigValue v = required(key);
        if (v == null) {
            return false;
        }
        if (v.valueType() != ConfigValueType.BOOLEAN) {
            problems.at(v, full(key), "must be true or false");
            return false;
        }
        return (Boolean) v.unwrapped();
    }

    /** An enum constant named by a lower-case, dash-separated word (e.g. {@code synchronous}). */
    public <E extends Enum<E>> E choice(String key, Class<E> type) {
        E[] all = type.getEnumConstants();
        ConfigValue v = required(key);
        if (v == null) {
            return all[0];
        }
        Object raw = v.unwrapped();
        if (raw instanceof String s) {
            for (E e : all) {
                if (word(e).equals(s)) {
                    return e;
                }
            }
        }
        problems.at(v, full(key), "must be one of " + words(all));
        return all[0];
    }

    public static String word(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static List<String> words(Enum<?>[] all) {
        return java.util.Arrays.stream(all).map(Section::word).toList();
    }

    public Problems problems() {
        return problems;
    }
}
