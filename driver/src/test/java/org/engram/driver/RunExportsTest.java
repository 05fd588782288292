package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.conf.Configuration;
import org.engram.driver.catalogue.Exports;
import org.engram.driver.catalogue.Nightly;
import org.engram.driver.engine.RunOptions;
import org.engram.export.Notebook;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's notebook and the results report, as a user opens them: the notebook is validated against the official
 * nbformat 4.5 schema and executed top to bottom with Debian's Jupyter stack (python3-nbclient, -ipykernel,
 * -pandas, -matplotlib; deploy/setup.sh installs them), and what matplotlib drew is compared with the run's tables;
 * the report is loaded in headless Chromium, which must render every image and whose links must resolve.
 */
class RunExportsTest {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    @TempDir
    static Path dir;
    static File heatmapRun;
    static File curvesRun;

    @BeforeAll
    static void runs() throws IOException {
        Path results = dir.resolve("results");
        heatmapRun = Sweeps.dir(Sweeps.run("quick/rnn.reinforcement.conf", List.of("grid.n=[100]",
                "replicates.weight-draws=1", "replicates.initial-states=2"), "local[2]", results, "r1"));
        curvesRun = Sweeps.dir(Sweeps.run("quick/perceptron.capacity.conf", List.of("replicates.trials=8",
                "grid.alpha=[1.0, 2.0, 3.0]"), "local[2]", results, "c1"));
        Path confs = Files.createDirectories(dir.resolve("confs"));
        Files.writeString(confs.resolve("tiny.conf"), """
                sweep { id = "night-tiny", job = "rnn.reinforcement" }
                grid { n = [40], d = [1.2, 1.6], a = [0.1, 1] }
                replicates { weight-draws = 1, initial-states = 2 }
                params { max-steps = 100 }
                """);
        new Nightly(Sweeps.QUIET).run(confs.toFile(), new RunOptions("local[2]", Map.of("spark.ui.enabled", "false"),
                results.toString(), null, true, false), results.resolve("nightly/{stamp}.md").toString());
    }

    static String python() {
        return new File("/usr/bin/python3").canExecute() ? "/usr/bin/python3" : "python3";
    }

    /** Runs a command, returns its stdout; fails the test with its stderr when it exits non-zero. */
    static String exec(List<String> cmd, boolean mustSucceed) throws Exception {
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "timed out: " + cmd);
        if (mustSucceed && p.exitValue() != 0) {
            throw new AssertionError(cmd + " exited " + p.exitValue() + " (deploy/setup.sh installs the Jupyter stack "
                    + "and chromium):\n" + Files.readString(err));
        }
        return p.exitValue() == 0 ? out : null;
    }

    static String harness() throws IOException {
        Path script = dir.resolve("execute_notebook.py");
        if (!Files.exists(script)) {
            try (var in = RunExportsTest.class.getResourceAsStream("/execute_notebook.py")) {
                Files.write(script, in.readAllBytes());
            }
        }
        return script.toString();
    }

    /** Executes the run's notebook; returns what it drew, per figure. */
    static JsonNode execute(File run) throws Exception {
        String out = exec(List.of(python(), harness(), new File(run, Notebook.FILE).toString()), true);
        String probe = out.lines().filter(l -> l.startsWith("PROBE ")).findFirst()
                .orElseThrow(() -> new AssertionError("no probe output:\n" + out));
        return JSON.readTree(probe.substring("PROBE ".length()));
    }

    static List<CSVRecord> csv(File f) throws IOException {
        try (Reader r = Files.newBufferedReader(f.toPath())) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
    }

    static double num(String s) {
        return s.equals("NaN") || s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    static void assertSame(double expected, JsonNode drawn, String what) {
        if (Double.isNaN(expected)) {
            assertTrue(drawn.isNull(), what + ": expected missing, drawn " + drawn);
        } else {
            assertEquals(expected, drawn.asDouble(), 1e-12, what);
        }
    }

    /** Labels, titles and at most 8 ticks on every axis, as the manifest's figure entry says. */
    static void assertLabelled(File run, JsonNode drawn) throws IOException {
        JsonNode figures = JSON.readTree(new File(run, "manifest.json")).path("figures");
        assertEquals(figures.size(), drawn.size(), "every figure of the manifest is drawn");
        for (JsonNode f : figures) {
            JsonNode d = drawn.path(f.path("name").asText());
            assertEquals(f.path("title").asText(), d.path("title").asText());
            assertEquals(f.path("x_label").asText(), d.path("xlabel").asText());
            assertEquals(f.path("y_label").asText(), d.path("ylabel").asText());
            assertTrue(d.path("xticks").asInt() >= 2 && d.path("xticks").asInt() <= 8, "x ticks " + d);
            assertTrue(d.path("yticks").asInt() >= 2 && d.path("yticks").asInt() <= 8, "y ticks " + d);
            d.path("colorbar_ticks").forEach(t -> assertTrue(t.asInt() >= 2 && t.asInt() <= 8, "colour bar " + d));
            assertTrue(new File(run, "notebook-figures/" + f.path("name").asText() + ".png").length() > 1000,
                    "notebook wrote " + f.path("name").asText());
        }
    }

    @Test
    void heatmapNotebookRedrawsTheRegimeTable() throws Exception {
        JsonNode drawn = execute(heatmapRun);
        assertLabelled(heatmapRun, drawn);
        JsonNode fig = drawn.path("heatmap_n100");
        // the colour of cell (d, a) is the derived table's mean iterations, in the matrix's row-major order
        List<CSVRecord> regimes = csv(new File(heatmapRun, "derived/regimes.csv"));
        JsonNode mesh = fig.path("mesh").get(0);
        assertEquals(regimes.size(), mesh.size());
        List<String> letters = new ArrayList<>();
        for (int i = 0; i < regimes.size(); i++) {
            assertSame(num(regimes.get(i).get("mean_iterations")), mesh.get(i), "cell " + regimes.get(i));
            letters.add(regimes.get(i).get("regime").substring(0, 1).toUpperCase());
        }
        List<String> texts = new ArrayList<>();
        fig.path("texts").forEach(t -> texts.add(t.asText()));
        assertEquals(letters, texts, "each cell carries its regime's letter");
    }

    @Test
    void phaseDiagramNotebookDrawsTheAgsLineOnlyInsideItsAxes() throws Exception {
        // α from 0.04 to 0.12 by 0.04 and T from 0.2 to 0.8 by 0.3: most of the AGS line (α from 0) lies outside
        File run = Sweeps.dir(Sweeps.run("quick/unlearning.phase-diagram.conf", List.of("grid.a=[0]",
                "grid.alpha=[0.04, 0.08, 0.12]", "grid.t=[0.2, 0.5, 0.8]", "params.n=60", "params.sweeps=10",
                "params.measure-sweeps=4", "replicates.systems=1", "params.systems-per-unit=1"), "local[2]",
                dir.resolve("results-phase"), "pd"));
        JsonNode lines = execute(run).path("phase_a0").path("lines");
        assertEquals(1, lines.size(), "the AGS line: " + lines);
        JsonNode x = lines.get(0).path("x");
        JsonNode y = lines.get(0).path("y");
        List<CSVRecord> ags = csv(new File(run, "derived/ags_line.csv"));
        assertEquals(ags.size(), x.size());
        int inside = 0;
        for (int i = 0; i < ags.size(); i++) {
            // cell centres 0, 1, 2 at α = 0.04, 0.08, 0.12 and T = 0.2, 0.5, 0.8; the axes end half a cell out
            double cx = (num(ags.get(i).get("alpha")) - 0.04) / 0.04;
            double cy = (num(ags.get(i).get("t_m")) - 0.2) / 0.3;
            boolean in = cx >= -0.5 && cx <= 2.5 && cy >= -0.5 && cy <= 2.5;
            if (in) {
                assertEquals(cx, x.get(i).asDouble(), 1e-9, "α of point " + i);
                assertEquals(cy, y.get(i).asDouble(), 1e-9, "T_M of point " + i);
                inside++;
            } else {
                assertTrue(x.get(i).isNull() || y.get(i).isNull(), "point " + i + " (" + ags.get(i) + ") lies "
                        + "outside the axes and is not drawn: " + x.get(i) + ", " + y.get(i));
            }
        }
        assertTrue(inside >= 3 && inside < ags.size(), inside + " of " + ags.size() + " points inside");
    }

    @Test
    void tilesNotebookRedrawsTheRefinedCellsAndTheBoundary() throws Exception {
        // the circle of engine.shapes refined once from a grid every 1: each computed cell a rectangle of its size
        File run = Sweeps.dir(Sweeps.run("quick/engine.shapes.conf", List.of("grid.x={from=-2,to=2,step=1}",
                "grid.y={from=-2,to=2,step=1}", "sweep.adaptive.refine={x=0.5, y=0.5}", "replicates.count=1",
                "params.trials-per-unit=1"), "local[2]", dir.resolve("results-tiles"), "t1"));
        JsonNode drawn = execute(run);
        assertLabelled(run, drawn);
        JsonNode fig = drawn.path("adaptive");
        List<CSVRecord> tiles = csv(new File(run, "plots/adaptive.csv"));
        // edges inferred (the default): a tile per computed or inferred cell — the cells the plain quadtree computes
        File all = Sweeps.dir(Sweeps.run("quick/engine.shapes.conf", List.of("grid.x={from=-2,to=2,step=1}",
                "grid.y={from=-2,to=2,step=1}", "sweep.adaptive.refine={x=0.5, y=0.5}", "replicates.count=1",
                "params.trials-per-unit=1", "sweep.adaptive.edges=compute"), "local[2]", dir.resolve("results-tiles"),
                "t1-all"));
        int computedAll = csv(new File(all, "derived/adaptive_cells.csv")).size();
        assertEquals(computedAll, csv(new File(all, "plots/adaptive.csv")).size(), "a tile per computed cell");
        assertEquals(computedAll, tiles.size(), "a tile per computed or inferred cell");
        assertTrue(csv(new File(run, "derived/adaptive_cells.csv")).size() < tiles.size(), "some cells are inferred");
        assertEquals(tiles.size(), fig.path("patches").size());
        for (int i = 0; i < tiles.size(); i++) {
            JsonNode p = fig.path("patches").get(i);
            assertEquals(num(tiles.get(i).get("x_low")), p.get(0).asDouble(), 1e-12, "tile " + i);
            assertEquals(num(tiles.get(i).get("x_high")), p.get(1).asDouble(), 1e-12, "tile " + i);
            assertEquals(num(tiles.get(i).get("y_low")), p.get(2).asDouble(), 1e-12, "tile " + i);
            assertEquals(num(tiles.get(i).get("y_high")), p.get(3).asDouble(), 1e-12, "tile " + i);
        }
        // the boundary: one segment per bracket, separated by NaN
        int brackets = csv(new File(run, "derived/adaptive_boundary.csv")).size();
        JsonNode line = fig.path("lines").get(0);
        assertEquals("boundary 'circle'", line.path("label").asText());
        assertEquals(3 * brackets, line.path("x").size());
        assertTrue(brackets > 4, "the circle is crossed: " + brackets);
    }

    @Test
    void curvesNotebookRedrawsTheAggregatedMeans() throws Exception {
        JsonNode drawn = execute(curvesRun);
        assertLabelled(curvesRun, drawn);
        JsonNode lines = drawn.path("capacity").path("lines");
        // the measured curves are the aggregated table's mean fraction separable per preprocessing, by α
        List<CSVRecord> agg = csv(new File(curvesRun, "aggregated/trials.csv"));
        for (String pre : List.of("none", "rnn")) {
            JsonNode line = null;
            for (JsonNode l : lines) {
                if (l.path("label").asText().equals("preprocessing = " + pre)) {
                    line = l;
                }
            }
            assertTrue(line != null, "a line for preprocessing " + pre + " in " + lines);
            List<CSVRecord> rows = agg.stream().filter(r -> r.get("metric").equals("separable")
                    && r.get("preprocessing").equals(pre)).toList();
            assertEquals(rows.size(), line.path("y").size());
            for (int i = 0; i < rows.size(); i++) {
                assertSame(num(rows.get(i).get("alpha")), line.path("x").get(i), "α");
                assertSame(num(rows.get(i).get("mean")), line.path("y").get(i), pre + " at " + rows.get(i).get("alpha"));
            }
        }
        // and every line equals the figure's data file, series by series
        List<CSVRecord> data = csv(new File(curvesRun, "plots/capacity.csv"));
        long series = data.stream().map(r -> r.get("series")).distinct().count();
        assertEquals(series, lines.size());
        int k = 0;
        for (JsonNode l : lines) {
            for (int i = 0; i < l.path("y").size(); i++) {
                CSVRecord r = data.get(k++);
                assertEquals(r.get("label"), l.path("label").asText());
                assertSame(num(r.get("y")), l.path("y").get(i), "point " + r);
            }
        }
        assertEquals(data.size(), k);
    }

    @Test
    void notebookIsNbformat45WithAParametersCellAndTheSchemaRejectsABrokenOne() throws Exception {
        File nb = new File(heatmapRun, Notebook.FILE);
        JsonNode root = JSON.readTree(nb);
        assertEquals(4, root.path("nbformat").asInt());
        assertEquals(5, root.path("nbformat_minor").asInt());
        Set<String> ids = new HashSet<>();
        int parameters = 0;
        for (JsonNode c : root.path("cells")) {
            assertTrue(ids.add(c.path("id").asText()), "unique cell id " + c.path("id"));
            if (c.path("metadata").path("tags").toString().contains("\"parameters\"")) {
                parameters++;
                assertTrue(String.join("", JSON.convertValue(c.path("source"), List.class)).contains("run_dir = \".\""));
            }
        }
        assertEquals(1, parameters, "one cell tagged parameters (papermill)");
        assertEquals("VALID\n", exec(List.of(python(), harness(), nb.toString(), "--validate-only"), true));
        // the schema check can fail: a 4.5 notebook whose cell lost its id is refused
        ObjectNode broken = (ObjectNode) root.deepCopy();
        ((ObjectNode) broken.path("cells").get(0)).remove("id");
        Path bad = dir.resolve("broken.ipynb");
        JSON.writeValue(bad.toFile(), broken);
        assertEquals(null, exec(List.of(python(), harness(), bad.toString(), "--validate-only"), false));
        // the same run exported again gives the same notebook
        String before = Files.readString(nb.toPath());
        Exports.notebook(heatmapRun.toString(), new Configuration());
        assertEquals(before, Files.readString(nb.toPath()));
    }

    @Test
    void reportRendersEveryImageAndEveryLinkResolvesInChromium() throws Exception {
        Path results = dir.resolve("results");
        Path index = Path.of(Exports.report(results.toString(), null, new Configuration()).toUri());
        Path profile = Files.createTempDirectory(dir, "chromium");
        String dom = exec(List.of("/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--allow-file-access-from-files", "--virtual-time-budget=10000",
                "--dump-dom", index.toUri().toString()), true);
        Document doc = Jsoup.parse(dom);
        assertEquals("true", doc.body().attr("data-loaded"), "the page's load event ran");
        List<Element> imgs = doc.select("img");
        long pngs = 0;
        for (String sweep : List.of("rnn.reinforcement.quick/r1", "perceptron.capacity.quick/c1")) {
            pngs += new File(results.toFile(), sweep + "/plots").list((d, n) -> n.endsWith(".png")).length;
        }
        assertTrue(imgs.size() >= pngs + 1, imgs.size() + " images for " + pngs + " PNGs and the nightly run's");
        for (Element img : imgs) {
            assertNotEquals("0", img.attr("data-natural-width"), "rendered: " + img.attr("src"));
            assertFalse(img.attr("data-natural-width").isEmpty(), "checked: " + img.attr("src"));
        }
        assertTrue(doc.select(".missing").isEmpty());
        int local = 0;
        for (Element a : doc.select("a[href]")) {
            String href = a.attr("href");
            if (href.startsWith("#")) {
                assertFalse(doc.getElementById(href.substring(1)) == null, "anchor " + href);
            } else {
                assertTrue(Files.exists(index.getParent().resolve(href)), "link " + href);
                local++;
            }
        }
        assertTrue(local >= 8, "links to manifests, tables, notebooks: " + local);
        // the nightly run links to its change report, rendered from Markdown
        Element nightly = doc.selectFirst("#nightly article");
        assertTrue(nightly != null && nightly.select("table td").text().contains("night-tiny"), "nightly report");
        assertTrue(doc.select("dd a[href^=#nightly-]").size() >= 1, "the nightly run links to its report");
        // figures are thumbnails that open full size
        for (Element img : doc.select("figure.thumb img")) {
            assertEquals(img.attr("src"), img.parent().attr("href"), "a thumbnail links to its full-size image");
        }
        assertTrue(doc.select("section.run dd ul.overrides li, section.run dd").text().contains("--set"),
                "overrides shown");

        // the address presets the filter and the compare view: two runs of rnn.reinforcement side by side
        String nightlyRun = doc.select("select[name=a] option[data-job=rnn.reinforcement]").stream()
                .map(o -> o.attr("value")).filter(v -> v.contains("night")).findFirst().orElseThrow();
        String filtered = exec(List.of("/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--allow-file-access-from-files",
                "--virtual-time-budget=10000", "--dump-dom", index.toUri() + "#job=rnn.reinforcement&a="
                        + "run-rnn-reinforcement-quick-r1&b=" + nightlyRun), true);
        Document f = Jsoup.parse(filtered);
        for (Element tr : f.select("table.summary tr[data-job]")) {
            assertEquals(!tr.attr("data-job").equals("rnn.reinforcement"), tr.hasAttr("hidden"), tr.text());
        }
        assertTrue(f.select("section.run[data-job=perceptron.capacity]").stream().allMatch(e -> e.hasAttr("hidden")));
        List<Element> panes = f.select("#compare-panes .pane");
        assertEquals(2, panes.size(), f.select("#compare").outerHtml());
        for (Element pane : panes) {
            assertTrue(pane.select("img").size() >= 1 && pane.selectFirst("h2") != null, pane.outerHtml());
        }
        assertTrue(f.selectFirst("#compare-note").text().contains("job rnn.reinforcement"));
    }
}
