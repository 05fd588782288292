package org.engram.jobs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.engram.jobs.config.Cell;
import org.junit.jupiter.api.Test;

class TablesTest {
    @Test
    void aLegendLabelNamesWhatDiffersBetweenCellsNotTheRawKey() {
        String[] names = {"dataset", "variant", "hidden"};
        Cell a = new Cell(0, names, new Object[] {"fashion-mnist", "td", 100L});
        Cell b = new Cell(1, names, new Object[] {"fashion-mnist", "plain", 100L});
        Cell c = new Cell(2, names, new Object[] {"fashion-mnist", "td", 500L});
        assertEquals("variant = td, M = 100", Tables.label(a, List.of(a, b, c)));
        assertEquals("variant = plain", Tables.label(b, List.of(a, b)));
        assertEquals("", Tables.label(a, List.of(a)), "a single cell: nothing to tell apart");
        Cell d = new Cell(3, new String[] {"eps0"}, new Object[] {0.02});
        assertEquals("variant = td", Tables.label(a, List.of(a, b, c), "hidden"), "the figure's axis left out");
        assertEquals("ε0 = 0.02", Tables.label(d, List.of(d, new Cell(4, new String[] {"eps0"}, new Object[] {1.0}))));
    }
}
