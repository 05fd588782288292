package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.engram.driver.engine.RunResult;
import org.engram.driver.engine.SweepRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both quick confs end to end on local[2]: every output file, and the physics where the thesis puts it. */
class EndToEndTest {
    @TempDir
    Path out;

    static List<CSVRecord> csv(File f) throws IOException {
        try (var r = Files.newBufferedReader(f.toPath())) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
    }

    static long parquetRows(File dir) throws IOException {
        long n = 0;
        File[] parts = dir.isDirectory() ? dir.listFiles((d, name) -> name.endsWith(".parquet")) : new File[] {dir};
        for (File f : parts) {
            try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(),
                    new org.apache.hadoop.fs.Path(f.toURI())).withConf(new Configuration()).build()) {
                while (r.read() != null) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Every record of a Parquet file or folder of part files, rendered as text, in file order. */
    static void checkCommon(File dir, String job, long trials) throws IOException {
        JsonNode m = new ObjectMapper().readTree(new File(dir, "manifest.json"));
        assertEquals(SweepRunner.MANIFEST_FORMAT, m.get("format").asText());
        assertEquals(job, m.get("job").asText());
        assertEquals("complete", m.get("status").asText());
        assertEquals(trials, m.at("/counts/trials").asLong());
        assertEquals(0, m.at("/counts/failed_trials").asLong());
        for (String k : List.of("/code/git_commit", "/code/jar_sha256", "/runtime/java_version", "/runtime/spark_version",
                "/runtime/blas_driver", "/runtime/host", "/started", "/finished", "/config/sweep/id")) {
            assertFalse(m.at(k).isMissingNode() || m.at(k).asText().isEmpty(), "manifest lacks " + k);
        }
        assertTrue(m.at("/runtime/spark_version").asText().startsWith("4."));
        assertTrue(m.at("/runtime/blas_executors").size() >= 1);
        // what fixes the last bits, on the driver and beside each executor's BLAS: the JVM's vector width at least
        assertTrue(m.at("/runtime/numerics").asText().matches(".*Java vectors \\d+ bits, OpenBLAS core .+"),
                m.at("/runtime/numerics").asText());
        assertTrue(m.at("/runtime/blas_executors").get(0).asText().contains(" on "), m.at("/runtime").toString());
        for (JsonNode f : m.get("files")) {
            String name = f.asText();
            File target = name.contains("*") ? new File(dir, name.substring(0, name.lastIndexOf('/'))) : new File(dir, name);
            assertTrue(target.exists(), "listed output missing: " + name);
        }
        checkTableDictionary(dir, m);
        assertEquals(trials, parquetRows(new File(dir, "raw/trials")), "raw rows");
        List<CSVRecord> agg = csv(new File(dir, "aggregated/trials.csv"));
        assertEquals(agg.size(), parquetRows(new File(dir, "aggregated/trials.parquet")));
        try (Stream<Path> s = Files.walk(dir.toPath())) {
            List<String> hidden = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
            assertEquals(List.of(), hidden, "no temporary or checksum files are left");
        }
        assertFalse(new File(dir.getParentFile(), "." + dir.getName() + ".inprogress").exists());
    }

    /**
     * The manifest's table dictionary covers every table file it lists exactly once, says what each is, and
     * names the columns the files really have (CSV header; Parquet schema of the raw part files); tables.md
     * has a section per entry.
     */
    static void checkTableDictionary(File dir) throws IOException {
        checkTableDictionary(dir, new ObjectMapper().readTree(new File(dir, "manifest.json")));
    }

    static void checkTableDictionary(File dir, JsonNode m) throws IOException {
        Map<String, JsonNode> byFile = new java.util.HashMap<>();
        for (JsonNode e : m.get("tables")) {
            assertTrue(e.get("description").asText().length() > 20, "table " + e.get("name") + " says what it is");
            for (JsonNode f : e.get("files")) {
                assertEquals(null, byFile.put(f.asText(), e), f.asText() + " is described once");
            }
        }
        String md = Files.readString(new File(dir, "tables.md").toPath());
        for (JsonNode f : m.get("files")) {
            String name = f.asText();
            if (name.endsWith(".png") || name.equals("tables.md") || name.equals(org.engram.export.Notebook.FILE)) {
                continue;
            }
            JsonNode e = byFile.get(name);
            assertTrue(e != null, "the dictionary describes " + name);
            List<String> columns = new ArrayList<>();
            e.get("columns").forEach(c -> columns.add(c.asText()));
            if (name.endsWith(".csv") && !name.endsWith(".matrix.csv")) { // a matrix' header is its x values
                try (var r = Files.newBufferedReader(new File(dir, name).toPath())) {
                    assertEquals(columns, CSVFormat.RFC4180.builder().setHeader().get().parse(r).getHeaderNames(),
                            "columns of " + name);
                }
            } else if (name.startsWith("raw/") && !columns.isEmpty()) {
                File[] parts = new File(dir, name.substring(0, name.lastIndexOf('/')))
                        .listFiles((d, n) -> n.endsWith(".parquet"));
                try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(),
                        new org.apache.hadoop.fs.Path(parts[0].toURI())).withConf(new Configuration()).build()) {
                    Group g = r.read();
                    List<String> fields = new ArrayList<>();
                    g.getType().getFields().forEach(t -> fields.add(t.getName()));
                    assertEquals(columns, fields, "columns of " + name);
                }
            }
            assertTrue(md.contains("`" + name + "`"), "tables.md lists " + name);
        }
    }

    static void checkPng(File f) throws IOException {
        BufferedImage img = ImageIO.read(f);
        assertEquals(900, img.getWidth(), f.toString());
        assertEquals(650, img.getHeight());
        // not blank: more than a handful of colours
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int x = 0; x < img.getWidth(); x += 7) {
            for (int y = 0; y < img.getHeight(); y += 7) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 8, f + " has " + colours.size() + " colours");
    }

    @Test
    void reinforcementQuickSweepFindsTheThreeRegimesWhereTheThesisDoes() throws IOException {
        RunResult r = Sweeps.run("quick/rnn.reinforcement.conf", List.of(), "local[2]", out, "e2e");
        File dir = Sweeps.dir(r);
        assertEquals(140 * 8, r.trials());
        checkCommon(dir, "rnn.reinforcement", 140 * 8);
        checkPng(new File(dir, "plots/heatmap_n100.png"));
        checkPng(new File(dir, "plots/heatmap_n400.png"));
        List<CSVRecord> regimes = csv(new File(dir, "derived/regimes.csv"));
        assertEquals(140, regimes.size());
        int trivialHigh = 0;
        for (CSVRecord c : regimes) {
            double d = Double.parseDouble(c.get("d"));
            double a = Double.parseDouble(c.get("a"));
            String regime = c.get("regime");
            if (d <= 1.1 + 1e-9) {
                // thesis Fig. 3.3: no a gives convergence for 1.0 ≲ d ≲ 1.2
                assertEquals("chaotic", regime, "n=" + c.get("n") + " d=" + d + " a=" + a);
            }
            if (d >= 1.6 - 1e-9 && a >= 1) {
                // large d and a: every trial ends in the all +1 / all −1 state within a handful of sweeps
                assertEquals("trivial", regime, "n=" + c.get("n") + " d=" + d + " a=" + a);
                assertTrue(Double.parseDouble(c.get("mean_iterations")) < 10);
                trivialHigh++;
            }
        }
        assertEquals(2 * 4 * 3, trivialHigh);
        List<CSVRecord> bounds = csv(new File(dir, "derived/boundaries.csv"));
        for (CSVRecord b : bounds) {
            double dMin = Double.parseDouble(b.get("d_min"));
            assertTrue(dMin > 1.1 && dMin < 1.5, "d_min(N = " + b.get("n") + ") = " + dMin);
            // the chaotic band: every a chaotic from the grid's first d (1.0) to at least 1.1, and below d_min
            assertEquals(1.0, Double.parseDouble(b.get("chaotic_band_low")), 1e-9);
            double high = Double.parseDouble(b.get("chaotic_band_high"));
            assertTrue(high >= 1.1 - 1e-9 && high < dMin, "band to " + high + ", d_min " + dMin);
            assertTrue(Long.parseLong(b.get("intermediate_cells")) > 0, "an intermediate band exists");
        }
    }

    @Test
    void selfCouplingQuickSweepGivesAGrowingCriticalCoupling() throws IOException {
        RunResult r = Sweeps.run("quick/rnn.self-coupling.conf", List.of(), "local[2]", out, "e2e");
        File dir = Sweeps.dir(r);
        checkCommon(dir, "rnn.self-coupling", 130 * 32);
        assertEquals(5 * 4, parquetRows(new File(dir, "raw/critical")));
        checkPng(new File(dir, "plots/critical_self_coupling.png"));
        checkPng(new File(dir, "plots/convergence_time.png"));
        List<CSVRecord> crit = csv(new File(dir, "derived/critical_self_coupling.csv"));
        assertEquals(5, crit.size());
        double prev = -1;
        for (CSVRecord c : crit) {
            double star = Double.parseDouble(c.get("jd_star"));
            assertTrue(star > 0.2 && star < 1.5, "J_D*(" + c.get("n") + ") = " + star);
            assertTrue(star >= prev, "J_D* grows with N: " + star + " after " + prev);
            prev = star;
        }
        double first = Double.parseDouble(crit.get(0).get("jd_star"));
        assertTrue(prev > first, "J_D*(1600) > J_D*(100)");
        // at J_D = 2.5 every trial converges within a few sweeps; at J_D = 0 none does for N ≥ 400
        Map<String, CSVRecord> conv = csv(new File(dir, "aggregated/trials.csv")).stream()
                .filter(c -> c.get("metric").equals("converged"))
                .collect(Collectors.toMap(c -> c.get("n") + "/" + c.get("jd"), c -> c));
        for (String n : List.of("400", "800", "1600")) {
            assertEquals(1.0, Double.parseDouble(conv.get(n + "/2.5").get("mean")));
            assertEquals(0.0, Double.parseDouble(conv.get(n + "/0.0").get("mean")));
        }
        List<String> tc = new ArrayList<>();
        csv(new File(dir, "derived/convergence_time_fit.csv")).forEach(c -> tc.add(c.get("gamma")));
        assertEquals(5, tc.size());
        // J_D*(N) against log N and a power law: a row per law and N, residual = J_D* − fitted
        List<CSVRecord> growth = csv(new File(dir, "derived/jd_star_growth.csv"));
        assertEquals(2 * 5, growth.size());
        for (CSVRecord g : growth) {
            assertEquals(Double.parseDouble(g.get("jd_star")) - Double.parseDouble(g.get("fitted")),
                    Double.parseDouble(g.get("residual")), 1e-9);
        }
    }
}
