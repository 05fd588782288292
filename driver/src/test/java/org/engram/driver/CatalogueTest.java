package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVRecord;
import org.engram.driver.catalogue.Catalogue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A results root as a catalogue, used as a researcher would: runs listed and filtered, one shown with what it
 * overrode, tagged, two compared cell by cell (numbers checked against both runs' tables), old ones pruned (never a
 * kept one), and every run queried with Spark SQL.
 */
class CatalogueTest {
    @TempDir
    static Path dir;
    static Path root;
    static final String CONF = "quick/perceptron.capacity.conf";
    static final List<String> SMALL = List.of("replicates.trials=6", "grid.alpha=[1.0, 2.0, 3.0]");

    static Object[] cli(String... args) {
        return CliTest.captured(() -> Engram.execute(args));
    }

    static String[] run(String runId, List<String> sets, String... labels) {
        List<String> a = new ArrayList<>(List.of("run", Sweeps.CONF.resolve(CONF).toString(), "--quiet", "--master",
                "local[2]", "--conf", "spark.ui.enabled=false", "--output", root.toString(), "--run-id", runId));
        for (String s : sets) {
            a.add("--set");
            a.add(s);
        }
        a.addAll(List.of(labels));
        return a.toArray(String[]::new);
    }

    @BeforeAll
    static void runs() throws Exception {
        root = dir.resolve("results");
        assertEquals(0, cli(run("a", SMALL, "--name", "baseline", "--tag", "thesis", "--note", "first try"))[0]);
        Thread.sleep(20);
        List<String> more = new ArrayList<>(SMALL);
        more.add("replicates.trials=12");
        assertEquals(0, cli(run("b", more))[0]);
    }

    @Test
    void runsAreListedNewestFirstAndFilteredAndShownWithTheirOverrides() {
        Object[] r = cli("runs", root.toString());
        assertEquals(0, r[0], (String) r[2]);
        List<String> lines = ((String) r[1]).lines().toList();
        assertEquals(3, lines.size(), (String) r[1]);
        assertTrue(lines.get(1).contains(" b ") && lines.get(2).contains(" a "), "newest first: " + r[1]);
        assertTrue(lines.get(2).contains("baseline") && lines.get(2).contains("thesis"), lines.get(2));
        assertTrue(lines.get(1).contains("  6  ") && lines.get(1).contains("72/0/0"), "b: 6 cells × 12 trials " + lines);
        Object[] tagged = cli("runs", root.toString(), "--tag", "thesis");
        assertEquals(2, ((String) tagged[1]).lines().count(), (String) tagged[1]);
        Object[] none = cli("runs", root.toString(), "--job", "rnn.reinforcement");
        assertTrue(((String) none[1]).contains("no runs"), (String) none[1]);

        Object[] shown = cli("show", "b", "--root", root.toString());
        String s = (String) shown[1];
        assertEquals(0, shown[0], (String) shown[2]);
        assertTrue(s.contains("--set        replicates.trials=6  grid.alpha=[1.0, 2.0, 3.0]  replicates.trials=12"), s);
        assertTrue(s.contains("replicates.trials = 12  (was "), "a difference from the shipped conf: " + s);
        assertTrue(s.contains("vs reference reference.conf:"), s);
        Object[] missing = cli("show", "zzz", "--root", root.toString());
        assertEquals(2, missing[0]);
    }

    @Test
    void tagsAreAddedAndRemovedInTheManifest() throws Exception {
        Object[] t = cli("tag", "b", "keep", "x1", "--root", root.toString(), "--note", "longer");
        assertEquals(0, t[0], (String) t[2]);
        Catalogue.Run b = Catalogue.find(new org.apache.hadoop.conf.Configuration(), root.toString(), "b");
        assertEquals(List.of("keep", "x1"), b.tags());
        assertEquals("longer", b.note());
        cli("tag", "b", "--remove", "x1", "--root", root.toString());
        b = Catalogue.find(new org.apache.hadoop.conf.Configuration(), root.toString(), "b");
        assertEquals(List.of("keep"), b.tags());
        assertEquals(2, cli("tag", "b", "not a tag", "--root", root.toString())[0]);
    }

    @Test
    void twoRunsAreComparedCellByCellAgainstTheirOwnTables() throws Exception {
        Path out = dir.resolve("cmp");
        Object[] c = cli("compare", "a", "b", "--root", root.toString(), "--out", out.toString());
        assertEquals(0, c[0], (String) c[2]);
        assertTrue(((String) c[1]).contains("replicates.trials: 6 -> 12"), (String) c[1]);
        List<CSVRecord> rows = RunExportsTest.csv(out.resolve("compare.csv").toFile());
        List<CSVRecord> aggA = RunExportsTest.csv(root.resolve("perceptron.capacity.quick/a/aggregated/trials.csv")
                .toFile());
        List<CSVRecord> aggB = RunExportsTest.csv(root.resolve("perceptron.capacity.quick/b/aggregated/trials.csv")
                .toFile());
        assertEquals(aggA.size(), rows.size(), "one row per (cell, metric)");
        for (int i = 0; i < rows.size(); i++) {
            CSVRecord r = rows.get(i);
            double[] a = {Double.parseDouble(aggA.get(i).get("mean")), Double.parseDouble(aggA.get(i).get("ci95_low")),
                Double.parseDouble(aggA.get(i).get("ci95_high"))};
            double[] b = {Double.parseDouble(aggB.get(i).get("mean")), Double.parseDouble(aggB.get(i).get("ci95_low")),
                Double.parseDouble(aggB.get(i).get("ci95_high"))};
            assertEquals(aggA.get(i).get("metric"), r.get("metric"));
            assertEquals(a[0], Double.parseDouble(r.get("mean_a")), 0);
            assertEquals(b[2], Double.parseDouble(r.get("ci95_high_b")), 0);
            // a missing interval (NaN) counts as the mean alone
            double alo = Double.isNaN(a[1]) ? a[0] : a[1];
            double ahi = Double.isNaN(a[2]) ? a[0] : a[2];
            double blo = Double.isNaN(b[1]) ? b[0] : b[1];
            double bhi = Double.isNaN(b[2]) ? b[0] : b[2];
            boolean overlap = Double.isNaN(alo) || Double.isNaN(blo) ? Double.isNaN(alo) == Double.isNaN(blo)
                    : alo <= bhi && blo <= ahi;
            assertEquals(Boolean.toString(overlap), r.get("overlap"), "row " + i);
        }
        assertTrue(Files.size(out.resolve("capacity.png")) > 1000, "the capacity curves of both runs, overlaid");
        String html = Files.readString(out.resolve("compare.html"));
        assertTrue(html.contains("replicates.trials") && html.contains("capacity.png"), html);
        assertEquals(2, cli("compare", "a", "nope", "--root", root.toString())[0]);
    }

    @Test
    void everyRunIsQueriedWithSparkSql() throws Exception {
        Object[] q = cli("sql", "--root", root.toString(), "--master", "local[2]",
                "SELECT run_id, trials, params['replicates.trials'] AS per_cell FROM runs ORDER BY run_id");
        assertEquals(0, q[0], (String) q[2]);
        List<String> lines = ((String) q[1]).lines().toList();
        assertTrue(lines.get(1).matches("a\\s+36\\s+6") && lines.get(2).matches("b\\s+72\\s+12"), lines.toString());
        Path csv = dir.resolve("q.csv");
        Object[] w = cli("sql", "--root", root.toString(), "--master", "local[2]", "--output", csv.toString(),
                "SELECT run_id, count(*) AS n FROM trials GROUP BY run_id ORDER BY run_id");
        assertEquals(0, w[0], (String) w[2]);
        assertEquals(List.of("run_id,n", "a,36", "b,72"), Files.readAllLines(csv).stream().map(String::strip).toList());
        // the aggregated view holds the runs' own numbers
        Object[] m = cli("sql", "--root", root.toString(), "--master", "local[2]",
                "SELECT mean FROM aggregated WHERE run_id = 'b' AND metric = 'separable' AND alpha = 2.0 AND n = "
                        + "(SELECT min(n) FROM aggregated)");
        String mean = RunExportsTest.csv(root.resolve("perceptron.capacity.quick/b/aggregated/trials.csv").toFile())
                .stream().filter(r -> r.get("metric").equals("separable") && r.get("alpha").equals("2.0"))
                .findFirst().orElseThrow().get("mean");
        assertEquals(Double.parseDouble(mean), Double.parseDouble(((String) m[1]).lines().toList().get(1).strip()),
                1e-12, (String) m[1]);
        Object[] bad = cli("sql", "--root", root.toString(), "--master", "local[2]", "SELECT * FROM nope");
        assertEquals(2, bad[0]);
        assertTrue(((String) bad[2]).contains("views: [runs"), (String) bad[2]);
    }

    @Test
    void pruneKeepsTheNewestAndTheKeptAndAsksFirst() throws Exception {
        Path other = dir.resolve("prune");
        for (String id : List.of("p1", "p2", "p3")) {
            List<String> a = new ArrayList<>(List.of(run(id, SMALL)));
            a.set(a.indexOf(root.toString()), other.toString());
            assertEquals(0, cli(a.toArray(String[]::new))[0]);
            Thread.sleep(20);
        }
        cli("tag", "p1", "keep", "--root", other.toString());
        Object[] dry = cli("prune", other.toString(), "--keep", "1", "--dry-run");
        assertTrue(((String) dry[1]).contains("/p2 ") && !((String) dry[1]).contains("/p1 ")
                && !((String) dry[1]).contains("/p3 "), (String) dry[1]);
        assertTrue(Files.exists(other.resolve("perceptron.capacity.quick/p2")), "a dry run removes nothing");
        assertEquals(2, cli("prune", other.toString(), "--keep", "1")[0], "not a terminal: --yes or nothing");
        assertEquals(0, cli("prune", other.toString(), "--keep", "1", "--yes")[0]);
        assertFalse(Files.exists(other.resolve("perceptron.capacity.quick/p2")));
        assertTrue(Files.exists(other.resolve("perceptron.capacity.quick/p1")), "tagged keep");
        assertTrue(Files.exists(other.resolve("perceptron.capacity.quick/p3")), "the newest");
        assertTrue(Files.exists(other.resolve("perceptron.capacity.quick/ledger")), "its sweep's runs use the ledger");
        Object[] ledger = cli("ledger", "list", other.resolve("perceptron.capacity.quick").toString());
        assertTrue(((String) ledger[1]).contains("entries that verify"), (String) ledger[1]);
        assertEquals(2, cli("prune", other.toString())[0], "say what to keep");
        File[] left = other.resolve("perceptron.capacity.quick").toFile().listFiles(File::isDirectory);
        assertEquals(3, left.length, "p1, p3 and the ledger");
    }
}
