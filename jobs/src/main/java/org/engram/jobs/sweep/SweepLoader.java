package org.engram.jobs.sweep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.engram.jobs.config.Problems;
import org.engram.jobs.config.Section;
import org.engram.jobs.core.Job;
import org.engram.jobs.core.SweepIdentity;

/**
 * Loads a sweep: {@code conf/reference.conf} (every default, packaged as
 * {@code org/engram/reference.conf}), the sweep file, then {@code --set key=value} overrides, and
 * validates the sweep-level sections. Job sections ({@code grid}, {@code replicates}, {@code params})
 * fall back key by key to {@code jobs.<job-id>} in the reference; a grid dimension the sweep names
 * (alone or in a zip group) replaces the default one.
 */
public final class SweepLoader {
    public static final String REFERENCE = "org/engram/reference.conf";
    /** The sections the loader reads; the other top-level sections of reference.conf belong to the driver. */
    private static final Set<String> OWN = Set.of("sweep", "grid", "replicates", "params", "jobs");
    private static final Set<String> SWEEP_KEYS = Set.of("id", "job", "seed", "output", "run-id", "description",
            "max-trials", "adaptive", "halving");

    private SweepLoader() {
    }

    public static Config reference() {
        Config ref = ConfigFactory.parseResources(SweepLoader.class.getClassLoader(), REFERENCE,
                ConfigParseOptions.defaults().setAllowMissing(false));
        return ref;
    }

    /** Parses {@code key=value} overrides; a malformed one is a problem naming it. */
    public static Config overrides(List<String> sets, Problems problems) {
        Config out = ConfigFactory.empty();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                problems.add("--set", s, null, "an override is key=value");
                continue;
            }
            try {
                Config one = ConfigFactory.parseString(s, ConfigParseOptions.defaults()
                        .setOriginDescription("--set " + s).setSyntax(ConfigSyntax.CONF));
                out = one.withFallback(out);
            } catch (ConfigException e) {
                String value = s.substring(eq + 1).trim();
                boolean list = value.contains(",") && !value.startsWith("[") && !value.startsWith("{")
                        && !value.startsWith("\"");
                problems.add("--set", s.substring(0, eq), s.substring(eq + 1), "cannot be parsed: " + e.getMessage()
                        + (list ? " — a list is written in brackets: --set " + s.substring(0, eq) + "=[" + value + "]"
                        : ""));
            }
        }
        return out;
    }

    /**
     * What a missing sweep file might have meant: a job id given where a conf goes names its shipped confs
     * ({@code conf/quick/<id>.conf}, {@code conf/sweeps/<id>.conf}), looked for here and under the Engram home.
     */
    static String confHint(File file, JobRegistry jobs) {
        String name = file.getName().replaceFirst("\\.conf$", "");
        List<String> found = new ArrayList<>();
        for (String dir : List.of("conf/quick", "conf/sweeps")) {
            for (String base : new String[] {"", org.engram.jobs.config.EngramHome.get()}) {
                if (base == null) {
                    continue;
                }
                File f = new File(base.isEmpty() ? dir : base + "/" + dir, name + ".conf");
                if (f.isFile() && found.stream().noneMatch(x -> x.endsWith(dir + "/" + name + ".conf"))) {
                    found.add(f.getPath() + (dir.endsWith("quick") ? " (quick)" : " (paper scale)"));
                }
            }
        }
        if (!found.isEmpty()) {
            return "; did you mean " + String.join(" or ", found) + "?";
        }
        if (jobs.find(name) != null) {
            return "; '" + name + "' is a job: give a sweep file that names it (sweep.job = \"" + name + "\")";
        }
        return "";
    }

    /**
     * Loads and validates; throws {@link Problems.InvalidConfig} listing every problem found, including
     * those of the job's own validation done by {@link Job#plan} later with the same {@code problems}.
     */
    public static LoadedSweep load(File file, List<String> sets, JobRegistry jobs, Problems problems) {
        Config user;
        if (!file.isFile()) {
            problems.add(file.getPath(), "(file)", null, "no such configuration file" + confHint(file, jobs));
            problems.throwIfAny("Sweep " + file);
        }
        checkIncludes(file, problems, new HashSet<>());
        problems.throwIfAny("Sweep " + file);
        try {
            user = ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            problems.add(Problems.where(e.origin()), "(syntax)", null, e.getMessage());
            problems.throwIfAny("Sweep " + file);
            throw e;
        }
        Config over = overrides(sets, problems);
        Config merged = over.withFallback(withoutDimensionsNamedBy(user, over)).withFallback(reference());
        try {
            merged = merged.resolve();
        } catch (ConfigException e) {
            problems.add(Problems.where(e.origin()), "(substitution)", null, e.getMessage());
            problems.throwIfAny("Sweep " + file);
        }
        Set<String> top = new HashSet<>(OWN);
        top.addAll(reference().root().keySet());
        for (Map.Entry<String, ConfigValue> e : merged.root().entrySet()) {
            if (!top.contains(e.getKey())) {
                problems.at(e.getValue(), e.getKey(), "unknown top-level key; allowed: " + new java.util.TreeSet<>(top));
            }
        }
        for (String sec : top) {
            if (merged.hasPath(sec) && merged.getValue(sec).valueType() != ConfigValueType.OBJECT) {
                problems.at(merged, sec, "must be an object { ... }");
                problems.throwIfAny("Sweep " + file);
            }
        }
        Section sweep = new Section(merged, "sweep", problems);
        sweep.onlyKeys(SWEEP_KEYS);
        String id = sweep.string("id");
        if (!id.isEmpty() && !id.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            problems.at(merged, "sweep.id", "must be letters, digits, '.', '_' or '-' (it names the output folder)");
        }
        String jobId = sweep.string("job");
        long seed = sweep.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        String output = sweep.string("output");
        if (output.isBlank() && merged.hasPath("sweep.output")) {
            problems.at(merged, "sweep.output", "must not be empty");
        }
        output = ResultsRoot.resolve(output, user.hasPath("sweep.output") || over.hasPath("sweep.output"));
        sweep.integer("max-trials", 1, Long.MAX_VALUE); // checked here, applied by PreparedSweep before planning
        String runId = sweep.optionalString("run-id");
        if (runId != null && !runId.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            problems.at(merged, "sweep.run-id", "must be letters, digits, '.', '_' or '-'");
        }
        Job<?> job = null;
        if (!jobId.isEmpty()) {
            job = jobs.find(jobId);
            if (job == null) {
                String near = Section.nearest(jobId, jobs.ids());
                problems.at(merged, "sweep.job", "unknown job" + (near == null ? "" : " (did you mean '" + near + "'?)")
                        + "; known jobs: " + jobs.ids());
            }
        }
        if (job == null) {
            problems.throwIfAny("Sweep " + file);
        }
        // with the job known, its own validation (in plan) adds its problems to these: all are reported at once
        Config jobConf = jobSections(merged, job.id(), problems);
        StringBuilder source = new StringBuilder(file.getPath());
        for (String s : sets) {
            source.append(" --set ").append(s);
        }
        Config effective = jobConf.withFallback(merged.withoutPath("jobs").withoutPath("grid")
                .withoutPath("replicates").withoutPath("params"));
        return new LoadedSweep(new SweepIdentity(id, seed), job, output, runId, source.toString(), jobConf,
                effective);
    }

    private static final java.util.regex.Pattern INCLUDE = java.util.regex.Pattern.compile(
            "^\\s*include\\s+(required\\(\\s*)?(file|classpath|url)?\\(?\\s*\"([^\"]*)\"");

    /**
     * Every {@code include} of a sweep file (and of the files it includes) must name something that exists: HOCON
     * ignores a missing plain include, and the run would silently use defaults. Reported as written, with file and
     * line; {@code url(...)} includes are left to the parser.
     */
    static void checkIncludes(File file, Problems problems, Set<String> seen) {
        if (!seen.add(file.getAbsolutePath())) {
            return;
        }
        List<String> lines;
        try {
            lines = java.nio.file.Files.readAllLines(file.toPath());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return; // the parser reports what cannot be read
        }
        for (int i = 0; i < lines.size(); i++) {
            java.util.regex.Matcher m = INCLUDE.matcher(lines.get(i));
            if (!m.find() || "url".equals(m.group(2))) {
                continue;
            }
            String name = m.group(3);
            String kind = m.group(2);
            File target = new File(name).isAbsolute() ? new File(name)
                    : new File(file.getAbsoluteFile().getParentFile(), name);
            boolean onClasspath = !"file".equals(kind) && SweepLoader.class.getClassLoader()
                    .getResource(name.startsWith("/") ? name.substring(1) : name) != null;
            if ("classpath".equals(kind) ? onClasspath : target.isFile() || onClasspath) {
                if (target.isFile() && !"classpath".equals(kind)) {
                    checkIncludes(target, problems, seen);
                }
                continue;
            }
            problems.add(file.getPath() + ":" + (i + 1), "include", "\"" + name + "\"", ("classpath".equals(kind)
                    ? "no such resource on the class path" : "no such file (looked for " + target.getPath() + ")")
                    + "; HOCON would silently skip it and the run use defaults");
        }
    }

    /**
     * The sweep file without the grid entries whose dimensions an override names under another key: {@code --set
     * grid.tuned={zip{model=[..], ..}}} replaces the file's {@code model = [..]}, as a sweep's dimension replaces the
     * job default's. An entry the override names by its own key merges as HOCON does.
     */
    static Config withoutDimensionsNamedBy(Config user, Config over) {
        if (!over.hasPath("grid") || !user.hasPath("grid")
                || over.getValue("grid").valueType() != ConfigValueType.OBJECT
                || user.getValue("grid").valueType() != ConfigValueType.OBJECT) {
            return user;
        }
        ConfigObject overGrid = over.getObject("grid");
        Set<String> named = dimensionsNamed(overGrid);
        Config out = user;
        for (Map.Entry<String, ConfigValue> e : user.getObject("grid").entrySet()) {
            Set<String> names = dimensionsNamed(ConfigFactory.empty().withValue(quote(e.getKey()), e.getValue()).root());
            names.retainAll(named);
            if (!overGrid.containsKey(e.getKey()) && !names.isEmpty()) {
                out = out.withoutPath("grid." + quote(e.getKey()));
            }
        }
        return out;
    }

    /** The job's grid, replicates and params: the sweep's, falling back to the job's defaults. */
    static Config jobSections(Config merged, String jobId, Problems problems) {
        String defaults = "jobs." + quote(jobId);
        Config def = merged.hasPath(defaults) ? merged.getConfig(defaults) : ConfigFactory.empty();
        Config out = ConfigFactory.empty();
        for (String sec : List.of("replicates", "params")) {
            Config user = merged.hasPath(sec) ? merged.getConfig(sec) : ConfigFactory.empty();
            Config d = def.hasPath(sec) ? def.getConfig(sec) : ConfigFactory.empty();
            out = out.withValue(sec, user.withFallback(d).root());
        }
        Config userGrid = merged.hasPath("grid") ? merged.getConfig("grid") : ConfigFactory.empty();
        Config defGrid = def.hasPath("grid") ? def.getConfig("grid") : ConfigFactory.empty();
        Set<String> named = dimensionsNamed(userGrid.root());
        ConfigObject grid = userGrid.root();
        for (Map.Entry<String, ConfigValue> e : defGrid.root().entrySet()) {
            Set<String> defNames = dimensionsNamed(ConfigFactory.empty().withValue(quote(e.getKey()), e.getValue()).root());
            Set<String> overlap = new HashSet<>(defNames);
            overlap.retainAll(named);
            if (overlap.isEmpty() && !grid.containsKey(e.getKey())) {
                grid = grid.withValue(e.getKey(), e.getValue());
            }
        }
        return out.withValue("grid", grid);
    }

    private static Set<String> dimensionsNamed(ConfigObject grid) {
        Set<String> names = new HashSet<>();
        for (Map.Entry<String, ConfigValue> e : grid.entrySet()) {
            ConfigValue v = e.getValue();
            if (v.valueType() == ConfigValueType.OBJECT && ((ConfigObject) v).containsKey("zip")
                    && ((ConfigObject) v).get("zip").valueType() == ConfigValueType.OBJECT) {
                names.addAll(((ConfigObject) ((ConfigObject) v).get("zip")).keySet());
            } else {
                names.add(e.getKey());
            }
        }
        return names;
    }

    private static String quote(String id) {
        List<String> parts = new ArrayList<>();
        for (String p : id.split("\\.")) {
            parts.add(com.typesafe.config.ConfigUtil.quoteString(p));
        }
        return String.join(".", parts);
    }

    static ConfigValue value(Object o) {
        return ConfigValueFactory.fromAnyRef(o);
    }
}
