package org.engram.kernels.rnn;

/** How a deterministic spin trajectory ended. */
public enum Outcome {
    /** s(t+1) = s(t): the dynamics stopped. */
    FIXED_POINT,
    /** s(t+p) = s(t) for some p ≥ 2 (for synchronous updates usually p = 2). */
    CYCLE,
    /** Neither within T_max sweeps (the thesis' "likely chaotic"). */
    TIMEOUT
}
