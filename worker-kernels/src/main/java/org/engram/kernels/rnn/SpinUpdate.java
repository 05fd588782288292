package org.engram.kernels.rnn;

/** Update order of the spins within one sweep (thesis §3.1). */
public enum SpinUpdate {
    /** All spins from the same s(t) (the thesis' choice). */
    SYNCHRONOUS,
    /** One spin at a time, in a fresh random order each sweep; fields see every earlier flip. */
    ASYNCHRONOUS
}
