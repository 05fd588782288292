package org.engram.driver.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.engram.export.fs.HadoopFiles;
import org.engram.jobs.data.SharedState;

/**
 * The shared-state store of a sweep on its Hadoop file system ({@code <output>/<sweep>/shared/<code
 * version>/}): one file per key, written under a temporary name and renamed, never overwritten.
 */
final class SharedStore implements SharedState.Store {
    private final String dir;
    private final Map<String, String> hadoopConf;

    SharedStore(String dir, Map<String, String> hadoopConf) {
        this.dir = dir;
        this.hadoopConf = hadoopConf;
    }

    private Configuration conf() {
        Configuration c = new Configuration();
        hadoopConf.forEach(c::set);
        return c;
    }

    private Path path(String key) {
        if (!key.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("shared-state keys are file names, got '" + key + "'");
        }
        return new Path(dir, key + ".bin");
    }

    @Override
    public byte[] read(String key) throws IOException {
        Path p = path(key);
        FileSystem fs = HadoopFiles.fs(p, conf());
        if (!fs.exists(p)) {
            return null;
        }
        try (InputStream in = fs.open(p)) {
            return in.readAllBytes();
        }
    }

    @Override
    public void write(String key, byte[] value) throws IOException {
        Path p = path(key);
        FileSystem fs = HadoopFiles.fs(p, conf());
        if (fs.exists(p)) {
            return;
        }
        fs.mkdirs(p.getParent());
        Path tmp = new Path(p.getParent(), "." + p.getName() + "." + java.util.UUID.randomUUID() + ".tmp");
        try (OutputStream out = fs.create(tmp, true)) {
            out.write(value);
        }
        if (!fs.rename(tmp, p)) {
            fs.delete(tmp, false); // another executor wrote the same bytes first
        }
    }
}
