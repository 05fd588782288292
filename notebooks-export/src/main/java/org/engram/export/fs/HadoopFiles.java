package org.engram.export.fs;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Every byte Engram writes goes through Hadoop's FileSystem (file://, hdfs://, s3a://). A file is
 * written under a temporary name and renamed into place, so a reader never sees half of it.
 */
public final class HadoopFiles {
    private HadoopFiles() {
    }

    public static FileSystem fs(Path p, Configuration conf) {
        try {
            FileSystem fs = p.getFileSystem(conf);
            // no .crc side files next to local outputs: notebooks list folders
            fs.setWriteChecksum(false);
            return fs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the file system of " + p, e);
        }
    }

    /** Writes bytes to {@code target} atomically (temporary sibling, then rename). */
    public static void write(Path target, Configuration conf, byte[] bytes) {
        FileSystem fs = fs(target, conf);
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try {
            fs.mkdirs(target.getParent());
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                out.write(bytes);
            }
            commit(fs, tmp, target);
        } catch (IOException | org.apache.hadoop.fs.FSError e) {
            try {
                fs.delete(tmp, false); // a full disk must not leave the half-written file behind
            } catch (IOException | RuntimeException ignored) {
                // engram clean removes it
            }
            throw failure("cannot write " + target, e);
        }
    }

    /**
     * An I/O failure as one unchecked exception naming what was being done (the path): Hadoop's local file system
     * reports a full disk as {@link org.apache.hadoop.fs.FSError}, an Error around the IOException.
     */
    public static UncheckedIOException failure(String doing, Throwable e) {
        IOException io = e instanceof IOException x ? x : e.getCause() instanceof IOException x ? x
                : new IOException(e.getMessage(), e);
        return new UncheckedIOException(doing, io);
    }

    public static void write(Path target, Configuration conf, String text) {
        write(target, conf, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Renames tmp to target, replacing target if it exists. */
    public static void commit(FileSystem fs, Path tmp, Path target) throws IOException {
        if (fs.exists(target)) {
            fs.delete(target, true);
        }
        if (!fs.rename(tmp, target)) {
            throw new IOException("rename " + tmp + " -> " + target + " failed");
        }
    }

    /** An output stream for writers that need one; the caller commits with {@link #commit}. */
    public static OutputStream create(FileSystem fs, Path p) throws IOException {
        return fs.create(p, true);
    }
}
