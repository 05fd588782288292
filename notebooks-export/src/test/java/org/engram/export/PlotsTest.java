package org.engram.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.engram.jobs.core.Figure;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;

class PlotsTest {
    private static Figure.Series series(String label, int n) {
        double[] x = new double[n];
        double[] y = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = Math.sin(i / 10.0);
            lo[i] = y[i] - 0.1;
            hi[i] = i == 3 ? Double.NaN : y[i] + 0.1;
        }
        return new Figure.Series(label, x, y, lo, hi);
    }

    @Test
    void longCurvesAreLinesAndShortOnesKeepTheirMarkers() {
        Figure.Curves c = new Figure.Curves("acc", "accuracy", "epoch", false, "accuracy (%)", false,
                List.of(series("plain", 500), series("KH-TD", 20), series("edge", Plots.MAX_MARKED_POINTS)));
        JFreeChart chart = Plots.curves(c);
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
        assertFalse(r.getSeriesShapesVisible(0), "500 points: no markers");
        assertTrue(r.getSeriesShapesVisible(1), "20 points: markers");
        assertTrue(r.getSeriesShapesVisible(2), "at the limit: markers");
        XYDataset d = chart.getXYPlot().getDataset();
        assertEquals(3, d.getSeriesCount());
        assertEquals(500, d.getItemCount(0));
    }

    @Test
    void logAxesDropPointsTheyCannotShowAndThePngHasTheDocumentedSize() throws IOException {
        Figure.Series s = series("s", 30); // sin ≤ 0 for some points
        Figure.Curves c = new Figure.Curves("log", "log", "x", false, "y", true, List.of(s));
        long positive = java.util.Arrays.stream(s.y()).filter(v -> v > 0).count();
        assertEquals(positive, Plots.curves(c).getXYPlot().getDataset().getItemCount(0));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Plots.png(c)));
        assertEquals(Plots.WIDTH, img.getWidth());
        assertEquals(Plots.HEIGHT, img.getHeight());
    }

    @Test
    void heatmapAxesWriteAtMostEightGridValuesWithoutTrailingZeros() {
        double[] ten = {1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9};
        assertEquals(List.of("1", "", "1.2", "", "1.4", "", "1.6", "", "1.8", ""), List.of(Plots.labels(ten)));
        double[] eight = {0.01, 0.0316227766, 0.1, 0.316227766, 1, 3.16227766, 10, 31.6227766};
        assertEquals(List.of("0.01", "0.0316", "0.1", "0.316", "1", "3.16", "10", "31.6"), List.of(Plots.labels(eight)));
        Figure.Heatmap h = new Figure.Heatmap("h", "h", "a", true, eight, "d", ten, "z", new double[10][8], null, "");
        String[] drawn = ((org.jfree.chart.axis.SymbolAxis) Plots.heatmap(h).getXYPlot().getRangeAxis()).getSymbols();
        assertTrue(java.util.Arrays.stream(drawn).filter(t -> !t.isEmpty()).count() <= 8, List.of(drawn).toString());
    }

    @Test
    void heatmapOverlaysArePlacedByInterpolationAndMayLeaveTheGrid() throws IOException {
        double[] grid = {0, 0.1, 0.2, 0.4};
        assertEquals(1.5, Plots.index(grid, 0.15), 1e-12);
        assertEquals(2.5, Plots.index(grid, 0.3), 1e-12);
        assertTrue(Double.isNaN(Plots.index(grid, 0.5)));
        assertTrue(Double.isNaN(Plots.index(grid, Double.NaN)));
        double[] nan = {Double.NaN, Double.NaN, Double.NaN};
        // a line whose every point is off the grid draws nothing and still renders
        for (double[] ys : new double[][] {{0.05, 0.3, 0.1}, {5, 6, 7}}) {
            Figure.Heatmap h = new Figure.Heatmap("h", "h", "x", false, grid, "y", grid, "z", new double[4][4],
                    null, "", List.of(new Figure.Series("line", new double[] {0, 0.2, 0.3}, ys, nan, nan, true)));
            long lines = Plots.heatmap(h).getXYPlot().getAnnotations().stream()
                    .filter(a -> a instanceof org.jfree.chart.annotations.XYLineAnnotation).count();
            assertEquals(ys[0] == 5 ? 0 : 2, lines);
            assertEquals(Plots.WIDTH, ImageIO.read(new ByteArrayInputStream(Plots.png(h))).getWidth());
        }
    }

    @Test
    void axesCarryAtMostEightTicksWholeNumbersForEpochs() {
        // epochs 0..19 (whole numbers) and accuracies in [0.3, 0.9]: before, ≈ 20 epoch ticks and 0.8, 1.2, … ticks
        double[] x = new double[20];
        double[] y = new double[20];
        double[] nan = new double[20];
        for (int i = 0; i < 20; i++) {
            x[i] = i;
            y[i] = 0.3 + 0.6 * i / 19;
            nan[i] = Double.NaN;
        }
        JFreeChart chart = Plots.curves(new Figure.Curves("acc", "accuracy", "epoch", false, "accuracy", false,
                List.of(new Figure.Series("a", x, y, nan, nan))));
        org.jfree.chart.axis.NumberAxis ex = (org.jfree.chart.axis.NumberAxis) chart.getXYPlot().getDomainAxis();
        org.jfree.chart.axis.NumberAxis ey = (org.jfree.chart.axis.NumberAxis) chart.getXYPlot().getRangeAxis();
        double ux = ex.getTickUnit().getSize();
        double uy = ey.getTickUnit().getSize();
        assertEquals(ux, Math.rint(ux), 0, "whole-number epochs get whole-number ticks");
        assertFalse(ex.isAutoTickUnitSelection() || ey.isAutoTickUnitSelection(), "drawing does not pick them again");
        assertTrue(ex.getRange().getLength() / ux <= Plots.MAX_TICKS + 1e-9, "x ticks: unit " + ux);
        assertTrue(ey.getRange().getLength() / uy <= Plots.MAX_TICKS + 1e-9, "y ticks: unit " + uy);
        assertEquals(0.1, uy, 1e-12, "a range of ≈ 0.66 in steps of 0.1");
        assertEquals("0.3", ey.getTickUnit().valueToString(0.3), "the digits the unit needs, no more");
        assertEquals(5, Plots.niceUnit(20, true), 0);
        assertEquals(1, Plots.niceUnit(3, true), 0, "never a fractional epoch");
        assertEquals(0.25, Plots.niceUnit(1.6, false), 1e-12);
        assertEquals(0.05, Plots.niceUnit(0.3, false), 1e-12);
        assertEquals(50, Plots.niceUnit(300, false), 0);
    }

    @Test
    void theoryAndReferenceLinesHaveNoMarkersMeasuredCurvesDo() {
        double[] x = {1, 2, 3};
        double[] nan = {Double.NaN, Double.NaN, Double.NaN};
        Figure.Series theory = Figure.Series.reference("Cover", x, new double[] {1, 0.5, 0});
        Figure.Series boundary = new Figure.Series("measured boundary", x, new double[] {1, 0.5, 0}, nan, nan);
        Figure.Series reference = new Figure.Series("Glorot", new double[] {2, 2}, new double[] {0, 1},
                new double[] {Double.NaN, Double.NaN}, new double[] {Double.NaN, Double.NaN}, true);
        JFreeChart chart = Plots.curves(new Figure.Curves("c", "c", "α", false, "y", false,
                List.of(series("data", 10), theory, reference, boundary)));
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
        assertTrue(r.getSeriesShapesVisible(0), "measured: markers");
        assertFalse(r.getSeriesShapesVisible(1), "a theory curve: a plain line");
        assertFalse(r.getSeriesShapesVisible(2), "a reference line (dashed): a plain line");
        assertTrue(r.getSeriesShapesVisible(3), "measured, even without an interval: markers");
    }

    @Test
    void logAxesTickEveryDecadeAndTwoAndFiveBetweenOnAShortRange() {
        assertEquals(List.of(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0), Plots.logTicks(0.008, 6));
        assertEquals(List.of(0.01, 0.1, 1.0, 10.0, 100.0), Plots.logTicks(0.005, 150), "four decades: decades only");
        assertEquals(List.of(0.2, 0.5), Plots.logTicks(0.15, 0.6), "less than a decade: still two ticks");
        assertEquals(List.of(), Plots.logTicks(-1, 1));
        // the axis draws exactly those
        double[] x = {0.01, 0.1, 1, 5};
        double[] nan = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        JFreeChart chart = Plots.curves(new Figure.Curves("l", "l", "β", true, "y", false,
                List.of(new Figure.Series("s", x, new double[] {1, 2, 3, 4}, nan, nan))));
        var axis = chart.getXYPlot().getDomainAxis();
        java.awt.image.BufferedImage img = chart.createBufferedImage(Plots.WIDTH, Plots.HEIGHT);
        var g2 = img.createGraphics();
        @SuppressWarnings("unchecked")
        List<org.jfree.chart.axis.ValueTick> ticks = axis.refreshTicks(g2, new org.jfree.chart.axis.AxisState(),
                new java.awt.Rectangle(0, 0, 800, 500), org.jfree.chart.ui.RectangleEdge.BOTTOM);
        assertEquals(Plots.logTicks(axis.getLowerBound(), axis.getUpperBound()), ticks.stream()
                .map(t -> t.getValue()).toList());
        assertTrue(ticks.stream().anyMatch(t -> t.getText().equals("0.02")), "2 × 10^k labelled plainly");
    }

    @Test
    void everyFigureIsAlsoAnSvgAndHeatmapLinesAreNamedBelowThePlotNotOnIt() throws Exception {
        double[] grid = {0, 0.1, 0.2, 0.4};
        double[] nan = {Double.NaN, Double.NaN, Double.NaN};
        String[][] letters = new String[4][4];
        for (String[] row : letters) {
            java.util.Arrays.fill(row, "R");
        }
        Figure.Heatmap h = new Figure.Heatmap("h", "h", "α", false, grid, "T", grid, "z", new double[4][4], letters,
                "", List.of(new Figure.Series("AGS T_M(α)", new double[] {0, 0.2, 0.3}, new double[] {0.3, 0.2, 0},
                nan, nan, true)));
        JFreeChart chart = Plots.heatmap(h);
        assertTrue(chart.getXYPlot().getAnnotations().stream().filter(a -> a instanceof
                org.jfree.chart.annotations.XYTextAnnotation).allMatch(a -> ((org.jfree.chart.annotations
                .XYTextAnnotation) a).getText().equals("R")), "only the cell letters are written on the cells");
        assertTrue(chart.getSubtitles().stream().anyMatch(t -> t instanceof org.jfree.chart.title.TextTitle tt
                && tt.getText().contains("AGS T_M(α)")), "the line is named under the plot");
        String svg = Plots.svg(h);
        var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        var doc = factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        assertEquals(Plots.WIDTH, Double.parseDouble(doc.getDocumentElement().getAttribute("width")), 1e-9);
        assertTrue(svg.contains(">R<") || svg.contains("R</text>"), "the cell letters are text in the SVG");
    }
}
