package org.engram.jobs.core;

import java.util.List;

/** A figure to render, described as data; notebooks-export draws it. */
public sealed interface Figure permits Figure.Heatmap, Figure.Curves, Figure.Tiles {
    /** File name without extension, e.g. {@code heatmap_n1000}. */
    String name();

    String title();

    String xLabel();

    String yLabel();

    boolean logX();

    /**
     * A heatmap over a regular grid: z[row][col] at (xs[col], ys[row]); NaN cells are left blank.
     * {@code labels[row][col]} (may be null or empty strings) is written on the cell, e.g. the regime.
     * {@code overlays} are lines drawn over it in the heatmap's (x, y) units (a theory's phase boundary), placed by
     * linear interpolation between the grid's cell centres; their bands are ignored.
     */
    record Heatmap(String name, String title, String xLabel, boolean logX, double[] xs, String yLabel,
                   double[] ys, String zLabel, double[][] z, String[][] labels, String legend, List<Series> overlays)
            implements Figure {
        public Heatmap(String name, String title, String xLabel, boolean logX, double[] xs, String yLabel,
                       double[] ys, String zLabel, double[][] z, String[][] labels, String legend) {
            this(name, title, xLabel, logX, xs, yLabel, ys, zLabel, z, labels, legend, List.of());
        }
    }

    /**
     * Cells of unequal sizes (an adaptive sweep's: each as large as the lattice was fine where it was computed), each a
     * rectangle coloured by its label (a side of a boundary), drawn in list order (finer cells over coarser ones), with
     * {@code lines} over them in the same units (the boundary: segments separated by NaN).
     */
    record Tiles(String name, String title, String xLabel, boolean logX, String yLabel, boolean logY, List<Tile> tiles,
                 List<Series> lines, String legend) implements Figure {
    }

    /** One rectangle of a {@link Tiles} figure. */
    record Tile(double xLow, double xHigh, double yLow, double yHigh, String label) {
    }

    /** Curves with 95% CI bands: each series has x, y and lower/upper band (NaN where none). */
    record Curves(String name, String title, String xLabel, boolean logX, String yLabel, boolean logY,
                  List<Series> series) implements Figure {
    }

    /**
     * One curve. A {@code dashed} series is drawn dashed in the colour of the solid series before it (a theory
     * beside the simulation it predicts). A {@code reference} series — a theory's curve or a reference line, not a
     * measurement — is drawn as a plain line, without a marker per point; a dashed series is one.
     */
    record Series(String label, double[] x, double[] y, double[] lower, double[] upper, boolean dashed,
                  boolean reference) {
        public Series(String label, double[] x, double[] y, double[] lower, double[] upper, boolean dashed) {
            this(label, x, y, lower, upper, dashed, dashed);
        }

        public Series(String label, double[] x, double[] y, double[] lower, double[] upper) {
            this(label, x, y, lower, upper, false, false);
        }

        /** A theory's curve or a reference line, drawn solid and without markers. */
        public static Series reference(String label, double[] x, double[] y) {
            double[] nan = new double[x.length];
            java.util.Arrays.fill(nan, Double.NaN);
            return new Series(label, x, y, nan, nan, false, true);
        }
    }
}
