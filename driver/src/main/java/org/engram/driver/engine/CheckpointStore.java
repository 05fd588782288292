package org.engram.driver.engine;

import java.io.IOException;
import java.util.Map;
import org.engram.jobs.core.Checkpoints;

/**
 * A halving sweep's checkpoints on its Hadoop file system ({@code <output>/<sweep>/checkpoints/}): one file per key,
 * written under a temporary name and renamed (as the shared-state store's), removed when the sweep ends. A checkpoint
 * that cannot be read is treated as missing — the unit trains from the start and emits the same rows.
 */
final class CheckpointStore implements Checkpoints {
    private final SharedStore files;

    CheckpointStore(String dir, Map<String, String> hadoopConf) {
        this.files = new SharedStore(dir, hadoopConf);
    }

    @Override
    public byte[] read(String key) {
        try {
            return files.read(key);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void write(String key, byte[] value) {
        try {
            files.write(key, value);
        } catch (IOException e) {
            throw Checkpoints.unchecked("cannot keep checkpoint " + key, e);
        }
    }

    @Override
    public boolean enabled() {
        return true;
    }
}
