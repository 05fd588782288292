package org.engram.driver.engine;

import java.io.Serializable;
import org.engram.jobs.core.WorkUnit;

/** A work unit as scheduled for computing, with the key it is recorded under in the ledger. */
record UnitTask(WorkUnit unit, String key) implements Serializable {
}
