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
