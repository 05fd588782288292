package org.engram.jobs.data;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Expensive state that many work units share (the θ_t of a training run that thousands of trial units
 * read, say), computed once and then reused: within a JVM through memory (other units wait for the one
 * computing it), across executors and across resumed runs through a store on the sweep's file system that
 * the engine installs (beside the ledger). Values are addressed by a key that must name everything that
 * determines them; entries are written once and atomically, so concurrent computations on two executors
 * are harmless (they produce the same bytes).
 */
public final class SharedState {
    /** Bytes by key on a shared file system. */
    public interface Store {
        /** The bytes stored under key, or null when there are none. */
        byte[] read(String key) throws IOException;

        void write(String key, byte[] value) throws IOException;
    }

    /** How a value becomes bytes and back. */
    public interface Codec<T> {
        byte[] encode(T value);

        T decode(byte[] bytes);
    }

    private volatile Store store;
    private final Map<String, CompletableFuture<Object>> memory = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong computed = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong loaded = new java.util.concurrent.atomic.AtomicLong();

    /** State held in memory only, until a store is {@linkplain #use used}. */
    public SharedState() {
    }

    /** Stored values computed in this JVM so far (not read from memory or the store). */
    public long computed() {
        return computed.get();
    }

    /** Values read from the store in this JVM so far. */
    public long loaded() {
        return loaded.get();
    }

    /** Forgets the values held in memory (they stay in the store): a long-lived JVM's way to free them. */
    public void clearMemory() {
        memory.clear();
    }

    /** The store of the sweep now running (the engine sets it before a partition's units run). */
    public void use(Store s) {
        store = s;
    }

    /**
     * A value held in memory only, computed once per JVM under key (a data split or a projection, say:
     * cheaper to recompute than to store). Units asking while it is being computed wait for it.
     */
    public <T> T memory(String key, Supplier<T> compute) {
        return get("memory\u0000" + key, null, compute);
    }

    /**
     * The value under key: from memory, else from the store, else computed (and then stored). With a null
     * codec the store is not used.
     */
    @SuppressWarnings("unchecked")
    public <T> T get(String key, Codec<T> codec, Supplier<T> compute) {
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> f = memory.putIfAbsent(key, mine);
        if (f == null) {
            try {
                mine.complete(load(key, codec, compute));
            } catch (RuntimeException | Error e) {
                memory.remove(key, mine); // a later unit may try again
                mine.completeExceptionally(e);
            }
            f = mine;
        }
        try {
            return (T) f.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
        }
    }

    private <T> T load(String key, Codec<T> codec, Supplier<T> compute) {
        if (codec == null) {
            return compute.get();
        }
        Store s = store;
        if (s != null) {
            try {
                byte[] b = s.read(key);
                if (b != null) {
                    T v = codec.decode(b);
                    loaded.incrementAndGet();
                    return v;
                }
            } catch (IOException | RuntimeException e) {
                // unreadable entry: compute again
            }
        }
        T value = compute.get();
        computed.incrementAndGet();
        if (s != null) {
            try {
                s.write(key, codec.encode(value));
            } catch (IOException | RuntimeException e) {
                // the store is an optimisation; the value is still good
            }
        }
        return value;
    }
}
