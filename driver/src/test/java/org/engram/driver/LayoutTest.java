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

    /**
     * Inside {@code jobs}: data (dataset access) ← core (the kit) ← config (parameters, grids) ← each model
     * family ← sweep (loading and the registry). No package names one above it, and no family another.
     */
    @ParameterizedTest
    @CsvSource({
        "data,core", "data,config", "data,sweep", "data,kh", "data,mlcm", "data,rnn", "data,synthetic",
        "core,config", "core,sweep", "core,kh", "core,mlcm", "core,rnn", "core,synthetic",
        "config,sweep", "config,kh", "config,mlcm", "config,rnn", "config,synthetic",
        "kh,mlcm", "kh,rnn", "kh,synthetic", "kh,sweep", "mlcm,kh", "mlcm,rnn", "mlcm,synthetic", "mlcm,sweep",
        "rnn,kh", "rnn,mlcm", "rnn,synthetic", "rnn,sweep", "synthetic,kh", "synthetic,mlcm", "synthetic,rnn",
        "synthetic,sweep", "data,assoc", "core,assoc", "config,assoc", "assoc,sweep", "assoc,kh", "assoc,unlearning",
        "data,unlearning", "core,unlearning", "config,unlearning", "unlearning,sweep", "unlearning,kh",
        "unlearning,mlcm", "unlearning,rnn", "unlearning,assoc", "unlearning,synthetic"})
    void jobsPackagesDoNotReachUpwards(String pkg, String above) throws IOException {
        assertEquals(List.of(), offenders("jobs", "org/engram/jobs/" + pkg, "org.engram.jobs." + above),
                "org.engram.jobs." + pkg + " must not use org.engram.jobs." + above);
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
