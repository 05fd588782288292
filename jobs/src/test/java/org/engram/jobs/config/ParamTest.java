package org.engram.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Problems;
import org.junit.jupiter.api.Test;

/** One declaration serves as a fixed setting and as a grid dimension, with one validation and one message. */
class ParamTest {
    enum Init { STD_NORMAL, LECUN }

    static final Param<Double> EPS0 = Param.real("eps0", 0, 1e6, "KH step size");
    static final Param<Integer> HIDDEN = Param.integer("hidden", 1, 1000, "hidden units");
    static final Param<Init> INIT = Param.choice("init", Init.class, "initialisation");

    @Test
    void theSameDeclarationReadsParamsAndExpandsTheGrid() {
        Config conf = ConfigFactory.parseString("params { eps0 = 0.02, hidden = 100, init = lecun }\n"
                + "grid { eps0 = [0.01, 0.04], init = [std-normal] }");
        Problems problems = new Problems();
        Section p = new Section(conf, "params", problems);
        assertEquals(0.02, EPS0.read(p));
        assertEquals(100, HIDDEN.read(p));
        assertEquals(Init.LECUN, INIT.read(p));
        List<Cell> cells = Grid.expand(conf, List.of(HIDDEN, EPS0, INIT), List.of(EPS0), problems);
        assertTrue(problems.isEmpty(), problems.list().toString());
        assertEquals(List.of("eps0=0.01,init=std-normal", "eps0=0.04,init=std-normal"),
                cells.stream().map(Cell::key).toList());
        // the merge of grid and params: the cell's value where the grid varies it, the fixed one otherwise
        assertEquals(0.04, EPS0.at(cells.get(1), 0.02));
        assertEquals(Init.STD_NORMAL, INIT.at(cells.get(0), Init.LECUN));
        assertEquals(100, HIDDEN.at(cells.get(0), 100));
    }

    @Test
    void aBadValueIsReportedWithTheSameRuleInParamsAndInTheGrid() {
        Config conf = ConfigFactory.parseString("params { eps0 = -1, hidden = 0 }\ngrid { eps0 = [-1] }");
        Problems problems = new Problems();
        Section p = new Section(conf, "params", problems);
        EPS0.read(p);
        HIDDEN.read(p);
        Grid.expand(conf, List.of(EPS0), List.of(EPS0), problems);
        List<String> text = problems.list().stream().map(Object::toString).toList();
        assertEquals(3, text.size(), text.toString());
        assertTrue(text.get(0).contains("params.eps0") && text.get(0).contains("[0, 1000000]"), text.get(0));
        assertTrue(text.get(1).contains("params.hidden") && text.get(1).contains("[1, 1000]"), text.get(1));
        assertTrue(text.get(2).contains("grid.eps0") && text.get(2).contains("[0, 1000000]"), text.get(2));
    }

    /**
     * A zip group's members follow the job's order, whatever rows it holds: HOCON hands an object's entries in an
     * order that follows each key's hash with its list, so without this a row added to a zip (another arm of a
     * comparison) would reorder the key of every cell — and a trial's seed derives from that key.
     */
    @Test
    void aCellOfAZipKeepsItsKeyWhenRowsAreAdded() {
        List<String> extra = List.of("", ", 200", ", 300", ", 50", ", 500", ", 1000", ", 7");
        List<String> eps = List.of("", ", 0.5", ", 0.03", ", 0.2", ", 0.9", ", 0.05", ", 0.3");
        List<String> init = List.of("", ", lecun", ", std-normal", ", lecun", ", std-normal", ", lecun", ", lecun");
        for (int v = 0; v < extra.size(); v++) {
            Config conf = ConfigFactory.parseString("grid { arms = { zip { init = [lecun" + init.get(v)
                    + "], eps0 = [0.01" + eps.get(v) + "], hidden = [100" + extra.get(v) + "] } } }");
            Problems problems = new Problems();
            List<Cell> cells = Grid.expand(conf, List.of(HIDDEN, EPS0, INIT), List.of(), problems);
            assertTrue(problems.isEmpty(), problems.list().toString());
            assertEquals("hidden=100,eps0=0.01,init=lecun", cells.get(0).key(), "rows " + v);
            if (v > 0) {
                assertEquals("hidden=" + extra.get(v).substring(2) + ",eps0=" + eps.get(v).substring(2) + ",init="
                        + init.get(v).substring(2), cells.get(1).key(), "rows " + v);
            }
        }
    }
}
