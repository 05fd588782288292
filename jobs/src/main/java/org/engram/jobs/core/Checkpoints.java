package org.engram.jobs.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a training unit keeps its state at the end of a run, so that a later unit with a larger budget (the next rung
 * of a successive-halving sweep) continues from it instead of training from the start. A cache, never a source of
 * results: a unit that resumes must emit exactly the rows it would have emitted training from the start (its state,
 * random generator included, is all in the checkpoint), so a missing or unreadable checkpoint only costs time. The
 * engine installs a store beside the ledger for a halving sweep and removes it when the sweep ends; elsewhere
 * {@link #NONE} reads nothing and keeps nothing.
 */
public interface Checkpoints {
    /** The bytes under {@code key}, or null when there are none. */
    byte[] read(String key);

    /** Keeps {@code value} under {@code key} (written once; a second write of the same key is ignored). */
    void write(String key, byte[] value);

    /** Whether checkpoints are kept at all (a unit need not encode its state otherwise). */
    boolean enabled();

    /** No store: nothing is read, nothing kept. */
    Checkpoints NONE = new Checkpoints() {
        @Override
        public byte[] read(String key) {
            return null;
        }

        @Override
        public void write(String key, byte[] value) {
        }

        @Override
        public boolean enabled() {
            return false;
        }
    };

    /**
     * The key of a unit's state after {@code budget} of its budget component: everything the unit is except that
     * component ({@link Fingerprint#without}), hashed, and the budget reached.
     */
    static String key(WorkUnit unit, String budgetComponent, long budget) {
        String text = unit.getClass().getName() + "\n" + Fingerprint.without(unit, budgetComponent);
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 20) + "-at-" + budget;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The state {@code unit}'s run kept at the largest budget below {@code budget} (its bytes), or null: none kept, or
     * no store. One lookup per smaller budget, from the largest down.
     */
    default byte[] latest(WorkUnit unit, String budgetComponent, long budget) {
        for (long b = budget - 1; enabled() && b >= 1; b--) {
            byte[] saved = read(key(unit, budgetComponent, b));
            if (saved != null) {
                return saved;
            }
        }
        return null;
    }

    /** Keeps {@code unit}'s state at the end of its run at {@code budget} (nothing without a store). */
    default void keep(WorkUnit unit, String budgetComponent, long budget, java.util.function.Supplier<byte[]> state) {
        if (enabled()) {
            write(key(unit, budgetComponent, budget), state.get());
        }
    }

    /** An {@link IOException} of a store, unchecked. */
    static UncheckedIOException unchecked(String what, IOException e) {
        return new UncheckedIOException(what, e);
    }
}
