package org.engram.jobs.config;

import static org.engram.jobs.config.Setting.Vary.GRID;
import static org.engram.jobs.config.Setting.Vary.MAY;
import static org.engram.jobs.config.Setting.Vary.MUST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Problems;
import org.engram.jobs.core.Job;
import org.engram.jobs.sweep.JobRegistry;
import org.engram.jobs.sweep.SweepLoader;
import org.junit.jupiter.api.Test;

/**
 * The settings record as the schema: binding by component name, bounds and their messages, grid roles, per-cell
 * values, inline groups and nested sections — and {@code reference.conf} against every job's declarations (a
 * default for each declared key, no key that is not declared), so a default lives in one place.
 */
class SchemaTest {
    enum Mode { FAST, CAREFUL }

    record Inner(@Setting(doc = "a nested real", min = 0, max = 1) double level) {
    }

    record Group(@Setting(doc = "an inline int", min = 1, max = 10) int width,
                 @Setting(doc = "an inline dimension", min = 0, max = 100, grid = MAY) double height) {
    }

    record Demo(
            @Common.Spins @Setting(grid = MUST) int n,
            @Setting(doc = "a fixed-or-varied real", min = 0, max = 1, above = true, grid = MAY) double rate,
            @Setting(doc = "a label", min = 0, max = 9, grid = GRID) int label,
            @Setting(doc = "runs", min = 1, max = 100, replicates = true) int runs,
            @Setting(doc = "a mode") Mode mode,
            @Setting(doc = "a word", choices = {"a", "b"}) String word,
            @Setting(key = "renamed-key", doc = "a renamed boolean") boolean flag,
            @Setting(doc = "a list") double[] weights,
            @Setting(doc = "some ints") Set<Integer> picks,
            @Setting(doc = "a nested section") Inner inner,
            @Setting(doc = "a group", inline = true) Group group) {
    }

    private static Config conf(String text) {
        return ConfigFactory.parseString(text);
    }

    private static final String GOOD = "grid { n = [10, 20], rate = [0.5], label = [3] }\n"
            + "replicates { runs = 4 }\n"
            + "params { rate = 0.25, mode = careful, word = b, renamed-key = true, weights = [1, 2.5], picks = [3, 1],"
            + " inner { level = 0.5 }, width = 7, height = 2 }";

    @Test
    void bindsEveryComponentByItsDashedName() {
        Problems problems = new Problems();
        Schema<Demo> schema = Schema.of(Demo.class);
        Demo d = schema.bind(conf(GOOD), problems);
        assertTrue(problems.isEmpty(), problems.list().toString());
        assertEquals(0.25, d.rate());
        assertEquals(4, d.runs());
        assertEquals(Mode.CAREFUL, d.mode());
        assertEquals("b", d.word());
        assertTrue(d.flag());
        assertEquals(List.of(1.0, 2.5), java.util.Arrays.stream(d.weights()).boxed().toList());
        assertEquals(Set.of(1, 3), d.picks());
        assertEquals(0.5, d.inner().level());
        assertEquals(new Group(7, 2), d.group());
        assertEquals(0, d.n(), "a MUST dimension has its value only in a cell's settings");
        assertEquals(List.of("n", "rate", "label", "height"), schema.dimensions().stream().map(Param::key).toList());
    }

    @Test
    void aCellsSettingsTakeTheGridsValues() {
        Problems problems = new Problems();
        Schema<Demo> schema = Schema.of(Demo.class);
        Demo base = schema.bind(conf(GOOD), problems);
        List<Cell> cells = schema.cells(conf(GOOD), List.of(), problems);
        assertTrue(problems.isEmpty(), problems.list().toString());
        assertEquals(2, cells.size());
        Demo second = schema.at(cells.get(1), base);
        assertEquals(20, second.n());
        assertEquals(0.5, second.rate(), "the grid's rate wins over params.rate");
        assertEquals(3, second.label());
        assertEquals(2, second.group().height(), "a dimension the grid leaves out keeps its params value");
        Cell none = new Cell(0, new String[0], new Object[0]);
        assertSame(base, schema.at(none, base), "a cell that varies nothing has the base settings");
    }

    @Test
    void problemsNameTheKeyTheValueAndTheRule() {
        Problems problems = new Problems();
        Schema<Demo> schema = Schema.of(Demo.class);
        schema.bind(conf("replicates { runs = 0 }\nparams { rate = 0, mode = sloppy, word = c, renamed-key = 1,"
                + " weights = [x], picks = [1.5], inner { level = 2, extra = 1 }, width = 7, heigth = 2, ratte = 1 }"),
                problems);
        List<String> text = problems.list().stream().map(Problems.Problem::toString).toList();
        String all = String.join("\n", text);
        for (String expected : List.of("replicates.runs = 0: must be an integer in [1, 100]",
                "params.rate = 0: must be in (0, 1]",
                "params.mode = \"sloppy\": must be one of [fast, careful]",
                "params.word = \"c\"",
                "params.renamed-key = 1: must be true or false",
                "params.weights = [\"x\"]: value 1 (x) must be a number",
                "params.picks = [1.5]: must be a list of integers",
                "params.inner.level = 2: must be in [0, 1]",
                "params.inner.extra = 1: unknown key",
                "params.heigth = 2: unknown key (did you mean 'height'?)",
                "params.ratte = 1: unknown key (did you mean 'rate'?)",
                "params.height: is required")) {
            assertTrue(all.contains(expected), expected + " in:\n" + all);
        }
    }

    @Test
    void aMissingRequiredDimensionIsReported() {
        Problems problems = new Problems();
        Schema.of(Demo.class).cells(conf("grid { rate = [0.5] }"), List.of(), problems);
        assertEquals("grid.n", problems.list().get(0).key());
        Problems more = new Problems();
        Schema.of(Demo.class).cells(conf("grid { n = [10] }"), List.of("label"), more);
        assertEquals("grid.label", more.list().get(0).key(), "a job may require a dimension its schema makes optional");
    }

    @Test
    void replicateCountsStayOutOfLedgerKeys() {
        Demo a = new Demo(10, 0.5, 0, 4, Mode.FAST, "a", false, new double[0], Set.of(), new Inner(0), new Group(1, 1));
        Demo b = new Demo(10, 0.5, 0, 40, Mode.FAST, "a", false, new double[0], Set.of(), new Inner(0), new Group(1, 1));
        Demo c = new Demo(10, 0.6, 0, 4, Mode.FAST, "a", false, new double[0], Set.of(), new Inner(0), new Group(1, 1));
        assertEquals(org.engram.jobs.core.Fingerprint.of(a), org.engram.jobs.core.Fingerprint.of(b));
        assertFalse(org.engram.jobs.core.Fingerprint.of(a).equals(org.engram.jobs.core.Fingerprint.of(c)));
    }

    /** Every job's reference.conf section binds without a problem: every declared key has a default, no other. */
    @Test
    void referenceConfHoldsExactlyTheDeclaredDefaults() {
        Config reference = SweepLoader.reference().resolve();
        List<String> failures = new ArrayList<>();
        for (Job<?> job : JobRegistry.standard().all()) {
            Class<?> type = Schema.settingsOf(job.getClass(), Job.class);
            Schema<?> schema = Schema.of(type.asSubclass(Record.class));
            String path = "jobs.\"" + job.id().replace(".", "\".\"") + "\"";
            Config jobConf = reference.hasPath(path) ? reference.getConfig(path) : ConfigFactory.empty();
            Problems problems = new Problems();
            schema.bind(jobConf, problems);
            schema.cells(jobConf, job.gridRequires(), problems);
            problems.list().forEach(p -> failures.add(job.id() + ": " + p));
            Set<String> declared = new TreeSet<>();
            for (Schema.Entry e : schema.flat()) {
                assertFalse(e.decl().doc().isBlank(), job.id() + ": " + e.key() + " has no doc");
                declared.add(e.key());
            }
            Set<String> given = new TreeSet<>();
            for (String sec : List.of("params", "replicates", "grid")) {
                if (jobConf.hasPath(sec)) {
                    given.addAll(jobConf.getConfig(sec).root().keySet());
                }
            }
            given.removeIf(k -> jobConf.hasPath("grid") && jobConf.getConfig("grid").root().get(k) != null
                    && jobConf.getConfig("grid").root().get(k).valueType() == com.typesafe.config.ConfigValueType.OBJECT
                    && jobConf.getConfig("grid." + k).hasPath("zip"));
            given.removeAll(declared);
            if (!given.isEmpty()) {
                failures.add(job.id() + ": reference.conf has undeclared keys " + given);
            }
        }
        assertEquals(List.of(), failures);
    }

    /**
     * One idiom per job: a final class implementing Job directly (what a family shares is a helper it calls, not a
     * base class), naming its id in its own {@code id()}, and declaring its parameters in one settings record.
     */
    @Test
    void everyJobIsAFinalClassThatNamesItselfAndDeclaresItsSettings() throws Exception {
        java.util.Set<String> ids = new TreeSet<>();
        for (Job<?> job : JobRegistry.standard().all()) {
            Class<?> c = job.getClass();
            assertTrue(java.lang.reflect.Modifier.isFinal(c.getModifiers()), c + " is final");
            assertEquals(Object.class, c.getSuperclass(), c + " extends no base class");
            assertEquals(c, c.getMethod("id").getDeclaringClass(), c + " names its id itself");
            assertTrue(Schema.settingsOf(c, Job.class).isRecord(), c + " declares a settings record");
            assertTrue(ids.add(job.id()), "one job per id: " + job.id());
        }
        assertEquals(24, ids.size(), "the 22 catalogue jobs and the engine's engine.synthetic and engine.shapes");
    }
}
