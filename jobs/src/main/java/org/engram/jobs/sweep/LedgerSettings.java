package org.engram.jobs.sweep;

/**
 * The {@code ledger} section: how long a task's ledger segment stays open before it is sealed (what a killed task
 * can lose at most) and above how many ledger files a run compacts the ledger into one segment at its end.
 */
public record LedgerSettings(double sealSeconds, int compactAbove) {
}
