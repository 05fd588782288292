package org.engram.jobs.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.engram.jobs.config.Cell;
import org.engram.jobs.config.Problems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SweepValidationTest {
    @TempDir
    Path dir;

    private static final String RE = "sweep { id = \"t\", job = \"rnn.reinforcement\" }\n";
    private static final String SC = "sweep { id = \"t\", job = \"rnn.self-coupling\" }\n";
    private static final String KH = "sweep { id = \"t\", job = \"kh.reconstruction\" }\n";
    private static final String ML = "sweep { id = \"t\", job = \"mlcm.baseline\" }\n";
    private static final String WTA = "sweep { id = \"t\", job = \"mlcm.sparsity-wta\" }\n";
    private static final String CAP = "sweep { id = \"t\", job = \"perceptron.capacity\" }\n";

    private File write(String text) throws IOException {
        Path p = Files.createTempFile(dir, "sweep", ".conf");
        Files.writeString(p, text);
        return p.toFile();
    }

    /** Malformed sweeps: (conf text, --set overrides, the key the error must name, line it must cite or -1). */
    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("sweep { job = \"rnn.reinforcement\" }", List.of(), "sweep.id", -1),
                Arguments.of("sweep { id = \"t\" }", List.of(), "sweep.job", -1),
                Arguments.of("sweep { id = \"t\", job = \"rnn.nope\" }", List.of(), "sweep.job", 1),
                Arguments.of("sweep { id = \"a b\", job = \"rnn.reinforcement\" }", List.of(), "sweep.id", 1),
                Arguments.of(RE + "sweep.seed = \"abc\"", List.of(), "sweep.seed", 2),
                Arguments.of(RE + "sweeps { x = 1 }", List.of(), "sweeps", 2),
                Arguments.of(RE + "sweep.colour = red", List.of(), "sweep.colour", 2),
                Arguments.of(RE + "grid { n = [100, -5] }", List.of(), "grid.n[1]", 2),
                // a repeated grid value would run a cell twice and double its replicates (pseudo-replication)
                Arguments.of(RE + "grid { n = [100, 400, 400] }", List.of(), "grid.n", 2),
                Arguments.of(RE + "grid { d = [1.1, 1.10] }", List.of(), "grid.d", 2),
                Arguments.of(RE + "grid { s = { zip { n = [100, 100], d = [1.1, 1.1] } } }", List.of(), "grid.s.zip", 2),
                Arguments.of(RE + "sweep.seed = 1e400", List.of(), "sweep.seed", 2),
                Arguments.of(RE + "sweep.seed = 1e19", List.of(), "sweep.seed", 2),
                Arguments.of(RE + "grid { n = [100.5] }", List.of(), "grid.n[0]", 2),
                Arguments.of(RE + "grid { d = [1.1, 2.5] }", List.of(), "grid.d[1]", 2),
                Arguments.of(RE + "grid { a = [abc] }", List.of(), "grid.a[0]", 2),
                Arguments.of(RE + "grid { a = [] }", List.of(), "grid.a", 2),
                Arguments.of(RE + "grid { d = { from = 1, to = 2 } }", List.of(), "grid.d", 2),
                Arguments.of(RE + "grid { d = { from = 1, to = 2, step = 0.1, count = 3 } }", List.of(), "grid.d", 2),
                Arguments.of(RE + "grid { d = { from = 1, to = 2, stride = 0.1 } }", List.of(), "grid.d.stride", 2),
                Arguments.of(RE + "grid { a = { from = 0, to = 2, count = 5, scale = log } }", List.of(), "grid.a", 2),
                Arguments.of(RE + "grid { a = { from = 1, to = 2, count = 5, scale = cubic } }", List.of(), "grid.a.scale", 2),
                Arguments.of(RE + "grid { d = { from = 1.5, to = 1.2, step = 0.1 } }", List.of(), "grid.d", 2),
                Arguments.of(RE + "grid { colour = [1] }", List.of(), "grid.colour", 2),
                Arguments.of(RE + "grid { s = { zip { n = [100, 200], d = [1.1] } } }", List.of(), "grid.s.zip.d", 2),
                Arguments.of(RE + "grid { s = { zip { n = [100], d = [1.1] } }, n = [5] }", List.of(), "grid.", 2),
                Arguments.of(RE + "replicates { weight-draws = 0 }", List.of(), "replicates.weight-draws", 2),
                Arguments.of(RE + "replicates { initial-state = 3 }", List.of(), "replicates.initial-state", 2),
                Arguments.of(RE + "params { max-steps = \"lots\" }", List.of(), "params.max-steps", 2),
                Arguments.of(RE + "params { max-step = 5 }", List.of(), "params.max-step", 2),
                Arguments.of(RE + "params { regime { chaotic-below = 1.5 } }", List.of(), "params.regime.chaotic-below", 2),
                Arguments.of(RE, List.of("params.max-steps=-3"), "params.max-steps", -1),
                Arguments.of(RE, List.of("grid.n"), "grid.n", -1),
                Arguments.of(RE, List.of("grid.n=[1]"), "grid.n[0]", -1),
                Arguments.of(SC + "params { update = sideways }", List.of(), "params.update", 2),
                Arguments.of(SC + "params { field-update = lazy }", List.of(), "params.field-update", 2),
                Arguments.of(SC + "params { coupling-storage = disk }", List.of(), "params.coupling-storage", 2),
                Arguments.of(SC + "grid { jd = [-1] }", List.of(), "grid.jd[0]", 2),
                Arguments.of(SC + "grid { n = [409600] }\nparams { coupling-storage = materialised }", List.of(),
                        "params.coupling-storage", 3),
                Arguments.of(RE + "grid = 5", List.of(), "grid", 2),
                Arguments.of(KH + "grid { variant = [none, plain] }", List.of(), "grid.variant[1]", 2),
                Arguments.of(KH + "grid { init = [xavier] }", List.of(), "grid.init[0]", 2),
                Arguments.of(KH + "grid { dataset = [cifar10] }", List.of(), "grid.dataset[0]", 2),
                Arguments.of(KH + "params { binarisation = half }", List.of(), "params.binarisation", 2),
                Arguments.of(KH + "params { epochs = 0 }", List.of(), "params.epochs", 2),
                Arguments.of(KH + "replicates { seed = 3 }", List.of(), "replicates.seed", 2),
                Arguments.of(ML + "params { lambda-left = [6, 4, 4] }", List.of(), "params.lambda-left", 2),
                Arguments.of(ML + "params { lambda-right = [2, 2, x, 2, 1.5] }", List.of(), "params.lambda-right", 2),
                Arguments.of(ML + "params { lambda-left = 6 }", List.of(), "params.lambda-left", 2),
                Arguments.of(ML + "params { order = random }", List.of(), "params.order", 2),
                Arguments.of(ML + "params { states = ternary }", List.of(), "params.states", 2),
                Arguments.of(ML + "params { init = ones }", List.of(), "params.init", 2),
                Arguments.of(ML + "params { n = 500 }", List.of(), "params.n", 2),
                Arguments.of(ML + "grid { model = [mlp] }", List.of(), "grid.model[0]", 2),
                Arguments.of(ML + "grid { variant = [projected], delta = [1.5] }", List.of(), "grid.delta[0]", 2),
                Arguments.of(ML + "params { learning-rat = 0.1 }", List.of(), "params.learning-rat", 2),
                Arguments.of(ML + "grid { delta = [0.4] }", List.of(), "params.states", -1),
                Arguments.of(WTA + "params { order = layer-sequential-async }", List.of(), "params.order", 2),
                Arguments.of(CAP + "grid { alpha = [0] }", List.of(), "grid.alpha[0]", 2),
                Arguments.of(CAP + "grid { preprocessing = [esn] }", List.of(), "grid.preprocessing[0]", 2),
                Arguments.of(CAP + "params { max-epochs = 0 }", List.of(), "params.max-epochs", 2));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedSweepIsRejectedNamingTheKey(String text, List<String> sets, String key, int line) throws IOException {
        File f = write(text);
        Problems.InvalidConfig e = assertThrows(Problems.InvalidConfig.class,
                () -> PreparedSweep.prepare(f, sets, JobRegistry.standard()));
        assertTrue(e.problems().stream().anyMatch(p -> p.key().startsWith(key)),
                "expected a problem naming " + key + ", got:\n" + e.getMessage());
        if (line > 0) {
            assertTrue(e.getMessage().contains(f.getName() + ":" + line),
                    "expected file:line " + f.getName() + ":" + line + " in:\n" + e.getMessage());
        }
        assertTrue(e.getMessage().contains("nothing was run"));
    }

    @Test
    void unknownKeyComesWithASuggestion() throws IOException {
        File f = write(RE + "params { max-step = 5 }");
        Problems.InvalidConfig e = assertThrows(Problems.InvalidConfig.class,
                () -> PreparedSweep.prepare(f, List.of(), JobRegistry.standard()));
        assertTrue(e.getMessage().contains("did you mean 'max-steps'"), e.getMessage());
        assertTrue(e.getMessage().contains("= 5"), e.getMessage());
    }

    @Test
    void sweepLevelAndJobLevelProblemsAreReportedTogether() throws IOException {
        File f = write("sweep { id = \"a b\", job = \"rnn.reinforcement\", seed = 1.5, colour = red }\n"
                + "grid { n = [0], d = [1.1, 1.1], a = [abc] }\n"
                + "replicates { weight-draws = 0, initial-states = -1 }\nparams { max-steps = 0, cells-per-unit = x }");
        Problems.InvalidConfig e = assertThrows(Problems.InvalidConfig.class,
                () -> PreparedSweep.prepare(f, List.of(), JobRegistry.standard()));
        for (String key : List.of("sweep.id", "sweep.seed", "sweep.colour", "grid.n[0]",
                "grid.d", "grid.a[0]", "replicates.weight-draws", "replicates.initial-states", "params.max-steps",
                "params.cells-per-unit")) {
            assertTrue(e.getMessage().contains(key), key + " missing from: " + e.getMessage());
        }
        assertTrue(e.getMessage().contains("10 problems"), e.getMessage());
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        File f = write(RE + "grid { n = [0] }\nparams { max-steps = 0 }\nreplicates { weight-draws = 0 }");
        Problems.InvalidConfig e = assertThrows(Problems.InvalidConfig.class,
                () -> PreparedSweep.prepare(f, List.of(), JobRegistry.standard()));
        assertEquals(3, e.problems().size(), e.getMessage());
    }

    @Test
    void aZippedColumnMayRepeatValuesWhenItsRowsDiffer() throws IOException {
        File f = write(RE + "grid { s = { zip { n = [100, 100], d = [1.1, 1.2] } }, a = [1] }");
        PreparedSweep<?> p = PreparedSweep.prepare(f, List.of(), JobRegistry.standard());
        assertEquals(2, p.plan().cells().size());
        assertEquals(List.of(1.1, 1.2), p.plan().cells().stream().map(c -> c.getDouble("d")).toList());
        assertEquals(List.of(100.0, 100.0), p.plan().cells().stream().map(c -> c.getDouble("n")).toList());
    }

    @Test
    void missingFileIsNamed() {
        Problems.InvalidConfig e = assertThrows(Problems.InvalidConfig.class,
                () -> PreparedSweep.prepare(new File(dir.toFile(), "nope.conf"), List.of(), JobRegistry.standard()));
        assertTrue(e.getMessage().contains("nope.conf"), e.getMessage());
    }

    @Test
    void gridRangesListsAndZipsExpandInOrder() throws IOException {
        File f = write(SC + "grid { size = { zip { n = [100, 200] } }, jd = { from = 1.0, to = 1.3, step = 0.1 } }");
        PreparedSweep<?> p = PreparedSweep.prepare(f, List.of(), JobRegistry.standard());
        List<String> keys = p.plan().cells().stream().map(Cell::key).toList();
        assertEquals(List.of("n=100,jd=1.0", "n=100,jd=1.1", "n=100,jd=1.2", "n=100,jd=1.3",
                "n=200,jd=1.0", "n=200,jd=1.1", "n=200,jd=1.2", "n=200,jd=1.3").toString().replace("jd=1.0", "jd=1"),
                keys.toString());
        File g = write(RE + "grid { n = 50, d = 1.5, a = { from = 0.01, to = 100, count = 5, scale = log } }");
        List<Cell> cells = PreparedSweep.prepare(g, List.of(), JobRegistry.standard()).plan().cells();
        assertEquals(5, cells.size());
        double[] expect = {0.01, 0.1, 1, 10, 100};
        for (int i = 0; i < 5; i++) {
            assertEquals(expect[i], cells.get(i).getDouble("a"), 1e-12 * expect[i]);
        }
    }

    @Test
    void aZipGroupGivenBySetReplacesTheFilesDimensionsItNames() throws IOException {
        File f = write(RE + "grid { n = [64, 128], d = [1.5], a = [1, 2, 3] }");
        PreparedSweep<?> p = PreparedSweep.prepare(f, List.of("grid.s={zip{n=[32, 48], a=[0.5, 0.7]}}"),
                JobRegistry.standard());
        assertEquals(List.of("n=32,a=0.5,d=1.5", "n=48,a=0.7,d=1.5"),
                p.plan().cells().stream().map(Cell::key).toList(), "the file's n and a give way to the zip group");
        // the same key merges as HOCON does: a range's step alone
        File r = write(RE + "grid { n = [64], d = [1.5], a = { from = 1, to = 2, step = 0.5 } }");
        assertEquals(5, PreparedSweep.prepare(r, List.of("grid.a.step=0.25"), JobRegistry.standard()).plan().cells()
                .size());
    }

    @Test
    void setOverridesWinAndDefaultsFillTheRest() throws IOException {
        File f = write(RE + "grid { n = [64] }\nparams { max-steps = 50 }");
        PreparedSweep<?> p = PreparedSweep.prepare(f, List.of("params.max-steps=70", "grid.d=[1.5]"),
                JobRegistry.standard());
        assertEquals(70, p.sweep().jobConf().getInt("params.max-steps"));
        assertEquals(10, p.plan().cells().size(), "d from --set, a (10 values) from reference");
        assertEquals(5, p.sweep().jobConf().getInt("replicates.initial-states"));
    }

    @Test
    void shippedConfsAreValid() throws IOException {
        Path confs = Path.of("..", "conf");
        int n = 0;
        try (Stream<Path> s = Files.walk(confs)) {
            for (Path p : s.filter(x -> x.toString().endsWith(".conf") && !x.endsWith("reference.conf")).toList()) {
                PreparedSweep<?> prepared = PreparedSweep.prepare(p.toFile(), List.of(), JobRegistry.standard());
                assertTrue(prepared.plan().trials() > 0, p.toString());
                n++;
            }
        }
        assertTrue(n >= 4, "found " + n + " confs");
    }
}
