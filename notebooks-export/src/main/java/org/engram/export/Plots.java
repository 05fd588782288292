package org.engram.export;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.engram.jobs.core.Figure;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/** Renders {@link Figure}s to PNG with JFreeChart (headless). */
public final class Plots {
    public static final int WIDTH = 900;
    public static final int HEIGHT = 650;
    /** Curves with more points than this are drawn as lines only. */
    static final int MAX_MARKED_POINTS = 60;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf)};

    private Plots() {
    }

    public static byte[] png(Figure f) {
        System.setProperty("java.awt.headless", "true");
        JFreeChart chart = chart(f);
        chart.setBackgroundPaint(Color.WHITE);
        BufferedImage img = chart.createBufferedImage(WIDTH, HEIGHT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The same figure as SVG (JFreeSVG), a vector version for papers: same size, fonts and colours as the PNG. */
    public static String svg(Figure f) {
        System.setProperty("java.awt.headless", "true");
        JFreeChart chart = chart(f);
        chart.setBackgroundPaint(Color.WHITE);
        org.jfree.svg.SVGGraphics2D g2 = new org.jfree.svg.SVGGraphics2D(WIDTH, HEIGHT);
        chart.draw(g2, new java.awt.Rectangle(0, 0, WIDTH, HEIGHT));
        return g2.getSVGDocument();
    }

    private static JFreeChart chart(Figure f) {
        if (f instanceof Figure.Heatmap h) {
            return heatmap(h);
        }
        return f instanceof Figure.Tiles t ? tiles(t) : curves((Figure.Curves) f);
    }

    /**
     * Tiles of unequal sizes, coloured by label (in order of first appearance), drawn in list order, with the lines
     * over them in black; a legend under the plot names the colours.
     */
    static JFreeChart tiles(Figure.Tiles t) {
        ValueAxis x = t.logX() ? new LogAxis(t.xLabel()) : new NumberAxis(t.xLabel());
        ValueAxis y = t.logY() ? new LogAxis(t.yLabel()) : new NumberAxis(t.yLabel());
        double x0 = t.tiles().stream().mapToDouble(Figure.Tile::xLow).min().orElse(0);
        double x1 = t.tiles().stream().mapToDouble(Figure.Tile::xHigh).max().orElse(1);
        double y0 = t.tiles().stream().mapToDouble(Figure.Tile::yLow).min().orElse(0);
        double y1 = t.tiles().stream().mapToDouble(Figure.Tile::yHigh).max().orElse(1);
        x.setRange(x0, x1 > x0 ? x1 : x0 + 1);
        y.setRange(y0, y1 > y0 ? y1 : y0 + 1);
        XYPlot plot = new XYPlot(null, x, y, new org.jfree.chart.renderer.xy.XYLineAndShapeRenderer());
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        List<String> labels = new ArrayList<>();
        BasicStroke edge = new BasicStroke(0.5f);
        for (Figure.Tile tile : t.tiles()) {
            if (!labels.contains(tile.label())) {
                labels.add(tile.label());
            }
            Color c = PALETTE[labels.indexOf(tile.label()) % PALETTE.length];
            plot.addAnnotation(new org.jfree.chart.annotations.XYBoxAnnotation(tile.xLow(), tile.yLow(), tile.xHigh(),
                    tile.yHigh(), edge, Color.WHITE, new Color(c.getRed(), c.getGreen(), c.getBlue(), 170)));
        }
        BasicStroke line = new BasicStroke(2f);
        for (Figure.Series s : t.lines()) {
            for (int i = 0; i + 1 < s.x().length; i++) {
                if (!Double.isNaN(s.x()[i]) && !Double.isNaN(s.x()[i + 1])) {
                    plot.addAnnotation(new org.jfree.chart.annotations.XYLineAnnotation(s.x()[i], s.y()[i],
                            s.x()[i + 1], s.y()[i + 1], line, Color.BLACK));
                }
            }
        }
        JFreeChart chart = new JFreeChart(t.title(), new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, false);
        StringBuilder legend = new StringBuilder();
        String[] names = {"blue", "orange", "green", "red", "purple", "brown", "pink", "grey", "olive", "cyan"};
        for (int i = 0; i < labels.size(); i++) {
            legend.append(i == 0 ? "" : ", ").append(names[i % names.length]).append(" = ").append(labels.get(i));
        }
        if (!t.lines().isEmpty()) {
            legend.append("; black: ").append(t.lines().get(0).label());
        }
        TextTitle sub = new TextTitle(legend + (t.legend() == null || t.legend().isEmpty() ? "" : " — " + t.legend()),
                new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        sub.setPosition(RectangleEdge.BOTTOM);
        chart.addSubtitle(sub);
        return chart;
    }

    /** Viridis-like colour scale. */
    static final class Viridis implements PaintScale {
        private static final int[][] STOPS = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
        private final double lo;
        private final double hi;

        Viridis(double lo, double hi) {
            this.lo = lo;
            this.hi = hi > lo ? hi : lo + 1;
        }

        @Override
        public double getLowerBound() {
            return lo;
        }

        @Override
        public double getUpperBound() {
            return hi;
        }

        @Override
        public Paint getPaint(double v) {
            if (Double.isNaN(v)) {
                return Color.LIGHT_GRAY;
            }
            double t = Math.max(0, Math.min(1, (v - lo) / (hi - lo))) * (STOPS.length - 1);
            int i = Math.min(STOPS.length - 2, (int) t);
            double f = t - i;
            int[] a = STOPS[i];
            int[] b = STOPS[i + 1];
            return new Color((int) (a[0] + f * (b[0] - a[0])), (int) (a[1] + f * (b[1] - a[1])),
                    (int) (a[2] + f * (b[2] - a[2])));
        }
    }

    /**
     * A heatmap axis' labels: every k-th grid value so that at most {@link #MAX_TICKS} + 1 are written (the others
     * blank), in three significant digits without trailing zeros.
     */
    static String[] labels(double[] v) {
        String[] s = new String[v.length];
        int step = Math.max(1, (int) Math.ceil(v.length / (MAX_TICKS + 1.0)));
        for (int i = 0; i < v.length; i++) {
            if (i % step != 0) {
                s[i] = "";
                continue;
            }
            String t = Math.abs(v[i]) >= 1e4 || (Math.abs(v[i]) < 1e-2 && v[i] != 0)
                    ? String.format(Locale.ROOT, "%.2g", v[i]) : String.format(Locale.ROOT, "%.3g", v[i]);
            s[i] = t.contains("e") || !t.contains(".") ? t : t.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }

    static JFreeChart heatmap(Figure.Heatmap h) {
        int nx = h.xs().length;
        int ny = h.ys().length;
        double[][] data = new double[3][nx * ny];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int q = 0;
        for (int r = 0; r < ny; r++) {
            for (int c = 0; c < nx; c++) {
                data[0][q] = c;
                data[1][q] = r;
                data[2][q] = h.z()[r][c];
                if (!Double.isNaN(h.z()[r][c])) {
                    lo = Math.min(lo, h.z()[r][c]);
                    hi = Math.max(hi, h.z()[r][c]);
                }
                q++;
            }
        }
        if (lo > hi) {
            lo = 0;
            hi = 1;
        }
        DefaultXYZDataset ds = new DefaultXYZDataset();
        ds.addSeries("z", data);
        SymbolAxis x = new SymbolAxis(h.xLabel() + (h.logX() ? " (log-spaced)" : ""), labels(h.xs()));
        SymbolAxis y = new SymbolAxis(h.yLabel(), labels(h.ys()));
        XYBlockRenderer renderer = new XYBlockRenderer();
        Viridis scale = new Viridis(lo, hi);
        renderer.setPaintScale(scale);
        XYPlot plot = new XYPlot(ds, x, y, renderer);
        plot.setBackgroundPaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, 14);
        if (h.labels() != null) {
            for (int r = 0; r < ny; r++) {
                for (int c = 0; c < nx; c++) {
                    String s = h.labels()[r][c];
                    if (s != null && !s.isEmpty()) {
                        XYTextAnnotation a = new XYTextAnnotation(s, c, r);
                        a.setFont(font);
                        double v = h.z()[r][c];
                        a.setPaint(!Double.isNaN(v) && (v - lo) / (hi - lo + 1e-300) > 0.6 ? Color.BLACK : Color.WHITE);
                        plot.addAnnotation(a);
                    }
                }
            }
        }
        for (Figure.Series line : h.overlays()) {
            overlay(plot, line, h.xs(), h.ys());
        }
        JFreeChart chart = new JFreeChart(h.title(), new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, false);
        // the lines drawn over the cells are named under the plot, never on it (where they would cover cell letters)
        String named = h.overlays().stream().map(Figure.Series::label).filter(l -> l != null && !l.isEmpty())
                .map(l -> "white line: " + l).collect(java.util.stream.Collectors.joining("; "));
        // (unless the figure's own legend already says what the white lines are)
        if (!named.isEmpty() && (h.legend() == null || !h.legend().contains("white"))) {
            TextTitle lines = new TextTitle(named, new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            lines.setPosition(RectangleEdge.BOTTOM);
            chart.addSubtitle(lines);
        }
        NumberAxis zAxis = new NumberAxis(h.zLabel());
        zAxis.setRange(lo, hi > lo ? hi : lo + 1);
        tidyTicks(zAxis, false);
        PaintScaleLegend legend = new PaintScaleLegend(scale, zAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 40, 4);
        legend.setFrame(BlockBorder.NONE);
        chart.addSubtitle(legend);
        if (h.legend() != null && !h.legend().isEmpty()) {
            TextTitle sub = new TextTitle(h.legend(), new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            sub.setPosition(RectangleEdge.BOTTOM);
            chart.addSubtitle(sub);
        }
        return chart;
    }

    /** A line in data units over a heatmap whose axes are cell indices: segments between interpolated points. */
    private static void overlay(XYPlot plot, Figure.Series line, double[] xs, double[] ys) {
        java.awt.Stroke stroke = new java.awt.BasicStroke(2.5f, java.awt.BasicStroke.CAP_ROUND,
                java.awt.BasicStroke.JOIN_ROUND, 1f, line.dashed() ? new float[] {8f, 5f} : null, 0f);
        double px = Double.NaN;
        double py = Double.NaN;
        for (int i = 0; i < line.x().length; i++) {
            double cx = index(xs, line.x()[i]);
            double cy = index(ys, line.y()[i]);
            if (!Double.isNaN(cx) && !Double.isNaN(cy) && !Double.isNaN(px) && !Double.isNaN(py)) {
                plot.addAnnotation(new org.jfree.chart.annotations.XYLineAnnotation(px, py, cx, cy, stroke,
                        Color.WHITE));
            }
            px = cx;
            py = cy;
        }
    }

    /** The fractional cell index of a value on an ascending grid (NaN outside it or for NaN). */
    static double index(double[] grid, double v) {
        if (Double.isNaN(v) || grid.length == 0 || v < grid[0] || v > grid[grid.length - 1]) {
            return Double.NaN;
        }
        for (int i = 0; i + 1 < grid.length; i++) {
            if (v <= grid[i + 1]) {
                return i + (v - grid[i]) / (grid[i + 1] - grid[i]);
            }
        }
        return grid.length - 1;
    }

    static JFreeChart curves(Figure.Curves c) {
        YIntervalSeriesCollection ds = new YIntervalSeriesCollection();
        for (Figure.Series s : c.series()) {
            YIntervalSeries ys = new YIntervalSeries(s.label());
            for (int i = 0; i < s.x().length; i++) {
                double y = s.y()[i];
                if (Double.isNaN(y) || (c.logY() && y <= 0) || (c.logX() && s.x()[i] <= 0)) {
                    continue;
                }
                double lo = Double.isNaN(s.lower()[i]) ? y : s.lower()[i];
                double hi = Double.isNaN(s.upper()[i]) ? y : s.upper()[i];
                if (c.logY() && lo <= 0) {
                    lo = y;
                }
                ys.add(s.x()[i], y, lo, hi);
            }
            ds.addSeries(ys);
        }
        ValueAxis x = c.logX() ? logAxis(c.xLabel()) : new NumberAxis(c.xLabel());
        ValueAxis y = c.logY() ? logAxis(c.yLabel()) : new NumberAxis(c.yLabel());
        if (x instanceof NumberAxis nx) {
            nx.setAutoRangeIncludesZero(false);
        }
        if (y instanceof NumberAxis ny) {
            ny.setAutoRangeIncludesZero(false);
        }
        DeviationRenderer r = new DeviationRenderer(true, true);
        int colour = -1;
        for (int i = 0; i < c.series().size(); i++) {
            boolean dashed = c.series().get(i).dashed();
            colour = dashed && colour >= 0 ? colour : colour + 1; // a dashed series takes the colour before it
            Color col = PALETTE[colour % PALETTE.length];
            r.setSeriesPaint(i, col);
            r.setSeriesFillPaint(i, col);
            r.setSeriesStroke(i, dashed ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {8f, 6f}, 0f) : new BasicStroke(2f));
            // a marker per measured point reads well on a short curve and smears a long one (500 epochs) into a
            // band; a theory's curve or a reference line is a plain line
            r.setSeriesShapesVisible(i, c.series().get(i).x().length <= MAX_MARKED_POINTS
                    && !c.series().get(i).reference());
        }
        r.setAlpha(0.2f);
        XYPlot plot = new XYPlot(ds, x, y, r);
        // the plot has fitted the axes to the data: now at most ≈ 8 ticks each, whole numbers for whole-number x
        if (x instanceof NumberAxis nx) {
            tidyTicks(nx, c.series().stream().allMatch(s -> java.util.Arrays.stream(s.x())
                    .allMatch(v -> v == Math.rint(v))));
        }
        if (y instanceof NumberAxis ny) {
            tidyTicks(ny, false);
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return new JFreeChart(c.title(), new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
    }

    /** At most this many tick intervals on a linear axis. */
    static final int MAX_TICKS = 7;

    /** The smallest of 1, 2, 2.5, 5 × 10^k that is at least span / MAX_TICKS (whole for whole-number axes). */
    static double niceUnit(double span, boolean whole) {
        if (!(span > 0) || Double.isInfinite(span)) {
            return whole ? 1 : 0.1;
        }
        double raw = span / MAX_TICKS;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double unit = 10 * mag;
        for (double m : new double[] {1, 2, 2.5, 5}) {
            if (m * mag >= raw * (1 - 1e-9)) {
                unit = m * mag;
                break;
            }
        }
        if (whole) {
            unit = unit < 1 ? 1 : unit == 2.5 ? 5 : Math.rint(unit) == unit ? unit : Math.ceil(unit);
        }
        return unit;
    }

    /** A fixed tick unit from the axis' fitted range: ≤ MAX_TICKS + 1 ticks, printed with the digits they need. */
    static void tidyTicks(NumberAxis a, boolean whole) {
        double unit = niceUnit(a.getRange().getLength(), whole);
        // as many decimals as the unit has (0.25 → 2, 0.5 → 1, 20 → 0)
        int decimals = Math.max(0, java.math.BigDecimal.valueOf(unit).stripTrailingZeros().scale());
        java.text.DecimalFormat f = new java.text.DecimalFormat(decimals == 0 ? "#,##0" : "0." + "0".repeat(decimals),
                java.text.DecimalFormatSymbols.getInstance(Locale.ROOT));
        a.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(unit, f), false, true); // no auto-selection when drawn
    }

    /**
     * Tick values of a log axis over [lo, hi]: every power of ten, and 2 and 5 × each when the range spans fewer than
     * three decades (so a short axis never shows only one or two labels).
     */
    static List<Double> logTicks(double lo, double hi) {
        List<Double> out = new ArrayList<>();
        if (!(lo > 0) || !(hi > lo)) {
            return out;
        }
        boolean between = Math.log10(hi / lo) < 3;
        for (int k = (int) Math.floor(Math.log10(lo)); k <= (int) Math.ceil(Math.log10(hi)); k++) {
            for (double m : between ? new double[] {1, 2, 5} : new double[] {1}) {
                double v = m * Math.pow(10, k);
                // the decade's value, exactly as printed (no 0.30000000000000004)
                v = Double.parseDouble(String.format(Locale.ROOT, "%.0e", v));
                if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    /** A log axis whose ticks are {@link #logTicks}, printed by {@link PowerFormat}. */
    static final class TickedLogAxis extends LogAxis {
        private static final long serialVersionUID = 1L;

        TickedLogAxis(String label) {
            super(label);
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        protected List refreshTicksHorizontal(java.awt.Graphics2D g2, java.awt.geom.Rectangle2D dataArea,
                                              RectangleEdge edge) {
            return ticks(edge == RectangleEdge.TOP ? org.jfree.chart.ui.TextAnchor.BOTTOM_CENTER
                    : org.jfree.chart.ui.TextAnchor.TOP_CENTER);
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        protected List refreshTicksVertical(java.awt.Graphics2D g2, java.awt.geom.Rectangle2D dataArea,
                                            RectangleEdge edge) {
            return ticks(edge == RectangleEdge.RIGHT ? org.jfree.chart.ui.TextAnchor.CENTER_LEFT
                    : org.jfree.chart.ui.TextAnchor.CENTER_RIGHT);
        }

        private List<org.jfree.chart.axis.Tick> ticks(org.jfree.chart.ui.TextAnchor anchor) {
            List<org.jfree.chart.axis.Tick> out = new ArrayList<>();
            PowerFormat f = new PowerFormat();
            for (double v : logTicks(getLowerBound(), getUpperBound())) {
                out.add(new org.jfree.chart.axis.NumberTick(org.jfree.chart.axis.TickType.MAJOR, v, f.format(v),
                        anchor, org.jfree.chart.ui.TextAnchor.CENTER, 0.0));
            }
            return out;
        }
    }

    private static LogAxis logAxis(String label) {
        LogAxis a = new TickedLogAxis(label);
        a.setBase(10);
        a.setSmallestValue(1e-12);
        // ticks at powers of ten, printed plainly (100, 1000, 0.01)
        a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        a.setNumberFormatOverride(new PowerFormat());
        a.setMinorTickMarksVisible(true);
        return a;
    }

    /** Log-axis tick labels: plainly from 10⁻⁴ to 10⁶ (0.01, 1,000), as 1e-06 beyond (never a bare 0). */
    static final class PowerFormat extends java.text.NumberFormat {
        private final java.text.DecimalFormat plain = new java.text.DecimalFormat("#,##0.####",
                java.text.DecimalFormatSymbols.getInstance(Locale.ROOT));

        @Override
        public StringBuffer format(double x, StringBuffer to, java.text.FieldPosition pos) {
            double a = Math.abs(x);
            return a == 0 || (a >= 1e-4 && a < 1e6) ? plain.format(x, to, pos)
                    : to.append(String.format(Locale.ROOT, "%.0e", x));
        }

        @Override
        public StringBuffer format(long x, StringBuffer to, java.text.FieldPosition pos) {
            return format((double) x, to, pos);
        }

        @Override
        public Number parse(String source, java.text.ParsePosition pos) {
            return plain.parse(source, pos);
        }
    }
}
