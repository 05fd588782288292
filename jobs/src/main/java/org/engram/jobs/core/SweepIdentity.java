package org.engram.jobs.core;

import java.io.Serializable;
import org.engram.kernels.random.Seeds;

/**
 * What a sweep is, for seeding: its id and base seed. Trial seeds derive from this, the cell key and
 * the replicate only.
 */
public record SweepIdentity(String id, long baseSeed) implements Serializable {
    public long seed() {
        return Seeds.hash(id) ^ Seeds.hash("seed=" + baseSeed);
    }

    public long derive(String key, long replicate, String stream) {
        return Seeds.derive(seed(), key, replicate, stream);
    }
}
