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
            byte[] text;
            try (InputStream in = fs.open(p)) {
                text = in.readAllBytes();
            }
            JsonNode j = new ObjectMapper().readTree(text);
            if (j == null || !FORMAT.equals(j.path("format").asText())) {
                throw new IllegalArgumentException(p + " is not an " + FORMAT + " description; " + fetchHint(root, name));
            }
            String problem = schemaProblem(j, lines(text));
            if (problem != null) {
                throw new IllegalArgumentException(p + ":" + problem + "; " + fetchHint(root, name));
            }
            return j;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + p + ": " + e.getMessage() + "; " + fetchHint(root, name), e);
        }
    }

    /** The line of every value of a JSON text, by JSON pointer ("/splits/train/count"). */
    static java.util.Map<String, Integer> lines(byte[] text) throws IOException {
        java.util.Map<String, Integer> at = new java.util.HashMap<>();
        try (com.fasterxml.jackson.core.JsonParser jp = new ObjectMapper().getFactory().createParser(text)) {
            for (com.fasterxml.jackson.core.JsonToken t = jp.nextToken(); t != null; t = jp.nextToken()) {
                if (t.isScalarValue() || t == com.fasterxml.jackson.core.JsonToken.START_OBJECT
                        || t == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                    at.putIfAbsent(jp.getParsingContext().pathAsPointer().toString(),
                            jp.currentTokenLocation().getLineNr());
                }
            }
        }
        return at;
    }

    /**
     * The first way a dataset description breaks its schema — {@code <line>: <key> = <value>: <what is wrong>} — or
     * null: splits an object of splits, each with {@code images} and {@code labels} file names, a whole
     * {@code count} ≥ 1 and {@code classes} ≥ 2 when given; {@code sha256} an object of 64-hex-digit checksums.
     */
    static String schemaProblem(JsonNode d, java.util.Map<String, Integer> lines) {
        JsonNode splits = d.path("splits");
        if (!splits.isObject() || splits.isEmpty()) {
            return where(lines, "/splits") + "splits = " + splits + ": must be an object with at least one split";
        }
        for (java.util.Iterator<String> it = splits.fieldNames(); it.hasNext(); ) {
            String split = it.next();
            JsonNode s = splits.get(split);
            String base = "/splits/" + split;
            for (String f : new String[] {"images", "labels"}) {
                if (!s.path(f).isTextual() || s.path(f).asText().isBlank()) {
                    return where(lines, base + "/" + f) + "splits." + split + "." + f + " = " + s.path(f)
                            + ": must be a file name";
                }
            }
            for (String f : new String[] {"count", "classes"}) {
                JsonNode v = s.get(f);
                if (v != null && (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < (f.equals("count") ? 1 : 2))) {
                    return where(lines, base + "/" + f) + "splits." + split + "." + f + " = " + v + ": must be a whole "
                            + "number ≥ " + (f.equals("count") ? 1 : 2);
                }
            }
        }
        JsonNode sums = d.get("sha256");
        if (sums != null) {
            if (!sums.isObject()) {
                return where(lines, "/sha256") + "sha256 = " + sums + ": must be an object of file → checksum";
            }
            for (java.util.Iterator<String> it = sums.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!sums.get(f).asText("").matches("[0-9a-f]{64}")) {
                    return where(lines, "/sha256/" + f) + "sha256." + f + " = " + sums.get(f)
                            + ": must be 64 hex digits";
                }
            }
        }
        return null;
    }

    private static String where(java.util.Map<String, Integer> lines, String pointer) {
        Integer line = lines.get(pointer);
        return (line == null ? "" : line.toString()) + ": ";
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
