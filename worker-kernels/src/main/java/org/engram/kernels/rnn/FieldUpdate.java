package org.engram.kernels.rnn;

/** How the local fields are brought up to date after a synchronous sweep. */
public enum FieldUpdate {
    /** Recompute every field from the whole matrix (n² work per state). */
    FULL,
    /** Add only the flipped spins' columns (n·|flips| work per state). */
    INCREMENTAL,
    /** Incremental when few spins flipped, full otherwise (the default). */
    ADAPTIVE
}
