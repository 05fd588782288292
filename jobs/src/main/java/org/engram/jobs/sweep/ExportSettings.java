package org.engram.jobs.sweep;

/**
 * The {@code export} section: what a run writes beside its tables and plots.
 *
 * @param notebook write {@code notebook.ipynb} (a Jupyter notebook that loads the tables and redraws the figures)
 */
public record ExportSettings(boolean notebook) {
}
