package org.engram.kernels.random;

import java.nio.charset.StandardCharsets;

/**
 * Seeds derived from what a trial <em>is</em>: the sweep's identity, the canonical key of its cell,
 * the replicate index and the name of the random object (couplings, initial state, ...). Never from
 * partitioning, attempt number or wall clock, so a sweep gives the same draws on 1 core or 100.
 */
public final class Seeds {
    private Seeds() {
    }

    /** A 64-bit hash of a string (FNV-1a over UTF-8, then mixed); stable across JVMs and versions. */
    public static long hash(String s) {
        long h = 0xCBF29CE484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xFF);
            h *= 0x100000001B3L;
        }
        return CounterRng.mix64(h);
    }

    /**
     * The seed of one random object.
     *
     * @param sweepSeed a seed standing for the sweep (e.g. {@code hash(sweepId) ^ baseSeed})
     * @param key       canonical key of what the object belongs to (a cell key, or a shared-state key)
     * @param replicate replicate index
     * @param stream    name of the random object, e.g. "couplings", "init"
     */
    public static long derive(long sweepSeed, String key, long replicate, String stream) {
        long h = CounterRng.word(sweepSeed, hash(key));
        h = CounterRng.word(h, replicate);
        return CounterRng.word(h, hash(stream));
    }
}
