package org.engram.driver.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.engram.jobs.config.Cell;
import org.engram.jobs.core.Boundary.Side;
import org.junit.jupiter.api.Test;

/**
 * The refinement's decisions against geometry: which cells a boundary of known shape makes it compute, found by an
 * independent recursive construction, and its brackets against every lattice edge the boundary crosses (exact
 * enumeration over the full lattice).
 */
class RefinementTest {
    /** The lattice of x (and y) on [-2, 2] at the step 4 / (points − 1), in grid order (x outer, y inner). */
    static List<Cell> plane(int points, boolean twoD) {
        List<Cell> out = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            double x = -2 + 4.0 * i / (points - 1);
            if (!twoD) {
                out.add(new Cell(i, new String[] {"x"}, new Object[] {x}));
                continue;
            }
            for (int j = 0; j < points; j++) {
                double y = -2 + 4.0 * j / (points - 1);
                out.add(new Cell(out.size(), new String[] {"x", "y"}, new Object[] {x, y}));
            }
        }
        return out;
    }

    static Function<Cell, Side> sides(Predicate<Cell> inside) {
        return c -> new Side(inside.test(c) ? "inside" : "outside", true);
    }

    static boolean inCircle(Cell c) {
        return Math.hypot(c.getDouble("x"), c.has("y") ? c.getDouble("y") : 0) < 1.3;
    }

    /** Runs every round; the computed cells' keys. */
    static Set<String> refine(Refinement r, Function<Cell, Side> sides) {
        r.start();
        int rounds = 0;
        while (!r.next(sides).done()) {
            rounds++;
            assertTrue(rounds < 40, "the refinement ends");
        }
        Set<String> out = new TreeSet<>();
        r.computed().keySet().forEach(c -> out.add(c.key()));
        return out;
    }

    /** The quadtree by recursion: the grid's points, and every box whose corners disagree split to unit width. */
    static void quadtree(int x0, int x1, int y0, int y1, Function<int[], Boolean> inside, Set<List<Integer>> out) {
        List<int[]> corners = List.of(new int[] {x0, y0}, new int[] {x1, y0}, new int[] {x0, y1}, new int[] {x1, y1});
        corners.forEach(c -> out.add(List.of(c[0], c[1])));
        boolean first = inside.apply(corners.get(0));
        if (corners.stream().allMatch(c -> inside.apply(c) == first) || Math.max(x1 - x0, y1 - y0) <= 1) {
            return;
        }
        int mx = (x0 + x1) / 2;
        int my = (y0 + y1) / 2;
        quadtree(x0, mx, y0, my, inside, out);
        quadtree(mx, x1, y0, my, inside, out);
        quadtree(x0, mx, my, y1, inside, out);
        quadtree(mx, x1, my, y1, inside, out);
    }

    @Test
    void aCircleIsRefinedExactlyWhereTheQuadtreeOfItsGeometrySplits() {
        int points = 65; // step 1/16; the grid every 8 lattice steps (0.5), three bisections
        List<Cell> fine = plane(points, true);
        Refinement r = new Refinement(fine, List.of(new Refinement.Axis("x", 8, false),
                new Refinement.Axis("y", 8, false)), Refinement.Replicates.none(1), false);
        Set<String> got = refine(r, sides(RefinementTest::inCircle));
        Set<List<Integer>> predicted = new HashSet<>();
        Function<int[], Boolean> inside = at -> Math.hypot(-2 + at[0] / 16.0, -2 + at[1] / 16.0) < 1.3;
        for (int i = 0; i + 8 < points; i += 8) {
            for (int j = 0; j + 8 < points; j += 8) {
                quadtree(i, i + 8, j, j + 8, inside, predicted);
            }
        }
        Set<String> expected = new TreeSet<>();
        for (List<Integer> at : predicted) {
            expected.add(fine.get(at.get(0) * points + at.get(1)).key());
        }
        assertEquals(expected, got);
        assertEquals(81 + 80 + 176 + 336, got.size(), "grid 81, then the rounds' new corners");

        // every lattice edge the circle crosses is a bracket, and nothing else is
        Set<String> crossing = new TreeSet<>();
        for (int i = 0; i < points; i++) {
            for (int j = 0; j < points; j++) {
                Cell c = fine.get(i * points + j);
                if (i + 1 < points && inCircle(c) != inCircle(fine.get((i + 1) * points + j))) {
                    crossing.add(c.key() + " along x");
                }
                if (j + 1 < points && inCircle(c) != inCircle(fine.get(i * points + j + 1))) {
                    crossing.add(c.key() + " along y");
                }
            }
        }
        Set<String> brackets = new TreeSet<>();
        for (Refinement.Bracket b : r.brackets(sides(RefinementTest::inCircle))) {
            brackets.add(b.low().key() + " along " + (b.axis() == 0 ? "x" : "y"));
        }
        assertEquals(164, crossing.size());
        assertEquals(crossing, brackets);
    }

    /**
     * The quadtree with edges inferred, by recursion: a box whose corners' sides (computed or believed) disagree computes
     * its centre, and the midpoint of each edge whose ends disagree; the midpoint of an edge whose ends agree is believed
     * to share their side. A one-step box computes the believed ends of its edges whose ends disagree.
     */
    static void inferring(int x0, int x1, int y0, int y1, Function<int[], Boolean> inside,
                          Map<List<Integer>, Boolean> believed, Set<List<Integer>> computed) {
        List<List<Integer>> corners = List.of(List.of(x0, y0), List.of(x1, y0), List.of(x0, y1), List.of(x1, y1));
        if (corners.stream().map(believed::get).distinct().count() == 1) {
            return;
        }
        if (Math.max(x1 - x0, y1 - y0) <= 1) {
            for (List<Integer> c : corners) {
                for (List<Integer> o : corners) {
                    boolean edge = c.get(0).equals(o.get(0)) != c.get(1).equals(o.get(1));
                    if (edge && !believed.get(c).equals(believed.get(o))) {
                        computed.add(c);
                    }
                }
            }
            return;
        }
        int mx = (x0 + x1) / 2;
        int my = (y0 + y1) / 2;
        int[][][] edges = { // midpoint, its two ends
            {{mx, y0}, {x0, y0}, {x1, y0}}, {{mx, y1}, {x0, y1}, {x1, y1}},
            {{x0, my}, {x0, y0}, {x0, y1}}, {{x1, my}, {x1, y0}, {x1, y1}}};
        List<Integer> centre = List.of(mx, my);
        computed.add(centre);
        believed.put(centre, inside.apply(new int[] {mx, my}));
        for (int[][] e : edges) {
            List<Integer> mid = List.of(e[0][0], e[0][1]);
            boolean a = believed.get(List.of(e[1][0], e[1][1]));
            if (a != believed.get(List.of(e[2][0], e[2][1]))) {
                computed.add(mid);
                believed.put(mid, inside.apply(e[0]));
            } else if (!computed.contains(mid)) {
                believed.putIfAbsent(mid, a);
            }
        }
        inferring(x0, mx, y0, my, inside, believed, computed);
        inferring(mx, x1, y0, my, inside, believed, computed);
        inferring(x0, mx, my, y1, inside, believed, computed);
        inferring(mx, x1, my, y1, inside, believed, computed);
    }

    @Test
    void withEdgesInferredTheCircleCostsLessAndKeepsEveryBracket() {
        int points = 65;
        List<Cell> fine = plane(points, true);
        Refinement r = new Refinement(fine, List.of(new Refinement.Axis("x", 8, false),
                new Refinement.Axis("y", 8, false)), Refinement.Replicates.none(1), true);
        Set<String> got = refine(r, sides(RefinementTest::inCircle));
        Function<int[], Boolean> inside = at -> Math.hypot(-2 + at[0] / 16.0, -2 + at[1] / 16.0) < 1.3;
        Map<List<Integer>, Boolean> believed = new java.util.HashMap<>();
        Set<List<Integer>> predicted = new HashSet<>();
        for (int i = 0; i < points; i += 8) {
            for (int j = 0; j < points; j += 8) {
                predicted.add(List.of(i, j));
                believed.put(List.of(i, j), inside.apply(new int[] {i, j}));
            }
        }
        for (int i = 0; i + 8 < points; i += 8) {
            for (int j = 0; j + 8 < points; j += 8) {
                inferring(i, i + 8, j, j + 8, inside, believed, predicted);
            }
        }
        Set<String> expected = new TreeSet<>();
        for (List<Integer> at : predicted) {
            expected.add(fine.get(at.get(0) * points + at.get(1)).key());
        }
        assertEquals(expected, got);
        assertTrue(got.size() < 81 + 80 + 176 + 336, "fewer cells than with every corner computed: " + got.size());
        // the circle never crosses one lattice interval twice: every inference is right ...
        r.inferred().forEach((c, label) -> assertEquals(inCircle(c) ? "inside" : "outside", label, c.key()));
        assertTrue(r.inferred().size() > 100, "cells inferred: " + r.inferred().size());
        // ... and every lattice edge the circle crosses is a bracket of two computed cells
        Set<String> brackets = new TreeSet<>();
        for (Refinement.Bracket b : r.brackets(sides(RefinementTest::inCircle))) {
            brackets.add(b.low().key() + " along " + (b.axis() == 0 ? "x" : "y"));
        }
        assertEquals(164, brackets.size());
        System.out.println("RefinementTest: the circle with edges inferred: " + got.size() + " cells computed, "
                + r.inferred().size() + " inferred (every corner computed: " + (81 + 80 + 176 + 336) + ")");
    }

    @Test
    void aThresholdIsBisectedToTheResolution() {
        List<Cell> fine = plane(65, false); // step 1/16, the grid every 0.5
        Refinement r = new Refinement(fine, List.of(new Refinement.Axis("x", 8, false)), Refinement.Replicates.none(1),
                false);
        Set<String> got = refine(r, sides(c -> c.getDouble("x") < 1.3));
        // the grid's 9 points and three bisections of [1, 1.5]: 1.25, 1.375, 1.3125
        Set<String> expected = new TreeSet<>();
        for (double x = -2; x <= 2; x += 0.5) {
            expected.add("x=" + Cell.format(x));
        }
        expected.addAll(List.of("x=1.25", "x=1.375", "x=1.3125"));
        assertEquals(expected, got);
        List<Refinement.Bracket> b = r.brackets(sides(c -> c.getDouble("x") < 1.3));
        assertEquals(1, b.size());
        assertEquals(1.25, b.get(0).low().getDouble("x"));
        assertEquals(1.3125, b.get(0).high().getDouble("x"));
        for (boolean infer : new boolean[] {false, true}) {
            assertEquals(12, Refinement.expected(fine, List.of(new Refinement.Axis("x", 8, false)), infer),
                    "one crossing costs the grid and one cell per bisection (in 1-D there is no edge to infer)");
        }
    }

    @Test
    void groupsAlongAPlainDimensionAreRefinedEachOnTheirOwn() {
        // x refined, k plain: the threshold lies at 1.3 for k = 0 and at -0.7 for k = 1
        List<Cell> fine = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            for (long k = 0; k < 2; k++) {
                fine.add(new Cell(fine.size(), new String[] {"x", "k"}, new Object[] {-2 + i / 16.0, k}));
            }
        }
        Refinement r = new Refinement(fine, List.of(new Refinement.Axis("x", 8, false)), Refinement.Replicates.none(1),
                false);
        Function<Cell, Side> s = sides(c -> c.getDouble("x") < (c.getDouble("k") == 0 ? 1.3 : -0.7));
        refine(r, s);
        assertEquals(24, r.computed().size());
        List<Refinement.Bracket> b = r.brackets(s);
        assertEquals(List.of("x=-0.75,k=1", "x=1.25,k=0"), b.stream().map(x -> x.low().key()).sorted().toList());
    }

    @Test
    void undecidedCellsGetReplicatesUntilTheyAreDecidedOrCapped() {
        List<Cell> fine = plane(65, false);
        // a cell is decided once its distance from the threshold, times √replicates, exceeds 1: cells far away at
        // once, near ones after more replicates, the nearest never (capped at 16)
        Refinement[] self = new Refinement[1];
        Function<Cell, Side> sides = c -> {
            int n = self[0].computed().get(c);
            double x = c.getDouble("x");
            return new Side(x < 1.3 ? "below" : "above", Math.abs(x - 1.3) * Math.sqrt(n) > 1);
        };
        Refinement r = new Refinement(fine, List.of(new Refinement.Axis("x", 8, false)),
                new Refinement.Replicates(1, 3, 16), false);
        self[0] = r;
        refine(r, sides);
        Map<Cell, Integer> reps = r.computed();
        for (Map.Entry<Cell, Integer> e : reps.entrySet()) {
            double d = Math.abs(e.getKey().getDouble("x") - 1.3);
            // replicates climb 1, 4, 7, 10, 13, 16 until d √n > 1
            int expected = 1;
            while (expected < 16 && d * Math.sqrt(expected) <= 1) {
                expected = Math.min(16, expected + 3);
            }
            assertEquals(expected, e.getValue(), "replicates of " + e.getKey());
        }
        // the same cells as without noise: a box waits for its corners, and then splits as before
        assertEquals(12, reps.size());
        assertEquals(16, reps.get(fine.get(52)), "x = 1.25 is 0.05 from the threshold: capped");
        assertEquals(1, reps.get(fine.get(0)), "x = -2 is decided at once");
    }
}
