package org.engram.driver.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.engram.driver.engine.SweepLock;
import org.engram.export.fs.HadoopFiles;
import org.engram.jobs.config.Problems;
import org.engram.jobs.sweep.JobRegistry;
import org.engram.jobs.sweep.LoadedSweep;
import org.engram.jobs.sweep.ResultsRoot;
import org.engram.jobs.sweep.SweepLoader;

/**
 * The runs under a results root, read from their manifests ({@code <root>/<sweep-id>/<run-id>/manifest.json}) and
 * from the in-progress folders of runs under way: listing, finding one by id or folder, labelling (name, tags, note),
 * and what a run overrode (its {@code --set}s, and every setting that differs from its shipped conf and from
 * {@code reference.conf}).
 */
public final class Catalogue {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The tag that keeps a run from {@code engram prune}. */
    static final String KEEP = "keep";

    private Catalogue() {
    }

    /** One run: what its manifest says (or, for one under way, its folder). */
    public record Run(String sweep, String runId, String job, String name, List<String> tags, String note, Instant started,
               double seconds, String status, long cells, long trials, long computed, long reused, long failed,
               Path dir, JsonNode manifest) {
        boolean inProgress() {
            return status.equals("in progress");
        }

        boolean tagged(String tag) {
            return tags.contains(tag);
        }
    }

    /** The default results root: as a run without {@code --output} would write. */
    public static String defaultRoot() {
        return ResultsRoot.resolve("results", false);
    }

    /** Tags are words: letters, digits, '.', '_' and '-'. */
    public static List<String> checkedTags(List<String> tags) {
        for (String t : tags) {
            if (!t.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new IllegalArgumentException("--tag '" + t + "': a tag is a word of letters, digits, '.', '_' "
                        + "and '-'");
            }
        }
        return List.copyOf(new java.util.LinkedHashSet<>(tags));
    }

    static JsonNode readJson(FileSystem fs, Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return JSON.readTree(in);
        }
    }

    static Run fromManifest(Path dir, JsonNode m) {
        List<String> tags = new ArrayList<>();
        m.path("tags").forEach(t -> tags.add(t.asText()));
        JsonNode c = m.path("counts");
        return new Run(m.path("sweep").asText(), m.path("run_id").asText(), m.path("job").asText(),
                m.path("name").isTextual() ? m.path("name").asText() : null, tags,
                m.path("note").isTextual() ? m.path("note").asText() : null,
                Instant.parse(m.path("started").asText("1970-01-01T00:00:00Z")), m.path("seconds").asDouble(),
                m.path("status").asText("complete"), c.path("cells").asLong(), c.path("trials").asLong(),
                c.path("computed_trials").asLong(c.path("trials").asLong()), c.path("reused_trials").asLong(),
                c.path("failed_trials").asLong(), dir, m);
    }

    /** Every run under a results root, newest first: published ones and those under way (or left by a crash). */
    public static List<Run> list(FileSystem fs, Path root) {
        List<Run> out = new ArrayList<>();
        try {
            if (!fs.exists(root)) {
                return out;
            }
            for (FileStatus sweep : fs.listStatus(root)) {
                if (!sweep.isDirectory() || sweep.getPath().getName().startsWith(".")) {
                    continue;
                }
                Path lock = new Path(sweep.getPath(), SweepLock.NAME);
                String holder = fs.exists(lock) && SweepLock.heldByLiveRun(fs, lock) ? SweepLock.holder(fs, lock) : "";
                for (FileStatus run : fs.listStatus(sweep.getPath())) {
                    Path dir = run.getPath();
                    String n = dir.getName();
                    if (!run.isDirectory()) {
                        continue;
                    }
                    Path manifest = new Path(dir, "manifest.json");
                    if (!n.startsWith(".") && fs.exists(manifest)) {
                        out.add(fromManifest(dir, readJson(fs, manifest)));
                    } else if (n.startsWith(".") && n.endsWith(".inprogress")) {
                        String id = n.substring(1, n.length() - ".inprogress".length());
                        boolean live = holder.contains("run " + id);
                        out.add(new Run(sweep.getPath().getName(), id, "", null, List.of(), null,
                                Instant.ofEpochMilli(run.getModificationTime()), 0, live ? "in progress" : "interrupted",
                                0, 0, 0, 0, 0, dir, null));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the runs under " + root, e);
        }
        out.sort(Comparator.comparing(Run::started).reversed().thenComparing(Run::runId));
        return out;
    }

    /** A run by its folder, or by its id under {@code root} (one match, or a clear error). */
    public static Run find(Configuration conf, String root, String ref) {
        Path asDir = new Path(ref);
        FileSystem fs = HadoopFiles.fs(asDir, conf);
        try {
            if (fs.exists(new Path(asDir, "manifest.json"))) {
                Path dir = fs.makeQualified(asDir);
                return fromManifest(dir, readJson(fs, new Path(dir, "manifest.json")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ref, e);
        }
        Path r = new Path(root);
        FileSystem rfs = HadoopFiles.fs(r, conf);
        List<Run> matches = list(rfs, rfs.makeQualified(r)).stream().filter(x -> x.runId().equals(ref)
                && x.manifest() != null).toList();
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("no run '" + ref + "': not a run folder, and no run of that id under "
                    + root + " (engram runs lists them; --root names another results root)");
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException("run id '" + ref + "' names " + matches.size() + " runs under " + root
                    + " (" + matches.stream().map(x -> x.sweep()).toList() + "): give the run folder");
        }
        return matches.get(0);
    }

    /** Changes a published run's name, tags and note in its manifest (rewritten whole, atomically). */
    public static Run relabel(Configuration conf, Run run, String name, List<String> add, List<String> remove, String note) {
        ObjectNode m = (ObjectNode) run.manifest().deepCopy();
        if (name != null) {
            m.put("name", name.isEmpty() ? null : name);
        }
        if (note != null) {
            m.put("note", note.isEmpty() ? null : note);
        }
        List<String> tags = new ArrayList<>(run.tags());
        for (String t : checkedTags(add)) {
            if (!tags.contains(t)) {
                tags.add(t);
            }
        }
        tags.removeAll(remove);
        ArrayNode arr = m.putArray("tags");
        tags.forEach(arr::add);
        try {
            HadoopFiles.write(new Path(run.dir(), "manifest.json"), conf, JSON.writeValueAsString(m) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return fromManifest(run.dir(), m);
    }

    /** What a run changed: its {@code --set}s, and the settings that differ from its shipped conf and the reference. */
    public record Overrides(List<String> sets, String shippedConf, Map<String, String[]> fromShipped,
                     Map<String, String[]> fromReference) {
    }

    /** Settings that name a run rather than change it: not overrides. */
    private static final Set<String> NAMING = Set.of("sweep.id", "sweep.job", "sweep.description", "sweep.output",
            "sweep.run-id");

    public static Overrides overrides(JsonNode manifest) {
        return overrides(manifest, true);
    }

    /** As {@link #overrides(JsonNode)}; the comparison with the reference (a conf parsed afresh) only when asked. */
    public static Overrides overrides(JsonNode manifest, boolean withReference) {
        String source = manifest.path("source").asText();
        String[] parts = source.split(" --set ");
        List<String> sets = List.of(parts).subList(1, parts.length);
        Map<String, String> run = flatten(manifest.path("config"));
        Map<String, String[]> fromShipped = null;
        java.io.File conf = new java.io.File(parts[0]);
        if (conf.isFile()) {
            fromShipped = diff(effective(conf), run);
        }
        Map<String, String[]> fromReference = null;
        try {
            if (!withReference) {
                return new Overrides(sets, conf.isFile() ? parts[0] : null, fromShipped, null);
            }
            java.io.File bare = java.io.File.createTempFile("engram-reference-", ".conf");
            try {
                java.nio.file.Files.writeString(bare.toPath(), "sweep { id = \"reference\", job = \""
                        + manifest.path("job").asText() + "\" }\n");
                fromReference = diff(effective(bare), run);
            } finally {
                java.nio.file.Files.deleteIfExists(bare.toPath());
            }
        } catch (IOException | RuntimeException e) {
            // a job this version does not know: no reference to compare with
        }
        return new Overrides(sets, conf.isFile() ? parts[0] : null, fromShipped, fromReference);
    }

    private static Map<String, String> effective(java.io.File conf) {
        LoadedSweep s = SweepLoader.load(conf, List.of(), JobRegistry.standard(), new Problems());
        try {
            return flatten(JSON.readTree(s.effective().root().render(ConfigRenderOptions.concise().setJson(true))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** key → {before, after} for every setting that differs (a missing one shows as "-"). */
    static Map<String, String[]> diff(Map<String, String> before, Map<String, String> after) {
        Map<String, String[]> out = new LinkedHashMap<>();
        Set<String> keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String k : keys) {
            String a = before.getOrDefault(k, "-");
            String b = after.getOrDefault(k, "-");
            if (!a.equals(b) && !NAMING.contains(k)) {
                out.put(k, new String[] {a, b});
            }
        }
        return out;
    }

    /** A JSON tree as dotted keys → values (lists and scalars rendered as JSON). */
    static Map<String, String> flatten(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", n, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode n, Map<String, String> out) {
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String k = e.getKey().contains(".") ? "\"" + e.getKey() + "\"" : e.getKey();
                flatten(prefix.isEmpty() ? k : prefix + "." + k, e.getValue(), out);
            }
        } else {
            out.put(prefix, n.isTextual() ? n.asText() : n.toString());
        }
    }
}
