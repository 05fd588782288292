package org.engram.jobs.core;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Operational;

/**
 * A canonical text of everything a value is, built from its record components — so a setting added to a
 * settings record enters every ledger key that holds it with no other edit. Records print as
 * {@code (name=value, ...)} over their components (those marked {@link Operational} left out, and a settings
 * record's replicate counts: how many replicates a cell has never changes one replicate's rows), recursively;
 * cells by their key; sweep identities by their seed; collections in order (sets and maps sorted);
 * numbers exactly ({@link Double#toString}); enums by name. Anything else is refused, so a unit cannot
 * carry state the key does not see.
 */
public final class Fingerprint {
    private Fingerprint() {
    }

    public static String of(Object value) {
        StringBuilder sb = new StringBuilder();
        append(sb, value, "value", null);
        return sb.toString();
    }

    /**
     * The fingerprint of {@code value} without the record components named {@code component}, at any depth: what a
     * training run is apart from its budget (the key of its checkpoints, shared by every budget).
     */
    public static String without(Object value, String component) {
        StringBuilder sb = new StringBuilder();
        append(sb, value, "value", component);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object v, String where) {
        append(sb, v, where, null);
    }

    private static void append(StringBuilder sb, Object v, String where, String skip) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Cell c) {
            sb.append('{').append(c.key()).append('}');
        } else if (v instanceof SweepIdentity s) {
            sb.append("seed:").append(s.seed());
        } else if (v instanceof String s) {
            sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        } else if (v instanceof Number || v instanceof Boolean || v instanceof Character) {
            sb.append(v);
        } else if (v instanceof Enum<?> e) {
            sb.append(e.name());
        } else if (v instanceof Record r) {
            record(sb, r, where, skip);
        } else if (v instanceof java.util.Set<?> set) {
            TreeSet<String> items = new TreeSet<>();
            for (Object o : set) {
                StringBuilder one = new StringBuilder();
                append(one, o, where + "[]");
                items.add(one.toString());
            }
            sb.append('[').append(String.join(",", items)).append(']');
        } else if (v instanceof Collection<?> c) {
            sb.append('[');
            int i = 0;
            for (Object o : c) {
                if (i > 0) {
                    sb.append(',');
                }
                append(sb, o, where + "[" + i++ + "]");
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> m) {
            append(sb, new TreeMap<>(m).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList(), where);
        } else if (v.getClass().isArray()) {
            sb.append(v instanceof double[] d ? Arrays.toString(d) : v instanceof float[] f ? Arrays.toString(f)
                    : v instanceof int[] i ? Arrays.toString(i) : v instanceof long[] l ? Arrays.toString(l)
                    : v instanceof Object[] o ? deep(o, where) : refuse(v, where));
        } else {
            refuse(v, where);
        }
    }

    private static String deep(Object[] a, String where) {
        return of(Arrays.asList(a));
    }

    private static void record(StringBuilder sb, Record r, String where, String skip) {
        sb.append('(');
        boolean first = true;
        for (RecordComponent rc : r.getClass().getRecordComponents()) {
            if (rc.isAnnotationPresent(Operational.class) || org.engram.jobs.config.Schema.isReplicateCount(rc)
                    || rc.getName().equals(skip)) {
                continue;
            }
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(rc.getName()).append('=');
            Object value;
            try {
                java.lang.reflect.Method m = rc.getAccessor();
                m.setAccessible(true);
                value = m.invoke(r);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + where + "." + rc.getName(), e);
            }
            append(sb, value, where + "." + rc.getName(), skip);
        }
        sb.append(')');
    }

    private static String refuse(Object v, String where) {
        throw new IllegalArgumentException(where + " is a " + v.getClass().getName()
                + ": a fingerprint takes records, cells, numbers, strings, enums and collections of them");
    }
}
