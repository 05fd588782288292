package org.engram.driver.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.engram.export.fs.HadoopFiles;
import org.engram.kernels.data.Idx;
import org.engram.kernels.data.ImageSet;

/**
 * Reads fetched datasets through Hadoop's FileSystem ({@code file://}, {@code hdfs://}, ...):
 * {@code <root>/<name>/dataset.json} names the files of each split and the SHA-256 of their
 * decompressed content; every load checks both the checksum and the IDX shape, and a missing,
 * truncated or altered file is an error that says how to fetch it again.
 */
public final class DatasetStore {
    public static final String FORMAT = "engram-dataset/1";

    private DatasetStore() {
    }

    static String fetchHint(String root, String name) {
        return "fetch it with: deploy/engram data fetch " + name + " --dir " + root;
    }

    /** The dataset's description (dataset.json) as JSON. */
    public static JsonNode describe(String root, String name, Configuration conf) {
        Path p = new Path(root + "/" + name + "/dataset.json");
        FileSystem fs = HadoopFiles.fs(p, conf);
        try {
            if (!fs.exists(p)) {
                throw new IllegalArgumentException("dataset '" + name + "' is not under " + root + " (no " + p + "); "
                        + fetchHint(root, name));
            }
            try (InputStream in = fs.open(p)) {
                JsonNode j = new ObjectMapper().readTree(in);
                if (!FORMAT.equals(j.path("format").asText())) {
                    throw new IllegalArgumentException(p + " is not an " + FORMAT + " description; " + fetchHint(root, name));
                }
                return j;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + p + ": " + e.getMessage() + "; " + fetchHint(root, name), e);
        }
    }

    /** Loads one split ("train" or "test") with its checks. */
    public static ImageSet load(String root, String name, String split, Configuration conf) {
        JsonNode d = describe(root, name, conf);
        JsonNode s = d.path("splits").path(split);
        if (s.isMissingNode()) {
            throw new IllegalArgumentException("dataset '" + name + "' has no split '" + split + "' (it has "
                    + iterableNames(d.path("splits")) + ")");
        }
        Idx.Array images = read(root, name, s.path("images").asText(), d, conf);
        Idx.Array labels = read(root, name, s.path("labels").asText(), d, conf);
        ImageSet set;
        try {
            set = ImageSet.of(name + "/" + split, images, labels, s.path("classes").asInt(10));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; " + fetchHint(root, name), e);
        }
        if (s.has("count") && s.get("count").asInt() != set.count()) {
            throw new IllegalArgumentException(name + "/" + split + ": expected " + s.get("count").asInt()
                    + " images, found " + set.count() + "; " + fetchHint(root, name));
        }
        return set;
    }

    private static String iterableNames(JsonNode n) {
        java.util.List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names.toString();
    }

    private static Idx.Array read(String root, String name, String file, JsonNode d, Configuration conf) {
        Path p = new Path(root + "/" + name + "/" + file);
        FileSystem fs = HadoopFiles.fs(p, conf);
        try {
            if (!fs.exists(p)) {
                throw new IllegalArgumentException("missing " + p + "; " + fetchHint(root, name));
            }
            byte[] bytes;
            try (InputStream in = fs.open(p)) {
                bytes = in.readAllBytes();
            }
            String expected = d.path("sha256").path(file).asText("");
            String actual;
            try {
                actual = contentSha256(bytes);
            } catch (IOException e) {
                throw new IOException(p + ": corrupt or truncated (" + e.getMessage() + ")", e);
            }
            if (!expected.isEmpty() && !expected.equals(actual)) {
                throw new IllegalArgumentException(p + " does not match its checksum (content SHA-256 " + actual
                        + ", expected " + expected + "); " + fetchHint(root, name));
            }
            return Idx.read(new ByteArrayInputStream(bytes), p.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage() + "; " + fetchHint(root, name), e);
        }
    }

    /** SHA-256 of the decompressed content of a gzip file (of the bytes themselves when not gzipped). */
    public static String contentSha256(byte[] bytes) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        boolean gz = bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
        try (InputStream in = new DigestInputStream(gz ? new GZIPInputStream(new ByteArrayInputStream(bytes))
                : new ByteArrayInputStream(bytes), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
