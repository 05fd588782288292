package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.engram.jobs.core.Job;
import org.engram.jobs.sweep.JobRegistry;
import org.junit.jupiter.api.Test;

/**
 * The README is a front door (at most 250 lines, every job on it) and every link of it and of {@code docs/} leads
 * to a file of the checkout, an image that exists, a heading that exists.
 */
class DocsTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    static List<Path> documents() throws IOException {
        List<Path> out = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("deploy/SCALING.md")));
        try (Stream<Path> s = Files.walk(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }

    /** A run record named in the docs: {@code <sweep id>--<run id>}, a folder of {@code docs/runs/}. */
    private static final Pattern RECORD = Pattern.compile("`([a-z][a-z.\\-]*--[a-z0-9\\-]+)`");

    /**
     * Every run record a document names is in {@code docs/runs/} with its manifest, and a table row that names one
     * record quotes that run's own numbers: its trials (as the manifest counts them) or its seconds, and every
     * decimal number of the row is its seconds or, at the precision printed, a value of one of its CSV files.
     */
    @Test
    void everyRunTheDocsNameIsRecordedAndItsRowQuotesIt() throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> wrong = new ArrayList<>();
        int rows = 0;
        int quoted = 0;
        for (Path doc : documents()) {
            for (String line : Files.readAllLines(doc)) {
                Matcher m = RECORD.matcher(line);
                List<String> named = new ArrayList<>();
                while (m.find()) {
                    named.add(m.group(1));
                }
                for (String r : named) {
                    if (!Files.isRegularFile(ROOT.resolve("docs/runs/" + r + "/manifest.json"))) {
                        wrong.add(ROOT.relativize(doc) + ": " + r + " has no record in docs/runs/");
                    }
                }
                if (named.size() != 1 || !line.startsWith("|")
                        || !Files.isRegularFile(ROOT.resolve("docs/runs/" + named.get(0) + "/manifest.json"))) {
                    continue;
                }
                com.fasterxml.jackson.databind.JsonNode manifest = json.readTree(
                        ROOT.resolve("docs/runs/" + named.get(0) + "/manifest.json").toFile());
                String trials = String.format(java.util.Locale.ROOT, "%,d", manifest.path("counts").path("trials").asLong());
                String seconds = String.format(java.util.Locale.ROOT, "%.1f", manifest.path("seconds").asDouble());
                rows++;
                quoted += checkDecimals(line.replace("`" + named.get(0) + "`", ""), recordValues(named.get(0)),
                        ROOT.relativize(doc) + ": the row of " + named.get(0), wrong);
                if (!line.matches(".*\\b" + Pattern.quote(trials) + "\\b.*")
                        && !line.matches(".*\\b" + Pattern.quote(seconds) + "\\b.*")) {
                    wrong.add(ROOT.relativize(doc) + ": the row of " + named.get(0) + " quotes neither its " + trials
                            + " trials nor its " + seconds + " s: " + line);
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(rows >= 10, "the adaptive measurements' rows name their runs: " + rows);
        System.out.println("DocsTest: " + rows + " rows, " + quoted + " decimals checked against their records");
        assertTrue(quoted >= 30, "decimals in rows naming a run, checked against its record: " + quoted);
    }

    /** Put before a table: every decimal number in its body must be a value of the named records' tables. */
    private static final Pattern NUMBERS_FROM = Pattern.compile("<!-- numbers from ((?:`[^`]+`\\s*)+)-->");
    private static final Pattern DECIMAL = Pattern.compile("(?<![\\w.])-?\\d+\\.\\d+(?![\\w.])");

    /**
     * A table marked {@code <!-- numbers from `sweep--run` … -->} quotes only those runs: each decimal number of its
     * body rows is, at the precision printed (or as a percentage), a value in one of the records' CSV files.
     */
    @Test
    void everyNumberOfAMarkedTableIsInItsRecord() throws IOException {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Path doc : documents()) {
            List<String> lines = Files.readAllLines(doc);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = NUMBERS_FROM.matcher(lines.get(i));
                if (!m.find()) {
                    continue;
                }
                List<Double> values = new ArrayList<>();
                Matcher r = RECORD.matcher(m.group(1));
                while (r.find()) {
                    values.addAll(recordValues(r.group(1)));
                }
                int k = i + 1;
                while (k < lines.size() && lines.get(k).isBlank()) {
                    k++;
                }
                int row = 0;
                for (; k < lines.size() && lines.get(k).startsWith("|"); k++, row++) {
                    if (row < 2) {
                        continue; // the header and the separator
                    }
                    checked += checkDecimals(lines.get(k), values, ROOT.relativize(doc) + ":" + (k + 1) + " (from "
                            + m.group(1).trim() + ")", wrong);
                }
                if (row < 3) {
                    wrong.add(ROOT.relativize(doc) + ":" + (i + 1) + ": the marker has no table after it");
                }
            }
        }
        assertEquals(List.of(), wrong);
        System.out.println("DocsTest: " + checked + " numbers of marked tables checked against their records");
        assertTrue(checked >= 40, "numbers checked against their records: " + checked);
    }

    private static final java.util.Map<String, List<Double>> RECORD_VALUES = new java.util.HashMap<>();

    /**
     * Every numeric cell of the CSV files of the record {@code docs/runs/<name>}, and every number of its manifest (its
     * seconds, the settings it ran with); read once per record.
     */
    private static synchronized List<Double> recordValues(String name) throws IOException {
        List<Double> known = RECORD_VALUES.get(name);
        if (known == null) {
            known = List.copyOf(readRecordValues(ROOT.resolve("docs/runs/" + name)));
            RECORD_VALUES.put(name, known);
        }
        return known;
    }

    private static List<Double> readRecordValues(Path record) throws IOException {
        List<Double> out = new ArrayList<>();
        if (!Files.isDirectory(record)) {
            return out;
        }
        if (Files.isRegularFile(record.resolve("manifest.json"))) {
            // its seconds, and the settings it ran with (a caption names them beside the results)
            numbers(new com.fasterxml.jackson.databind.ObjectMapper().readTree(record.resolve("manifest.json").toFile()),
                    out);
        }
        try (Stream<Path> files = Files.walk(record)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".csv")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    for (String cell : line.split(",")) {
                        try {
                            out.add(Double.parseDouble(cell.replace("\"", "")));
                        } catch (NumberFormatException notANumber) {
                            // a label
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Every number in a JSON tree (numbers written as strings too). */
    private static void numbers(com.fasterxml.jackson.databind.JsonNode node, List<Double> out) {
        if (node.isNumber()) {
            out.add(node.asDouble());
        } else if (node.isTextual()) {
            try {
                out.add(Double.parseDouble(node.asText()));
            } catch (NumberFormatException notANumber) {
                // text
            }
        }
        node.forEach(child -> numbers(child, out));
    }

    /**
     * A paragraph (or caption) that names exactly one run record quotes that run: each of its decimal numbers is, at
     * the precision printed (or as a percentage), a value of the record's CSV files or of its manifest (the seconds,
     * the settings).
     */
    @Test
    void everyDecimalOfAParagraphNamingOneRunIsInItsRecord() throws IOException {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        int paragraphs = 0;
        for (Path doc : documents()) {
            if (doc.startsWith(ROOT.resolve("docs/runs"))) {
                continue;
            }
            List<String> lines = Files.readAllLines(doc);
            for (int i = 0; i < lines.size(); ) {
                if (lines.get(i).isBlank() || lines.get(i).startsWith("|") || lines.get(i).startsWith("<!--")) {
                    i++;
                    continue;
                }
                int from = i;
                StringBuilder text = new StringBuilder();
                for (; i < lines.size() && !lines.get(i).isBlank() && !lines.get(i).startsWith("|"); i++) {
                    text.append(lines.get(i)).append('\n');
                }
                Matcher m = RECORD.matcher(text);
                java.util.Set<String> named = new java.util.LinkedHashSet<>();
                while (m.find()) {
                    named.add(m.group(1));
                }
                if (named.size() != 1) {
                    continue;
                }
                String record = named.iterator().next();
                paragraphs++;
                checked += checkDecimals(RECORD.matcher(text).replaceAll(""), recordValues(record),
                        ROOT.relativize(doc) + ":" + (from + 1) + " (naming " + record + ")", wrong);
            }
        }
        System.out.println("DocsTest: " + paragraphs + " paragraphs naming one run, " + checked + " decimals checked");
        assertEquals(List.of(), wrong);
        assertTrue(checked >= 40, "decimals of paragraphs naming one run: " + checked);
    }

    /**
     * Checks every decimal number of {@code text} against a record's values ({@link #quotes}), adding what is not
     * there to {@code wrong} under {@code where}; returns how many it checked.
     */
    private static int checkDecimals(String text, List<Double> values, String where, List<String> wrong) {
        int checked = 0;
        Matcher d = DECIMAL.matcher(text);
        while (d.find()) {
            checked++;
            if (!quotes(values, d.group())) {
                wrong.add(where + ": " + d.group() + " is not in its record");
            }
        }
        return checked;
    }

    /** Whether a printed decimal is one of the values rounded to its digits (or a fraction printed in percent). */
    private static boolean quotes(List<Double> values, String printed) {
        java.math.BigDecimal p = new java.math.BigDecimal(printed);
        double half = 0.5 * Math.pow(10, -p.scale()) * (1 + 1e-9);
        double x = p.doubleValue();
        for (double v : values) {
            if (Math.abs(v - x) <= half || Math.abs(100 * v - x) <= half) {
                return true;
            }
        }
        return false;
    }

    /**
     * The figures of {@code docs/results/} whose runs are still to be repeated and recorded (issue 40, point 4): the
     * long KH trainings, the N = 10,000 and J_D*(N) panels, RAPID's bars, the MLCM comparison its own-budget run
     * replaces. The list only shrinks: a figure that gains a record must leave it.
     */
    private static final java.util.Set<String> FIGURES_WITHOUT_RECORD = java.util.Set.of(
            "kh_fig3_mnist_mse.png", "kh_fashion_mse.png", "kh_table1_accuracy_M500.png",
            "mlcm_best_projected_mnist.png", "reinforcement_heatmap_n10000.png",
            "jd_star_growth.png");

    /** Every figure of the results docs names, in the caption under it, the record of the run it was drawn from. */
    @Test
    void everyResultFigureNamesItsRecord() throws IOException {
        Pattern image = Pattern.compile("^!\\[[^\\]]*\\]\\(\\.\\./images/([^)]+)\\)");
        List<String> missing = new ArrayList<>();
        List<String> recordedSince = new ArrayList<>();
        int figures = 0;
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs/results"))) {
            for (Path doc : docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                String[] paragraphs = Files.readString(doc).split("\n\\s*\n");
                for (int i = 0; i < paragraphs.length; i++) {
                    Matcher m = image.matcher(paragraphs[i].strip());
                    if (!m.find()) {
                        continue;
                    }
                    figures++;
                    String caption = i + 1 < paragraphs.length ? paragraphs[i + 1] : "";
                    boolean named = RECORD.matcher(caption).find();
                    if (!named && !FIGURES_WITHOUT_RECORD.contains(m.group(1))) {
                        missing.add(ROOT.relativize(doc) + ": " + m.group(1));
                    } else if (named && FIGURES_WITHOUT_RECORD.contains(m.group(1))) {
                        recordedSince.add(m.group(1) + " has its record now: take it off the list");
                    }
                }
            }
        }
        assertEquals(List.of(), missing, "figures whose caption names no record");
        assertEquals(List.of(), recordedSince);
        assertTrue(figures >= 19, "figures found: " + figures);
        System.out.println("DocsTest: " + (figures - FIGURES_WITHOUT_RECORD.size()) + " of " + figures
                + " result figures name their record");
    }

    @Test
    void everyLinkLeadsSomewhere() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path doc : documents()) {
            Matcher m = LINK.matcher(Files.readString(doc));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // a web address: not checked offline
                }
                String file = target.replaceFirst("#.*$", "");
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path resolved = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
                checked++;
                if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
                    broken.add(ROOT.relativize(doc) + ": " + target);
                } else if (anchor != null && resolved.toString().endsWith(".md")
                        && !anchors(resolved).contains(anchor)) {
                    broken.add(ROOT.relativize(doc) + ": " + target + " (no such heading)");
                }
            }
        }
        assertEquals(List.of(), broken);
        assertTrue(checked > 50, "the docs link to their figures and to each other: " + checked);
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces as dashes. */
    static List<String> anchors(Path doc) throws IOException {
        return Files.readAllLines(doc).stream().filter(l -> l.startsWith("#"))
                .map(l -> l.replaceFirst("^#+\\s*", "").toLowerCase(java.util.Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-')).toList();
    }

    @Test
    void theReadmeIsAFrontDoorThatNamesEveryJob() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertTrue(readme.lines().count() <= 250, "README.md has " + readme.lines().count() + " lines");
        for (Job<?> j : JobRegistry.standard().all()) {
            assertTrue(readme.contains("`" + j.id() + "`"), j.id() + " is not in the README's jobs table");
        }
    }
}
