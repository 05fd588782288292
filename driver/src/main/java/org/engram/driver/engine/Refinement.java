package org.engram.driver.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.engram.jobs.config.Cell;
import org.engram.jobs.core.Boundary.Side;

/**
 * The decisions of an adaptive sweep's boundary refinement, a pure function of the sides its cells were read at.
 *
 * <p>The cells lie on a lattice: every refined dimension's grid subdivided {@code 2^levels} times between its grid
 * values (the finest resolution), the other dimensions as the grid gives them. Cells that share the other dimensions'
 * values (a group: one N, say) are refined together. The sweep starts from the grid (the lattice points at multiples
 * of the stride) and its boxes (neighbouring grid points; an interval in one refined dimension, a square in two). A box
 * whose corners are all settled and on one side is done; one whose corners disagree is split at its midpoints —
 * bisection in 1-D, a quadtree in 2-D — and its children's new corners are the next round's cells; a box one lattice
 * step wide is a bracket of the boundary and is not split further. A cell whose side is not decided is not settled:
 * with sequential replicates it gets {@code add} more per round up to {@code max}, and the boxes it is a corner of wait.
 *
 * <p>With {@code inferEdges} (the default of {@code sweep.adaptive}) a split box computes its centre (and the centres of
 * its faces, in more than two dimensions) and only the midpoints of those of its edges whose two ends disagree: the
 * midpoint of an edge whose ends agree is inferred to lie on their side, not computed — the assumption a box whose
 * corners agree already rests on, that the boundary does not cross one lattice interval twice, applied to its edges.
 * An inferred cell is computed when it becomes an end of a bracket (a one-step edge whose ends disagree), so every
 * bracket is two computed cells. Without it, every new corner is computed.
 *
 * <p>Not thread-safe; rounds are decided one after another on the driver.
 */
final class Refinement {
    /** One refined dimension: its name, its stride on the lattice, and whether its values lie on a log scale. */
    record Axis(String name, int stride, boolean log) {
    }

    /** Sequential replicates: {@code add} more per round to an undecided cell, at most {@code max}. */
    record Replicates(int base, int add, int max) {
        static Replicates none(int base) {
            return new Replicates(base, 0, base);
        }
    }

    /** What the next round computes: new cells (at the base replicates) and cells given more replicates. */
    record Step(List<Cell> fresh, Map<Cell, Integer> more) {
        boolean done() {
            return fresh.isEmpty() && more.isEmpty();
        }
    }

    /** A box of one group: its lower and upper lattice corner in each refined dimension. */
    private record Box(String group, int[] lo, int[] hi) {
        int extent() {
            int e = 0;
            for (int i = 0; i < lo.length; i++) {
                e = Math.max(e, hi[i] - lo[i]);
            }
            return e;
        }
    }

    private final List<Axis> axes;
    private final Replicates replicates;
    /** Each refined dimension's lattice values, ascending. */
    private final List<List<Double>> values = new ArrayList<>();
    /** Each lattice cell by group and coordinates ("1,4"). */
    private final Map<String, Map<String, Cell>> lattice = new LinkedHashMap<>();
    private final Map<Cell, int[]> coordinates = new HashMap<>();
    private final Map<Cell, String> groups = new HashMap<>();
    /** The size of each refined dimension's lattice, per group. */
    private final Map<String, int[]> size = new HashMap<>();
    private final Map<Cell, Integer> computed = new TreeMap<>(Comparator.comparingInt(Cell::index));
    /** The round each computed cell was first computed in (0: the grid). */
    private final Map<Cell, Integer> level = new HashMap<>();
    private List<Box> active = new ArrayList<>();
    private int round;
    private final boolean inferEdges;
    /** Cells not computed whose side is inferred from an edge's agreeing ends, with that side's label. */
    private final Map<Cell, String> inferred = new TreeMap<>(Comparator.comparingInt(Cell::index));

    /**
     * @param fine       every cell of the lattice (the grid at the finest resolution), with their grid-order indices
     * @param axes       the refined dimensions
     * @param replicates the replicate counts
     * @param inferEdges whether the midpoint of a split box's edge whose ends agree is inferred rather than computed
     */
    Refinement(List<Cell> fine, List<Axis> axes, Replicates replicates, boolean inferEdges) {
        this.inferEdges = inferEdges;
        this.axes = List.copyOf(axes);
        this.replicates = replicates;
        for (Axis a : axes) {
            values.add(fine.stream().map(c -> c.getDouble(a.name())).distinct().sorted().toList());
        }
        for (Cell c : fine) {
            Cell g = c;
            int[] at = new int[axes.size()];
            for (int i = 0; i < axes.size(); i++) {
                at[i] = java.util.Collections.binarySearch(values.get(i), c.getDouble(axes.get(i).name()));
                g = g.without(axes.get(i).name());
            }
            String group = g.key();
            lattice.computeIfAbsent(group, k -> new HashMap<>()).put(key(at), c);
            coordinates.put(c, at);
            groups.put(c, group);
            int[] sz = size.computeIfAbsent(group, k -> new int[axes.size()]);
            for (int i = 0; i < at.length; i++) {
                sz[i] = Math.max(sz[i], at[i] + 1);
            }
        }
    }

    private static String key(int[] at) {
        StringBuilder sb = new StringBuilder();
        for (int x : at) {
            sb.append(x).append(',');
        }
        return sb.toString();
    }

    /** The grid: the lattice points at multiples of every stride, in grid order; its boxes become active. */
    List<Cell> start() {
        List<Cell> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Cell>> g : lattice.entrySet()) {
            int[] sz = size.get(g.getKey());
            for (Cell c : g.getValue().values()) {
                int[] at = coordinates.get(c);
                if (onGrid(at)) {
                    out.add(c);
                    boolean corner = true;
                    int[] hi = new int[at.length];
                    for (int i = 0; i < at.length; i++) {
                        // a dimension with one grid value has boxes of width 0 along it
                        hi[i] = sz[i] == 1 ? at[i] : at[i] + axes.get(i).stride();
                        corner &= hi[i] < sz[i];
                    }
                    if (corner) {
                        active.add(new Box(g.getKey(), at, hi));
                    }
                }
            }
        }
        out.sort(Comparator.comparingInt(Cell::index));
        active.sort(Comparator.comparingInt((Box b) -> cell(b.group(), b.lo()).index()));
        for (Cell c : out) {
            computed.put(c, replicates.base());
            level.put(c, 0);
        }
        return out;
    }

    private boolean onGrid(int[] at) {
        for (int i = 0; i < at.length; i++) {
            if (at[i] % axes.get(i).stride() != 0) {
                return false;
            }
        }
        return true;
    }

    private Cell cell(String group, int[] at) {
        Cell c = lattice.get(group).get(key(at));
        if (c == null) {
            throw new IllegalStateException("no lattice cell at " + Arrays.toString(at) + " of " + group);
        }
        return c;
    }

    /** The corners of a box (2^k of them, fewer along dimensions of width 0), in lattice order. */
    private List<Cell> corners(Box b) {
        List<Cell> out = new ArrayList<>();
        int k = b.lo().length;
        for (int mask = 0; mask < (1 << k); mask++) {
            int[] at = new int[k];
            boolean dup = false;
            for (int i = 0; i < k; i++) {
                boolean high = (mask >> i & 1) == 1;
                dup |= high && b.hi()[i] == b.lo()[i];
                at[i] = high ? b.hi()[i] : b.lo()[i];
            }
            if (!dup) {
                out.add(cell(b.group(), at));
            }
        }
        return out;
    }

    /** Whether more replicates could still move a cell's side. */
    private boolean settled(Cell c, Side s) {
        return s.decided() || computed.get(c) >= replicates.max();
    }

    /**
     * Decides the next round from the sides of every computed cell: more replicates for the undecided, the
     * children of every settled box whose corners disagree. Empty when the refinement is finished.
     */
    Step next(Function<Cell, Side> sides) {
        round++;
        Map<Cell, Integer> more = new LinkedHashMap<>();
        Map<Cell, Side> side = new HashMap<>();
        for (Map.Entry<Cell, Integer> e : computed.entrySet()) {
            Side s = sides.apply(e.getKey());
            side.put(e.getKey(), s);
            if (!settled(e.getKey(), s)) {
                more.put(e.getKey(), Math.min(replicates.max(), e.getValue() + replicates.add()));
            }
        }
        Function<Cell, String> label = c -> side.containsKey(c) ? side.get(c).label() : inferred.get(c);
        List<Box> next = new ArrayList<>();
        Map<Integer, Cell> fresh = new TreeMap<>();
        Map<Cell, String> assumed = new HashMap<>();
        java.util.Set<Cell> conflicting = new java.util.HashSet<>();
        for (Box b : active) {
            List<Cell> corners = corners(b);
            if (corners.stream().anyMatch(c -> side.containsKey(c) && !settled(c, side.get(c)))) {
                next.add(b); // waits for its corners' replicates
                continue;
            }
            if (corners.stream().map(label).distinct().count() == 1) {
                continue; // one side
            }
            if (b.extent() <= 1) {
                // a bracket at the finest resolution: the ends of its edges whose ends disagree are computed
                List<Cell> ends = bracketEnds(corners, label).stream().filter(c -> !computed.containsKey(c)).toList();
                if (!ends.isEmpty()) {
                    ends.forEach(c -> fresh.put(c.index(), c));
                    next.add(b); // read again once they are
                }
                continue;
            }
            for (Box child : split(b)) {
                next.add(child);
                for (Cell c : corners(child)) {
                    if (computed.containsKey(c) || inferred.containsKey(c)) {
                        continue;
                    }
                    String l = inferEdges ? edgeSide(b, c, label) : null;
                    if (l == null) {
                        fresh.put(c.index(), c);
                    } else if (assumed.containsKey(c) && !assumed.get(c).equals(l)) {
                        conflicting.add(c); // two edges say different things: compute it
                    } else {
                        assumed.put(c, l);
                    }
                }
            }
        }
        conflicting.forEach(c -> fresh.put(c.index(), c));
        assumed.forEach((c, l) -> {
            if (!fresh.containsKey(c.index())) {
                inferred.put(c, l);
                level.put(c, round);
            }
        });
        active = next;
        for (Cell c : fresh.values()) {
            computed.put(c, replicates.base());
            if (inferred.remove(c) == null) {
                level.put(c, round);
            }
        }
        computed.putAll(more);
        return new Step(List.copyOf(fresh.values()), more);
    }

    /**
     * The side of a new corner {@code c} of box {@code b}'s children when it is the midpoint of one of {@code b}'s edges
     * and that edge's two ends agree; null when it must be computed (the ends disagree, or it is a face's centre).
     */
    private String edgeSide(Box b, Cell c, Function<Cell, String> label) {
        int[] at = coordinates.get(c);
        int along = -1;
        for (int i = 0; i < at.length; i++) {
            if (at[i] != b.lo()[i] && at[i] != b.hi()[i]) {
                if (along >= 0) {
                    return null; // inside a face of two or more dimensions
                }
                along = i;
            }
        }
        int[] lo = at.clone();
        int[] hi = at.clone();
        lo[along] = b.lo()[along];
        hi[along] = b.hi()[along];
        String low = label.apply(cell(b.group(), lo));
        return low.equals(label.apply(cell(b.group(), hi))) ? low : null;
    }

    /** The corners of a finest box that end one of its one-step edges whose ends disagree. */
    private List<Cell> bracketEnds(List<Cell> corners, Function<Cell, String> label) {
        List<Cell> out = new ArrayList<>();
        for (Cell c : corners) {
            int[] at = coordinates.get(c);
            for (Cell o : corners) {
                int[] ot = coordinates.get(o);
                int differ = 0;
                for (int i = 0; i < at.length; i++) {
                    differ += at[i] != ot[i] ? 1 : 0;
                }
                if (differ == 1 && !label.apply(c).equals(label.apply(o))) {
                    out.add(c);
                    break;
                }
            }
        }
        return out;
    }

    /** A box's children: halved along every dimension wider than one step (the midpoint rounded down). */
    private static List<Box> split(Box b) {
        List<Box> out = new ArrayList<>();
        out.add(new Box(b.group(), b.lo().clone(), b.hi().clone()));
        for (int i = 0; i < b.lo().length; i++) {
            if (b.hi()[i] - b.lo()[i] <= 1) {
                continue;
            }
            int mid = (b.lo()[i] + b.hi()[i]) / 2;
            List<Box> halves = new ArrayList<>();
            for (Box x : out) {
                int[] hi = x.hi().clone();
                hi[i] = mid;
                int[] lo = x.lo().clone();
                lo[i] = mid;
                halves.add(new Box(b.group(), x.lo().clone(), hi));
                halves.add(new Box(b.group(), lo, x.hi().clone()));
            }
            out = halves;
        }
        return out;
    }

    /** Every computed cell with its replicate count, in grid order. */
    Map<Cell, Integer> computed() {
        return java.util.Collections.unmodifiableMap(computed);
    }

    /** Whether the midpoints of edges whose ends agree are inferred ({@code sweep.adaptive.edges = infer}). */
    boolean infersEdges() {
        return inferEdges;
    }

    /** The cells whose side the refinement inferred and did not compute, with that side's label, in grid order. */
    Map<Cell, String> inferred() {
        return java.util.Collections.unmodifiableMap(inferred);
    }

    /**
     * The round a cell was first computed (or inferred) in: its tile is the stride halved that many times (a bracket's
     * end computed after its box reached the finest resolution: at least that fine).
     */
    int level(Cell c) {
        return level.get(c);
    }

    /** A pair of computed cells one lattice step apart along {@code axis} whose sides differ: a point of the boundary. */
    record Bracket(Cell low, Cell high, int axis) {
    }

    /** Every bracket among the computed cells, in grid order of the lower cell, then by axis. */
    List<Bracket> brackets(Function<Cell, Side> sides) {
        List<Bracket> out = new ArrayList<>();
        for (Cell c : computed.keySet()) {
            int[] at = coordinates.get(c);
            for (int i = 0; i < at.length; i++) {
                int[] up = at.clone();
                up[i]++;
                Cell n = lattice.get(groups.get(c)).get(key(up));
                if (n != null && computed.containsKey(n) && !sides.apply(c).label().equals(sides.apply(n).label())) {
                    out.add(new Bracket(c, n, i));
                }
            }
        }
        return out;
    }

    /**
     * The value at a fractional lattice coordinate of refined dimension {@code axis}: between lattice values linearly
     * (geometrically on a log axis), clamped to the lattice's ends.
     */
    double value(int axis, double coordinate) {
        List<Double> v = values.get(axis);
        double c = Math.max(0, Math.min(v.size() - 1, coordinate));
        int i = (int) Math.min(v.size() - 2, Math.floor(c));
        if (v.size() == 1) {
            return v.get(0);
        }
        double f = c - i;
        double lo = v.get(i);
        double hi = v.get(i + 1);
        return axes.get(axis).log() && lo > 0 ? Math.exp(Math.log(lo) + f * (Math.log(hi) - Math.log(lo)))
                : lo + f * (hi - lo);
    }

    /** The lattice coordinates of a cell. */
    int[] coordinates(Cell c) {
        return coordinates.get(c).clone();
    }

    /**
     * The cells a refinement computes when one flat boundary crosses each group's grid once (a threshold in 1-D, the
     * diagonal in 2-D): the expected size of an adaptive sweep, as {@code engram plan} states it.
     */
    static int expected(List<Cell> fine, List<Axis> axes, boolean inferEdges) {
        Refinement r = new Refinement(fine, axes, Replicates.none(1), inferEdges);
        r.start();
        Function<Cell, Side> plane = c -> {
            int[] at = r.coordinates.get(c);
            int[] sz = r.size.get(r.groups.get(c));
            double sum = 0;
            for (int i = 0; i < at.length; i++) {
                // a point between lattice values, so that no cell lies on the boundary
                sum += sz[i] <= 1 ? 0 : (at[i] + 0.37) / (sz[i] - 1) - 0.5;
            }
            return new Side(sum < 0 ? "a" : "b", true);
        };
        while (!r.next(plane).done()) {
            // rounds until the resolution is reached
        }
        return r.computed.size();
    }
}
