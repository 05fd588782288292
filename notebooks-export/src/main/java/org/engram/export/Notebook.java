package org.engram.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A run's Jupyter notebook (nbformat 4.5), written from its manifest alone: what the job computes and the run's
 * provenance, a {@code parameters} cell holding the run folder (papermill re-points it with {@code -p run_dir}),
 * a cell per table loading it with pandas, and a cell per figure redrawing it with matplotlib from its data file
 * by one generic recipe ({@code notebook_helpers.py}, inlined) — heatmaps with their cell labels and overlays,
 * curves with their 95% bands — titled and labelled from the manifest's figure entries.
 */
public final class Notebook {
    public static final String FILE = "notebook.ipynb";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String HELPERS = resource("notebook_helpers.py");

    private final ArrayNode cells = JSON.createArrayNode();

    private Notebook() {
    }

    /** The notebook of the run whose manifest.json is {@code manifest}, as JSON text. */
    public static String of(JsonNode manifest) {
        Notebook nb = new Notebook();
        nb.markdown(intro(manifest));
        nb.code(List.of("parameters"), "# the run folder (papermill: -p run_dir <folder>)\nrun_dir = \".\"\n");
        nb.code(List.of(), HELPERS);
        nb.markdown("## Tables\n\nEvery table of the run is described in `tables.md` (and under \"tables\" in "
                + "`manifest.json`). The aggregated, wide, derived and failures tables are loaded here into `tables`; "
                + "raw per-trial tables are Parquet (`pd.read_parquet` needs pyarrow).");
        for (JsonNode t : manifest.path("tables")) {
            String kind = t.path("kind").asText();
            if (kind.equals("raw") || kind.equals("figure")) {
                continue;
            }
            String csv = null;
            for (JsonNode f : t.path("files")) {
                if (f.asText().endsWith(".csv")) {
                    csv = f.asText();
                    break;
                }
            }
            if (csv == null) {
                continue;
            }
            String key = t.path("name").asText();
            nb.markdown("### " + kind + ": `" + key + "`\n\n" + t.path("description").asText() + ".");
            nb.code(List.of(), "tables[" + py(key) + "] = read_table(" + py(csv) + ")\ntables[" + py(key) + "].head(10)\n");
        }
        JsonNode figs = manifest.path("figures");
        if (figs.isArray() && !figs.isEmpty()) {
            nb.markdown("## Figures\n\nEach figure is redrawn from its data file under `plots/` (the PNG beside it is "
                    + "Engram's own rendering) and saved under `notebook-figures/`.");
            for (JsonNode f : figs) {
                String legend = f.path("legend").asText("");
                nb.markdown("### " + f.path("title").asText() + "\n\n`" + f.path("png").asText() + "`, data `"
                        + f.path("data").asText() + "`" + (legend.isEmpty() ? "" : "\n\n" + legend));
                nb.code(List.of(), "figures[" + py(f.path("name").asText()) + "] = draw(" + py(f.path("name").asText())
                        + ")\n");
            }
        } else {
            nb.markdown("## Figures\n\nThis run's manifest lists no figures.");
        }
        ObjectNode root = JSON.createObjectNode();
        root.set("cells", nb.cells);
        ObjectNode meta = root.putObject("metadata");
        ObjectNode ks = meta.putObject("kernelspec");
        ks.put("name", "python3");
        ks.put("display_name", "Python 3");
        ks.put("language", "python");
        meta.putObject("language_info").put("name", "python");
        ObjectNode engram = meta.putObject("engram");
        engram.put("sweep", manifest.path("sweep").asText());
        engram.put("run_id", manifest.path("run_id").asText());
        root.put("nbformat", 4);
        root.put("nbformat_minor", 5);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String intro(JsonNode m) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(m.path("sweep").asText()).append(" — job `").append(m.path("job").asText())
                .append("`\n\n");
        if (m.hasNonNull("description")) {
            b.append(m.path("description").asText()).append(".\n\n");
        }
        JsonNode c = m.path("counts");
        b.append(String.format(Locale.ROOT, "Run `%s`: %s, started %s, %.1f s. %d cells × %d replicates, %d trials "
                        + "(%d failed, %d reused from the ledger).%n%n", m.path("run_id").asText(),
                m.path("status").asText(), m.path("started").asText(), m.path("seconds").asDouble(),
                c.path("cells").asLong(), c.path("replicates_per_cell").asLong(), c.path("trials").asLong(),
                c.path("failed_trials").asLong(), c.path("reused_trials").asLong()));
        JsonNode code = m.path("code");
        JsonNode rt = m.path("runtime");
        b.append("**Provenance.** Source `").append(m.path("source").asText()).append("`; config sha256 `")
                .append(m.path("config_sha256").asText()).append("`; git commit `")
                .append(code.path("git_commit").asText()).append("`; jar sha256 `")
                .append(code.path("jar_sha256").asText()).append("`; job code version `")
                .append(code.path("job_code_version").asText()).append("`. Spark ")
                .append(rt.path("spark_version").asText()).append(" on `").append(rt.path("spark_master").asText())
                .append("`, Java ").append(rt.path("java_version").asText()).append(", BLAS ")
                .append(rt.path("blas_driver").asText()).append(", host ").append(rt.path("host").asText())
                .append(".");
        JsonNode data = m.path("datasets");
        if (data.isArray() && !data.isEmpty()) {
            b.append(" Datasets: ");
            List<String> ds = new ArrayList<>();
            data.forEach(d -> ds.add(d.isTextual() ? d.asText() : d.toString()));
            b.append(String.join("; ", ds)).append(".");
        }
        b.append("\n\n<details><summary>Resolved configuration</summary>\n\n```json\n");
        try {
            b.append(JSON.writeValueAsString(m.path("config")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        b.append("\n```\n\n</details>");
        return b.toString();
    }

    /** A Python string literal (JSON's escaping is valid Python). */
    private static String py(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void markdown(String text) {
        ObjectNode c = cells.addObject();
        c.put("cell_type", "markdown");
        c.put("id", id());
        c.putObject("metadata");
        c.set("source", lines(text));
    }

    private void code(List<String> tags, String text) {
        ObjectNode c = cells.addObject();
        c.put("cell_type", "code");
        c.put("id", id());
        ObjectNode meta = c.putObject("metadata");
        if (!tags.isEmpty()) {
            ArrayNode t = meta.putArray("tags");
            tags.forEach(t::add);
        }
        c.putNull("execution_count");
        c.putArray("outputs");
        c.set("source", lines(text));
    }

    /** Cell ids are the cell's position (1-based; called after the cell is added): the same run, the same bytes. */
    private String id() {
        return String.format(Locale.ROOT, "cell-%03d", cells.size());
    }

    /** nbformat's multiline string: lines keeping their newline. */
    private static ArrayNode lines(String text) {
        ArrayNode a = JSON.createArrayNode();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl + 1;
            a.add(text.substring(start, end));
            start = end;
        }
        return a;
    }

    private static String resource(String name) {
        try (InputStream in = Notebook.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
