package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.engram.driver.engine.JvmFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Dependencies point one way — between modules and between the packages of {@code jobs} — whether a class is
 * imported or written out by its fully qualified name; and the JVM flags are the same in the pom, the launcher
 * and the code.
 */
class LayoutTest {
    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    /** A source file without its comments (javadoc may name any class). */
    static String code(Path p) {
        try {
            return COMMENTS.matcher(Files.readString(p)).replaceAll(" ");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The main sources under {@code module/src/main/java/<dir>} that name {@code forbidden} (imported or qualified). */
    static List<String> offenders(String module, String dir, String forbidden) throws IOException {
        Pattern use = Pattern.compile("(?<![\\w.])" + Pattern.quote(forbidden) + "\\b");
        try (Stream<Path> s = Files.walk(Path.of("..", module, "src", "main", "java").resolve(dir))) {
            return s.filter(p -> p.toString().endsWith(".java")).filter(p -> use.matcher(code(p)).find())
                    .map(Path::toString).toList();
        }
    }

    static List<String> offenders(String module, String forbidden) throws IOException {
        return offenders(module, "", forbidden);
    }

    @ParameterizedTest
    @CsvSource({"worker-kernels,org.apache.spark.api", "worker-kernels,org.apache.spark.sql",
            "worker-kernels,com.typesafe", "worker-kernels,org.engram.jobs", "worker-kernels,org.engram.driver",
            "worker-kernels,org.engram.export", "jobs,org.apache.spark", "jobs,org.apache.hadoop",
            "jobs,org.engram.driver", "jobs,org.engram.export", "notebooks-export,org.engram.driver",
            "notebooks-export,org.apache.spark"})
    void layersDoNotReachUpwards(String module, String forbidden) throws IOException {
        assertEquals(List.of(), offenders(module, forbidden), module + " must not use " + forbidden);
    }

    /** The kit's packages of {@code jobs}, bottom up; every other package but {@code sweep} is a model family. */
    static final List<String> KIT = List.of("data", "config", "core");
    /** The top of {@code jobs}: loading sweeps and the registry of every job. */
    static final String TOP = "sweep";

    /** The model families: every package of {@code jobs} that is neither the kit nor the top (found, not listed). */
    static List<String> families() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("..", "jobs", "src", "main", "java", "org", "engram", "jobs"))) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !KIT.contains(n) && !n.equals(TOP)).sorted().toList();
        }
    }

    /**
     * Inside {@code jobs}: data (dataset access) ← config (settings schemas, grids, cells) ← core (the kit: jobs,
     * units, plans, tables) ← each model family ← sweep (loading and the registry). No package names one above it,
     * and no family another — the pairs derive from the package list, so a new family is guarded without an edit.
     */
    static Stream<org.junit.jupiter.params.provider.Arguments> forbiddenPairs() throws IOException {
        List<String> families = families();
        List<org.junit.jupiter.params.provider.Arguments> out = new java.util.ArrayList<>();
        for (int i = 0; i < KIT.size(); i++) {
            for (String above : KIT.subList(i + 1, KIT.size())) {
                out.add(org.junit.jupiter.params.provider.Arguments.of(KIT.get(i), above));
            }
            for (String above : families) {
                out.add(org.junit.jupiter.params.provider.Arguments.of(KIT.get(i), above));
            }
            out.add(org.junit.jupiter.params.provider.Arguments.of(KIT.get(i), TOP));
        }
        for (String f : families) {
            for (String other : families) {
                if (!other.equals(f)) {
                    out.add(org.junit.jupiter.params.provider.Arguments.of(f, other));
                }
            }
            out.add(org.junit.jupiter.params.provider.Arguments.of(f, TOP));
        }
        assertTrue(families.containsAll(List.of("assoc", "kh", "mlcm", "rapid", "rnn", "synthetic", "unlearning")),
                "the families are found: " + families);
        return out.stream();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("forbiddenPairs")
    void jobsPackagesDoNotReachUpwards(String pkg, String above) throws IOException {
        assertEquals(List.of(), offenders("jobs", "org/engram/jobs/" + pkg, "org.engram.jobs." + above),
                "org.engram.jobs." + pkg + " must not use org.engram.jobs." + above);
    }

    /** The driver's rooms, bottom up; the command line (this package's own classes, and bench) sits on top. */
    static final List<String> ROOMS = List.of("data", "output", "engine", "catalogue");

    /**
     * Inside {@code driver}: data (dataset fetching) ← output (provenance, the tables' dictionary, raw rows) ← engine
     * (plan, partition, ledger, lock, replay, progress, Spark) ← catalogue (runs as a catalogue: list, compare, SQL,
     * prune, nightly, reports) ← the command line. No room names one above it; the file-system helpers sit below
     * both driver and export, in {@code org.engram.export.fs}, which names nothing of the export module.
     */
    static Stream<org.junit.jupiter.params.provider.Arguments> driverRoomPairs() throws IOException {
        List<String> cli;
        try (Stream<Path> s = Files.list(Path.of("..", "driver", "src", "main", "java", "org", "engram", "driver"))) {
            cli = s.filter(p -> p.toString().endsWith(".java")).map(p -> p.getFileName().toString()
                    .replace(".java", "")).sorted().toList();
        }
        List<org.junit.jupiter.params.provider.Arguments> out = new java.util.ArrayList<>();
        for (int i = 0; i < ROOMS.size(); i++) {
            for (String above : ROOMS.subList(i + 1, ROOMS.size())) {
                out.add(org.junit.jupiter.params.provider.Arguments.of(ROOMS.get(i), "org.engram.driver." + above));
            }
            for (String c : cli) {
                out.add(org.junit.jupiter.params.provider.Arguments.of(ROOMS.get(i), "org.engram.driver." + c));
            }
            out.add(org.junit.jupiter.params.provider.Arguments.of(ROOMS.get(i), "org.engram.driver.bench"));
        }
        assertTrue(cli.contains("Engram"), "the command line is found: " + cli);
        return out.stream();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("driverRoomPairs")
    void driverRoomsDoNotReachUpwards(String room, String above) throws IOException {
        assertEquals(List.of(), offenders("driver", "org/engram/driver/" + room, above),
                "org.engram.driver." + room + " must not use " + above);
    }

    @Test
    void fileSystemHelpersSitBelowExportAndDriver() throws IOException {
        for (String pkg : List.of("org.engram.export.CsvTables", "org.engram.export.Plots", "org.engram.export.Report",
                "org.engram.export.TidyTable", "org.engram.driver")) {
            assertEquals(List.of(), offenders("notebooks-export", "org/engram/export/fs", pkg), "fs must not use " + pkg);
        }
    }

    @Test
    void aFullyQualifiedNameIsCaught() throws IOException {
        // the check itself: this module's own code names org.engram.jobs.sweep by qualified name somewhere
        assertTrue(!offenders("driver", "org.engram.jobs.sweep").isEmpty());
        Path tmp = Files.createTempFile("layout", ".java");
        Files.writeString(tmp, "class X { /* org.apache.spark.SparkConf */ Object o = new org.apache.spark.SparkConf(); }");
        assertTrue(Pattern.compile("(?<![\\w.])" + Pattern.quote("org.apache.spark") + "\\b").matcher(code(tmp)).find());
        Files.writeString(tmp, "class X { /** {@link org.apache.spark.SparkConf} */ int x; // org.apache.spark\n}");
        assertTrue(!Pattern.compile("(?<![\\w.])" + Pattern.quote("org.apache.spark") + "\\b").matcher(code(tmp)).find());
        Files.delete(tmp);
    }

    @Test
    void jvmFlagsAgreeEverywhere() throws IOException {
        List<String> launcher = Files.readAllLines(Path.of("..", "deploy", "jvm.options")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertEquals(launcher, List.of(JvmFlags.FLAGS.split(" ")));
        Matcher m = Pattern.compile("<engram.jvm.flags>(.*)</engram.jvm.flags>").matcher(Files.readString(Path.of("..", "pom.xml")));
        assertTrue(m.find());
        assertEquals(launcher, List.of(m.group(1).trim().split(" ")));
    }
}
