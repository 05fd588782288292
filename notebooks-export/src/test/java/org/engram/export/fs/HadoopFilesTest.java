package org.engram.export.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file is written whole or not at all: a failed write leaves neither the target nor its temporary file. */
class HadoopFilesTest {
    @TempDir
    java.nio.file.Path dir;

    /** The local file system, but every write to a created file fails as a full disk does (after the file exists). */
    public static final class FullDisk extends RawLocalFileSystem {
        @Override
        public java.net.URI getUri() {
            return java.net.URI.create("fulldisk:///");
        }

        @Override
        public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                         short replication, long blockSize, Progressable progress) throws IOException {
            return create(f, overwrite, bufferSize, replication, blockSize, progress);
        }

        @Override
        public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                         Progressable progress) throws IOException {
            super.create(f, overwrite, bufferSize, replication, blockSize, progress).close();
            return new FSDataOutputStream(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    throw new IOException("No space left on device");
                }
            }, null);
        }
    }

    @Test
    void aWriteThatFailsLeavesNoTemporaryFile() throws IOException {
        Configuration conf = new Configuration();
        conf.set("fs.fulldisk.impl", FullDisk.class.getName());
        conf.setBoolean("fs.fulldisk.impl.disable.cache", true);
        Path target = new Path("fulldisk://" + dir.toAbsolutePath() + "/keys");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> HadoopFiles.write(target, conf, "a,b".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("cannot write") && e.getCause().getMessage().contains("No space left"),
                e.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).toList(), "nothing left behind");
        }
        // the same write on the plain local file system lands whole
        HadoopFiles.write(new Path(dir.toUri().toString(), "keys"), new Configuration(), "a,b");
        assertEquals("a,b", Files.readString(dir.resolve("keys")));
        assertFalse(Files.exists(dir.resolve(".keys.tmp")));
    }
}
