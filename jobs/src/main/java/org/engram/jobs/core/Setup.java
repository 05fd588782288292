package org.engram.jobs.core;

import com.typesafe.config.Config;
import java.util.List;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Schema;

/**
 * A job's sweep bound and validated, handed to {@link Job#check} and {@link Job#plan}: the sweep's identity, its
 * conf (for messages that name a value), the settings record bound from {@code params} and {@code replicates},
 * and the grid's cells. {@link #at} gives one cell's settings — the grid's value wherever the grid varies a
 * parameter.
 *
 * @param <S> the job's settings record
 */
public record Setup<S extends Record>(SweepIdentity sweep, Config conf, Schema<S> schema, S settings,
                                      List<Cell> cells) {
    /** The settings of one cell. */
    public S at(Cell cell) {
        return schema.at(cell, settings);
    }
}
