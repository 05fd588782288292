package org.engram.kernels.rnn;

/**
 * What one deterministic spin trajectory did.
 *
 * @param outcome       fixed point, cycle or timeout
 * @param iterations    sweeps computed until the outcome was recognised: a state that is already a
 *                      fixed point takes 1 (the sweep that confirms it); a timeout takes T_max
 * @param period        cycle length (1 for a fixed point, 0 for a timeout)
 * @param magnetisation mean spin of the last state, in [−1, 1]
 * @param trivial       the last state is a fixed point with all spins equal (all +1 or all −1)
 */
public record Trajectory(Outcome outcome, int iterations, int period, double magnetisation, boolean trivial) {
    public boolean converged() {
        return outcome == Outcome.FIXED_POINT;
    }
}
