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

/** Dependencies point one way, and the JVM flags are the same in the pom, the launcher and the code. */
class LayoutTest {
    static List<String> offenders(String module, String forbidden) throws IOException {
        try (Stream<Path> s = Files.walk(Path.of("..", module, "src", "main"))) {
            return s.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return Pattern.compile("^import (static )?" + Pattern.quote(forbidden), Pattern.MULTILINE)
                            .matcher(Files.readString(p)).find();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(Path::toString).toList();
        }
    }

    @ParameterizedTest
    @CsvSource({"worker-kernels,org.apache.spark.api", "worker-kernels,org.apache.spark.sql",
            "worker-kernels,com.typesafe", "worker-kernels,org.engram.jobs", "worker-kernels,org.engram.driver",
            "jobs,org.apache.spark", "jobs,org.engram.driver", "jobs,org.engram.export",
            "notebooks-export,org.engram.driver", "notebooks-export,org.apache.spark"})
    void layersDoNotImportUpwards(String module, String forbidden) throws IOException {
        assertEquals(List.of(), offenders(module, forbidden), module + " must not import " + forbidden);
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
