package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What a fresh clone on another machine needs: no tracked symlink that leaves the tree (a {@code data} link to the
 * development machine's disk dangles everywhere else), and no tracked text naming an absolute path of a machine.
 */
class RepositoryHygieneTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** Absolute paths that only exist on somebody's machine: home folders, scratch disks, the clone's own location. */
    static final Pattern MACHINE_PATH = Pattern.compile("(?<![\\w.$}\\-/])/(work|home|Users|root|mnt|scratch|srv)/"
            + "[\\w.-]+");

    static List<String> git(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", ROOT.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        Assumptions.assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0,
                "not a git checkout (git " + String.join(" ", args) + " failed): nothing tracked to check");
        return new String(out, StandardCharsets.UTF_8).lines().toList();
    }

    /** The tracked symlinks whose target is absolute or climbs out of the tree. */
    static List<String> escapingLinks() throws Exception {
        List<String> bad = new ArrayList<>();
        for (String line : git("ls-files", "-s")) {
            if (!line.startsWith("120000 ")) {
                continue;
            }
            String[] f = line.split("\\s+", 4);
            String path = f[3];
            String target = String.join("", git("cat-file", "-p", f[1]));
            Path resolved = ROOT.resolve(path).getParent().resolve(target).normalize();
            if (target.startsWith("/") || !resolved.startsWith(ROOT)) {
                bad.add(path + " -> " + target);
            }
        }
        return bad;
    }

    @Test
    void noTrackedSymlinkLeavesTheTree() throws Exception {
        assertEquals(List.of(), escapingLinks(), "tracked symlinks pointing outside the repository (a fresh clone on "
                + "another machine dangles): untrack them (git rm --cached) and let the code create what it needs");
    }

    /** Tracked text files (outside test fixtures) naming an absolute machine path, as file:line: text. */
    static List<String> machinePaths() throws Exception {
        List<String> bad = new ArrayList<>();
        String here = ROOT.toString();
        for (String file : git("ls-files")) {
            if (file.contains("/src/test/resources/") || file.equals(".gitignore")) {
                continue;
            }
            Path p = ROOT.resolve(file);
            if (Files.isSymbolicLink(p) || !Files.isRegularFile(p) || Files.size(p) > 4_000_000) {
                continue;
            }
            byte[] bytes = Files.readAllBytes(p);
            if (binary(bytes)) {
                continue;
            }
            String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher m = MACHINE_PATH.matcher(lines[i]);
                if (m.find() || lines[i].contains(here + "/")) {
                    bad.add(file + ":" + (i + 1) + ": " + lines[i].strip());
                }
            }
        }
        return bad;
    }

    private static boolean binary(byte[] b) {
        for (int i = 0; i < Math.min(b.length, 8000); i++) {
            if (b[i] == 0) {
                return true;
            }
        }
        return false;
    }

    @Test
    void noTrackedTextNamesAMachinesAbsolutePath() throws Exception {
        assertEquals(List.of(), machinePaths(), "write paths relative to the repository, or as $HOME / ENGRAM_* "
                + "variables");
    }

    @Test
    void theChecksCatchWhatTheyLookFor() throws IOException {
        String r = "/"; // the samples are built, so that this file does not name what it looks for
        for (String s : List.of("see " + r + "work/data/mnist", "\"" + r + "home/alice/engram\"", "path=" + r
                + "Users/bob/x")) {
            assertEquals(true, MACHINE_PATH.matcher(s).find(), s);
        }
        for (String s : List.of("$ROOT/work/tmp", "results/work/x", "https://example.org/home/page", "a/root/b")) {
            assertEquals(false, MACHINE_PATH.matcher(s).find(), s);
        }
    }
}
