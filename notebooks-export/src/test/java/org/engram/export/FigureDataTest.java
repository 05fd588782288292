package org.engram.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.engram.jobs.core.Figure;
import org.junit.jupiter.api.Test;

/** A figure's data files hold exactly what is drawn; the wide summary pivots the long table without losing a value. */
class FigureDataTest {
    static final double NaN = Double.NaN;

    static List<CSVRecord> parse(String csv) throws IOException {
        return CSVFormat.RFC4180.parse(new StringReader(csv)).getRecords();
    }

    @Test
    void heatmapMatrixHasYDownXAcrossAndTheLongTableOneRowPerCell() throws IOException {
        double[][] z = {{1, 2, 3}, {4, NaN, 6}};
        Figure.Heatmap h = new Figure.Heatmap("hm", "t", "strength a", true, new double[] {0.1, 1, 10}, "exponent d",
                new double[] {1.2, 1.5}, "sweeps", z, new String[][] {{"C", "C", "T"}, {"I", "", "T"}}, "C = chaotic",
                List.of(new Figure.Series("boundary", new double[] {0.5, 5}, new double[] {1.3, 1.4}, null, null)));
        List<CSVRecord> m = parse(FigureData.matrixCsv(h));
        assertEquals(List.of("exponent d \\ strength a", "0.1", "1.0", "10.0"), m.get(0).toList());
        assertEquals(List.of("1.2", "1.0", "2.0", "3.0"), m.get(1).toList());
        assertEquals(List.of("1.5", "4.0", "NaN", "6.0"), m.get(2).toList());
        TidyTable cells = FigureData.points(h);
        assertEquals(FigureData.HEATMAP_COLUMNS, cells.columns().stream().map(TidyTable.Column::name).toList());
        assertEquals(6, cells.rows().size());
        assertEquals(List.of(10.0, 1.5, 6.0, "T"), cells.rows().get(5), "row-major: the last row is (x max, y max)");
        assertEquals("", cells.rows().get(4).get(3), "an unlabelled cell has an empty label");
        TidyTable over = FigureData.overlays(h);
        assertEquals(2, over.rows().size());
        assertEquals(List.of("plots/hm.png", "plots/hm.svg", "plots/hm.csv", "plots/hm.matrix.csv",
                "plots/hm.overlays.csv"),
                FigureData.files(h));
        Map<String, Object> d = FigureData.describe(h);
        assertEquals("heatmap", d.get("kind"));
        assertEquals(true, d.get("log_x"));
        assertEquals("plots/hm.matrix.csv", d.get("matrix"));
    }

    @Test
    void curvesKeepSeriesOrderDashesAndBandsAndSayWhetherXIsWhole() throws IOException {
        Figure.Curves c = new Figure.Curves("cv", "t", "epoch", false, "accuracy (%)", false, List.of(
                new Figure.Series("sim", new double[] {1, 2}, new double[] {50, 60}, new double[] {45, 55},
                        new double[] {55, 65}),
                new Figure.Series("theory", new double[] {1, 2}, new double[] {52, 58}, null, null, true)));
        List<CSVRecord> rows = parse(CsvTables.render(FigureData.points(c)));
        assertEquals(FigureData.CURVE_COLUMNS, rows.get(0).toList());
        assertEquals(List.of("0", "sim", "false", "2.0", "60.0", "55.0", "65.0"), rows.get(2).toList());
        assertEquals(List.of("1", "theory", "true", "1.0", "52.0", "NaN", "NaN"), rows.get(3).toList());
        assertNull(FigureData.overlays(c));
        assertEquals(true, FigureData.describe(c).get("integer_x"));
        Figure.Curves frac = new Figure.Curves("f", "t", "α", false, "y", false, List.of(
                new Figure.Series("s", new double[] {0.5, 1}, new double[] {1, 2}, null, null)));
        assertEquals(false, FigureData.describe(frac).get("integer_x"));
    }

    @Test
    void wideSummaryHasOneRowPerCellAndNaNWhereACellLacksAMetric() {
        List<TidyTable.Column> cols = List.of(new TidyTable.Column("d", TidyTable.Type.DOUBLE),
                new TidyTable.Column("metric", TidyTable.Type.STRING), new TidyTable.Column("trials", TidyTable.Type.LONG),
                new TidyTable.Column("mean", TidyTable.Type.DOUBLE), new TidyTable.Column("ci95_low", TidyTable.Type.DOUBLE),
                new TidyTable.Column("ci95_high", TidyTable.Type.DOUBLE));
        TidyTable agg = new TidyTable("trials", cols, List.of(
                List.of(1.0, "iterations", 8L, 300.0, 300.0, 300.0),
                List.of(1.0, "converged", 8L, 0.0, 0.0, 0.32),
                List.of(1.5, "iterations", 8L, 12.5, 10.0, 15.0)));
        TidyTable wide = WideTable.of(agg);
        assertEquals(List.of("d", "trials", "iterations", "iterations_ci95_low", "iterations_ci95_high", "converged",
                "converged_ci95_low", "converged_ci95_high"), wide.columns().stream().map(TidyTable.Column::name).toList());
        assertEquals(List.of(1.0, 8L, 300.0, 300.0, 300.0, 0.0, 0.0, 0.32), wide.rows().get(0));
        assertEquals(2, wide.rows().size());
        assertTrue(Double.isNaN((Double) wide.rows().get(1).get(5)), "no converged value for d = 1.5");
        assertThrows(IllegalArgumentException.class, () -> WideTable.of(new TidyTable("x", cols.subList(0, 1),
                List.of())));
    }
}
