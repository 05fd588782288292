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
    private static final Pattern RECORD = Pattern.compile("`([a-z][a-z0-9.\\-]*--[a-z0-9\\-]+)`");

    /** What a block of a Markdown document is: running text (a paragraph, a caption, a list), a table or a comment. */
    enum Kind { TEXT, TABLE, COMMENT }

    /**
     * A block of a document: consecutive non-blank lines of one kind, starting at 1-based {@code line}; {@code before}
     * is the comment block right before it (blank lines between allowed), or "".
     */
    record Block(Path doc, int line, Kind kind, String text, String before) {
        String where() {
            return ROOT.relativize(doc) + ":" + line;
        }

        /** The record names in its text. */
        java.util.Set<String> records() {
            return DocsTest.records(text);
        }
    }

    /** The run records a text names, in order of first mention. */
    static java.util.Set<String> records(String text) {
        java.util.Set<String> named = new java.util.LinkedHashSet<>();
        Matcher m = RECORD.matcher(text);
        while (m.find()) {
            named.add(m.group(1));
        }
        return named;
    }

    private static Kind kind(String line) {
        return line.startsWith("|") ? Kind.TABLE : line.startsWith("<!--") ? Kind.COMMENT : Kind.TEXT;
    }

    /** The document's blocks, in order: what every check of paragraphs, captions and tables reads. */
    static List<Block> blocks(Path doc) throws IOException {
        List<String> lines = Files.readAllLines(doc);
        List<Block> out = new ArrayList<>();
        String comment = "";
        for (int i = 0; i < lines.size(); ) {
            if (lines.get(i).isBlank()) {
                i++;
                continue;
            }
            int from = i;
            Kind kind = kind(lines.get(i));
            StringBuilder text = new StringBuilder();
            for (; i < lines.size() && !lines.get(i).isBlank() && kind(lines.get(i)) == kind; i++) {
                text.append(lines.get(i)).append('\n');
            }
            out.add(new Block(doc, from + 1, kind, text.toString(), comment));
            comment = kind == Kind.COMMENT ? text.toString() : "";
        }
        return out;
    }

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
                List<String> named = new ArrayList<>(records(line));
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

    /** A table row's cells, between its pipes. */
    private static List<String> cells(String row) {
        String r = row.strip();
        r = r.startsWith("|") ? r.substring(1) : r;
        r = r.endsWith("|") ? r.substring(0, r.length() - 1) : r;
        return List.of(r.split("\\|", -1));
    }

    /**
     * Put before a table: every decimal number in its body must be a value of the named records' tables — except in
     * a column whose header says "paper" (the paper's values beside the run's).
     */
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
            List<Block> blocks = blocks(doc);
            for (int b = 0; b < blocks.size(); b++) {
                Matcher m = NUMBERS_FROM.matcher(blocks.get(b).text());
                if (blocks.get(b).kind() != Kind.COMMENT || !m.find()) {
                    continue;
                }
                if (b + 1 == blocks.size() || blocks.get(b + 1).kind() != Kind.TABLE) {
                    wrong.add(blocks.get(b).where() + ": the marker has no table after it");
                    continue;
                }
                List<Double> values = new ArrayList<>();
                for (String r : records(m.group(1))) {
                    values.addAll(recordValues(r));
                }
                Block table = blocks.get(b + 1);
                List<String> rows = table.text().lines().toList();
                List<String> header = cells(rows.get(0));
                for (int k = 2; k < rows.size(); k++) { // after the header and the separator
                    List<String> row = cells(rows.get(k));
                    StringBuilder quoted = new StringBuilder();
                    for (int c = 0; c < row.size(); c++) {
                        if (c >= header.size() || !header.get(c).toLowerCase(java.util.Locale.ROOT).contains("paper")) {
                            quoted.append(row.get(c)).append(" | ");
                        }
                    }
                    checked += checkDecimals(quoted.toString(), values, ROOT.relativize(doc) + ":" + (table.line() + k)
                            + " (from " + m.group(1).trim() + ")", wrong);
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
            for (Block block : blocks(doc)) {
                java.util.Set<String> named = block.records();
                if (block.kind() != Kind.TEXT || named.size() != 1) {
                    continue;
                }
                String record = named.iterator().next();
                paragraphs++;
                checked += checkDecimals(RECORD.matcher(block.text()).replaceAll(""), recordValues(record),
                        block.where() + " (naming " + record + ")", wrong);
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
        Matcher d = DECIMAL.matcher(CITATION.matcher(text).replaceAll(""));
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
     * long KH trainings, the J_D*(N) panel, the MLCM comparison its own-budget run replaces. The list
     * only shrinks: a figure that gains a record must leave it.
     */
    private static final java.util.Set<String> FIGURES_WITHOUT_RECORD = java.util.Set.of(
            "kh_table1_accuracy_M500.png",
            "jd_star_growth.png");

    /** Every figure of the results docs names, in the caption under it, the record of the run it was drawn from. */
    @Test
    void everyResultFigureNamesItsRecord() throws IOException {
        Pattern image = Pattern.compile("^!\\[[^\\]]*\\]\\(\\.\\./images/([^)]+)\\)");
        List<String> missing = new ArrayList<>();
        List<String> recordedSince = new ArrayList<>();
        int figures = 0;
        for (Path doc : results()) {
            List<Block> blocks = blocks(doc);
            for (int b = 0; b < blocks.size(); b++) {
                Matcher m = image.matcher(blocks.get(b).text().strip());
                if (blocks.get(b).kind() != Kind.TEXT || !m.find()) {
                    continue;
                }
                figures++;
                boolean named = b + 1 < blocks.size() && blocks.get(b + 1).kind() == Kind.TEXT
                        && !blocks.get(b + 1).records().isEmpty();
                if (!named && !FIGURES_WITHOUT_RECORD.contains(m.group(1))) {
                    missing.add(ROOT.relativize(doc) + ": " + m.group(1));
                } else if (named && FIGURES_WITHOUT_RECORD.contains(m.group(1))) {
                    recordedSince.add(m.group(1) + " has its record now: take it off the list");
                }
            }
        }
        assertEquals(List.of(), missing, "figures whose caption names no record");
        assertEquals(List.of(), recordedSince);
        assertTrue(figures >= 19, "figures found: " + figures);
        System.out.println("DocsTest: " + (figures - FIGURES_WITHOUT_RECORD.size()) + " of " + figures
                + " result figures name their record");
    }

    /** The findings: the results docs, one per paper. */
    static List<Path> results() throws IOException {
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs/results"))) {
            return docs.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
    }

    /** Put before a paragraph or table whose numbers are not a run's: the paper's, theory's — and say which. */
    private static final Pattern NOT_A_RUN = Pattern.compile("<!-- not from a run: \\S.*-->", Pattern.DOTALL);
    /** Section, figure, table, equation and algorithm numbers are not quantities. */
    private static final Pattern CITATION = Pattern.compile(
            "(§|\\b(?:Figs?|Tables?|[Ee]qs?|Sec|Algs?|App)\\.?\\s*|\\b(?:chapters?|algorithms?)\\s+)"
                    + "[A-Z]?\\d+\\.\\d+(\\s*[–-]\\s*\\d+\\.\\d+)?");

    /**
     * The blocks of the findings (README and {@code docs/results/}) that quote a decimal number and trace it nowhere,
     * as {@code <file>: <their first characters>}: the runs still to be repeated and recorded (issue 40, point 4).
     * The list only shrinks: a block that gains a record, or is rewritten, must leave it.
     */
    private static final java.util.Set<String> UNTRACED = java.util.Set.of(
            "kh.md: | CD_1 | 88.4 [88.0, 88.7] (90.6) | 87.7 [86.9, 88.6] (91.3)",
            "kh.md: *KH-TD is ahead in all eight cells, as in the paper; the CIs",
            "rnn.md: *`rnn.self-coupling` (thesis Fig. 3.1) to the thesis' larges",
            "rnn.md: | 100 | 0.55 | 0.467 [0.208, 0.725] | 3/3 | -0.050 | -0.057 ",
            "rnn.md: *J_D* rises from 0.55 to 0.95 and never stalls: after N = 1,");

    /** How a block is listed: its first 60 characters (a table's: of its first body row). */
    private static String start(Block block) {
        List<String> lines = block.text().lines().toList();
        String first = block.kind() == Kind.TABLE && lines.size() > 2 ? lines.get(2) : String.join(" ", lines);
        return first.substring(0, Math.min(60, first.length()));
    }

    /**
     * Every paragraph and table of the findings that quotes a decimal number traces it: a paragraph names the run
     * records it quotes, a table is marked with them ({@code <!-- numbers from … -->}), or a comment right before says
     * which numbers are not a run's ({@code <!-- not from a run: the paper's … -->}) — or it is on the list of what
     * is still to be rerun.
     */
    @Test
    void everyNumberOfTheFindingsTracesToARecord() throws IOException {
        List<String> untraced = new ArrayList<>();
        java.util.Set<String> listed = new java.util.HashSet<>();
        int traced = 0;
        List<Path> findings = new ArrayList<>(results());
        findings.add(0, ROOT.resolve("README.md"));
        for (Path doc : findings) {
            for (Block block : blocks(doc)) {
                if (block.kind() == Kind.COMMENT || !DECIMAL.matcher(CITATION.matcher(block.text()).replaceAll("")).find()) {
                    continue;
                }
                boolean recorded = block.kind() == Kind.TEXT ? !block.records().isEmpty()
                        : NUMBERS_FROM.matcher(block.before()).find();
                if (recorded || NOT_A_RUN.matcher(block.before()).find()) {
                    traced++;
                    continue;
                }
                String key = doc.getFileName() + ": " + start(block);
                if (UNTRACED.contains(key)) {
                    listed.add(key);
                } else {
                    untraced.add(block.where() + " quotes numbers of no record: \"" + key + "\"");
                }
            }
        }
        List<String> stale = UNTRACED.stream().filter(k -> !listed.contains(k)).sorted()
                .map(k -> "\"" + k + "\" is traced or gone now: take it off the list").toList();
        assertEquals(List.of(), untraced);
        assertEquals(List.of(), stale);
        System.out.println("DocsTest: " + traced + " of " + (traced + listed.size())
                + " blocks of the findings with numbers trace them to a record or say why not");
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
