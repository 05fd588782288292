package org.engram.driver;

import java.io.Serializable;
import org.engram.jobs.core.WorkUnit;

/** A work unit as scheduled: its ledger key and whether its rows are replayed from the ledger. */
record UnitTask(WorkUnit unit, String key, boolean reuse) implements Serializable {
}
