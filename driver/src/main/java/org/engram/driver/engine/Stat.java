package org.engram.driver.engine;

import java.io.Serializable;
import org.engram.jobs.config.Cell;
import org.engram.jobs.core.Moments;

/**
 * Partial aggregate of one {@link AggKey}: the cell, trials and failures seen (with the failure
 * message of the lowest failed replicate, so the choice does not depend on the order of merging),
 * and the moments of the metric over successful trials. Merging is associative and commutative.
 */
public final class Stat implements Serializable {
    private static final long serialVersionUID = 1L;

    Cell cell;
    long trials;
    long failed;
    int firstFailedReplicate = Integer.MAX_VALUE;
    String firstFailure;
    Moments moments = new Moments();

    public Stat() {
    }

    Stat(Cell cell) {
        this.cell = cell;
    }

    void fail(int replicate, String message) {
        failed++;
        if (replicate < firstFailedReplicate) {
            firstFailedReplicate = replicate;
            firstFailure = message;
        }
    }

    static Stat merge(Stat a, Stat b) {
        a.trials += b.trials;
        if (b.failed > 0) {
            if (b.firstFailedReplicate < a.firstFailedReplicate) {
                a.firstFailedReplicate = b.firstFailedReplicate;
                a.firstFailure = b.firstFailure;
            }
            a.failed += b.failed;
        }
        a.moments.merge(b.moments);
        return a;
    }
}
