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
     * record quotes that run's own numbers: its trials (as the manifest counts them) or its seconds.
     */
    @Test
    void everyRunTheDocsNameIsRecordedAndItsRowQuotesIt() throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> wrong = new ArrayList<>();
        int rows = 0;
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
                if (!line.matches(".*\\b" + Pattern.quote(trials) + "\\b.*")
                        && !line.matches(".*\\b" + Pattern.quote(seconds) + "\\b.*")) {
                    wrong.add(ROOT.relativize(doc) + ": the row of " + named.get(0) + " quotes neither its " + trials
                            + " trials nor its " + seconds + " s: " + line);
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(rows >= 10, "the adaptive measurements' rows name their runs: " + rows);
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
