package org.engram.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration problems collected while a whole sweep is validated, so that one run reports all of
 * them at once, each with file:line, key and offending value, before any work starts.
 */
public final class Problems {
    /** One problem: where, which key, which value, what is wrong. */
    public record Problem(String where, String key, String value, String message) {
        @Override
        public String toString() {
            return where + ": " + key + (value == null ? "" : " = " + value) + ": " + message;
        }
    }

    private final List<Problem> list = new ArrayList<>();

    public static String where(ConfigOrigin o) {
        if (o == null) {
            return "(unknown origin)";
        }
        // parsed strings (--set overrides) carry a meaningless ": 1" line suffix
        String file = o.filename() != null ? o.filename() : o.description().replaceFirst("^(--set .*): 1$", "$1");
        if (o.filename() != null && o.lineNumber() >= 0) {
            return file + ":" + o.lineNumber();
        }
        return file;
    }

    /** A problem with the value at {@code path} of {@code conf}. */
    public void at(Config conf, String path, String message) {
        boolean has;
        try {
            has = conf.hasPathOrNull(path);
        } catch (ConfigException e) {
            has = false;
        }
        if (has) {
            ConfigValue v = conf.getValue(path);
            list.add(new Problem(where(v.origin()), path, render(v), message));
        } else {
            list.add(new Problem(where(conf.origin()), path, null, message));
        }
    }

    /** A problem with a value that has an origin (a list element, say). */
    public void at(ConfigValue v, String path, String message) {
        list.add(new Problem(where(v.origin()), path, render(v), message));
    }

    public void add(String where, String key, String value, String message) {
        list.add(new Problem(where, key, value, message));
    }

    private static String render(ConfigValue v) {
        String s = v.render(com.typesafe.config.ConfigRenderOptions.concise());
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<Problem> list() {
        return List.copyOf(list);
    }

    /** Throws an {@link InvalidConfig} listing every problem, if there is any. */
    public void throwIfAny(String what) {
        if (!list.isEmpty()) {
            throw new InvalidConfig(what, list());
        }
    }

    /** The configuration is invalid: every problem, each with file:line, key and value. */
    public static final class InvalidConfig extends ConfigException {
        private static final long serialVersionUID = 1L;
        private final transient List<Problem> problems;

        public InvalidConfig(String what, List<Problem> problems) {
            super(message(what, problems));
            this.problems = problems;
        }

        private static String message(String what, List<Problem> problems) {
            StringBuilder sb = new StringBuilder();
            sb.append(what).append(" has ").append(problems.size()).append(problems.size() == 1 ? " problem" : " problems")
                    .append(" (nothing was run):");
            for (Problem p : problems) {
                sb.append("\n  ").append(p);
            }
            return sb.toString();
        }

        public List<Problem> problems() {
            return problems;
        }
    }
}
