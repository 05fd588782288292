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
}
