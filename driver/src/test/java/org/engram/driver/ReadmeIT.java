package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * The code blocks of the README and of the reference it links to ({@code docs/reference/*.md}, in name order), pasted
 * as a user would: every {@code deploy/engram} line of its {@code bash} blocks runs
 * from the checkout (results under a fresh {@code ENGRAM_RESULTS}), and every {@code python} block runs with the
 * Python {@code deploy/setup.sh} installs against that run's output, its numbers checked against the run's tables.
 * Not run here: the build and test commands (CI runs them: they are {@code .ci/run}) and the cluster block (it needs
 * a cluster: {@code StandaloneClusterIT} runs the same spark-submit path on loopback).
 */
class ReadmeIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern BLOCK = Pattern.compile("```(bash|python)\\n(.*?)```", Pattern.DOTALL);

    /** The code blocks of one language: the README's, then the reference's, in order. */
    static List<String> blocks(String language) throws Exception {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (var s = Files.list(ROOT.resolve("docs/reference"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<String> out = new ArrayList<>();
        for (Path doc : docs) {
            Matcher m = BLOCK.matcher(Files.readString(doc));
            while (m.find()) {
                if (m.group(1).equals(language)) {
                    out.add(m.group(2));
                }
            }
        }
        return out;
    }

    /** Whether a shell line is one this test runs: Engram's own commands (not the build, not a cluster's). */
    static boolean runnable(String line) {
        return line.startsWith("deploy/engram ");
    }

    static String run(List<String> cmd, Path cwd, Path results) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().put("ENGRAM_RESULTS", results.toString());
        pb.environment().put("ENGRAM_PROGRESS", "lines");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "timed out: " + cmd);
        assertEquals(0, p.exitValue(), cmd + ":\n" + out);
        return out;
    }

    @Test
    void everyPastedBlockRunsAndItsNumbersAreTheRunsTables() throws Exception {
        Path dir = Files.createTempDirectory(Submitter.TARGET, "readme-");
        Path results = dir.resolve("results");
        int shell = 0;
        for (String block : blocks("bash")) {
            for (String raw : block.split("\n")) {
                String line = raw.replaceFirst("\\s+#.*$", "").strip();
                if (runnable(line)) {
                    String out = run(List.of("bash", "-c", line), ROOT, results);
                    assertTrue(!line.startsWith("deploy/engram run ") || out.contains("[engram] done in"),
                            line + ":\n" + out);
                    if (line.startsWith("deploy/engram sql")) {
                        assertTrue(out.contains("rows)") && !out.contains("(0 rows)"), line + ":\n" + out);
                    }
                    shell++;
                }
            }
        }
        assertTrue(shell >= 4, "the README's main command and the catalogue's examples ran: " + shell);
        File[] runs = results.resolve("rnn.reinforcement.quick").toFile().listFiles(f -> f.isDirectory()
                && !f.getName().startsWith(".") && !f.getName().equals("ledger") && !f.getName().equals("shared"));
        assertTrue(runs != null && runs.length == 1, "one run of the main job under ENGRAM_RESULTS");
        String runId = runs[0].getName();

        List<String> python = blocks("python");
        assertTrue(!python.isEmpty(), "the README shows how to load a run with pandas");
        for (String block : python) {
            String code = block.replace("<run-id>", runId) + "\nimport json\nprint('TABLE ' + json.dumps({'d': "
                    + "[float(x) for x in table.index], 'a': [float(x) for x in table.columns], "
                    + "'mean': table.to_numpy().tolist(), 'matrix': m.to_numpy().tolist()}))\n";
            Path script = dir.resolve("readme.py");
            Files.writeString(script, code);
            String out = run(List.of(RunExportsTest.python(), script.toString()), dir, results);
            String line = out.lines().filter(l -> l.startsWith("TABLE ")).findFirst()
                    .orElseThrow(() -> new AssertionError("the block printed nothing:\n" + out));
            JsonNode t = new ObjectMapper().readTree(line.substring("TABLE ".length()));
            // the table is N = 100's mean iterations per (d, a), exactly: no average over N
            List<CSVRecord> agg = RunExportsTest.csv(new File(runs[0], "aggregated/trials.csv"));
            int checked = 0;
            for (CSVRecord r : agg) {
                if (!r.get("metric").equals("iterations") || !r.get("n").equals("100")) {
                    continue;
                }
                int i = indexOf(t.path("d"), Double.parseDouble(r.get("d")));
                int j = indexOf(t.path("a"), Double.parseDouble(r.get("a")));
                assertEquals(Double.parseDouble(r.get("mean")), t.path("mean").get(i).get(j).asDouble(), 1e-12,
                        "mean iterations at d " + r.get("d") + ", a " + r.get("a"));
                assertEquals(Double.parseDouble(r.get("mean")), t.path("matrix").get(i).get(j).asDouble(), 1e-12,
                        "the heatmap's matrix at d " + r.get("d") + ", a " + r.get("a"));
                checked++;
            }
            assertEquals(t.path("d").size() * t.path("a").size(), checked, "every cell of the table checked");
            assertEquals(70, checked, "10 d × 7 a at N = 100");
        }
    }

    /**
     * What broke on a fresh clone elsewhere: a dataset job run from the checkout fetches into the checkout's own
     * {@code data/} (no tracked link there to dangle) and runs.
     */
    @Test
    void aDatasetJobFromTheCheckoutFetchesIntoItsOwnDataFolderAndRuns() throws Exception {
        Path dir = Files.createTempDirectory(Submitter.TARGET, "fresh-data-");
        assertTrue(!Files.isSymbolicLink(ROOT.resolve("data")), "the checkout's data folder is no link");
        String out = run(List.of("bash", "-c", "deploy/engram run conf/quick/kh.reconstruction.conf"), ROOT,
                dir.resolve("results"));
        assertTrue(out.contains("[engram] done in"), out);
        assertTrue(Files.isRegularFile(ROOT.resolve("data/fashion-mnist/dataset.json")), "fetched into data/: " + out);
    }

    private static int indexOf(JsonNode values, double v) {
        for (int i = 0; i < values.size(); i++) {
            if (Math.abs(values.get(i).asDouble() - v) < 1e-9 * Math.max(1, Math.abs(v))) {
                return i;
            }
        }
        throw new AssertionError(v + " not among " + values);
    }
}
