package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.engram.driver.engine.DriverSettings;
import org.engram.jobs.sweep.JobRegistry;
import org.engram.jobs.sweep.PreparedSweep;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every conf the repository ships loads, validates and plans (nothing stale, no unknown key or value),
 * and every job has a paper-scale conf and a quick one, with sweep ids that tell them apart.
 */
class ShippedConfsTest {
    private static List<Path> confs(String folder) throws IOException {
        try (Stream<Path> s = Files.list(Sweeps.CONF.resolve(folder))) {
            return s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyShippedConfPlans() throws IOException {
        Stream<Path> all = Stream.concat(confs("quick").stream(), confs("sweeps").stream());
        return all.map(p -> DynamicTest.dynamicTest(Sweeps.CONF.relativize(p).toString(), () -> {
            PreparedSweep<?> s = DriverSettings.prepare(p.toFile(), List.of());
            assertFalse(s.plan().units().isEmpty(), p + " has work");
            assertTrue(s.plan().replicates() >= 1, p + " has replicates");
            String file = p.getFileName().toString().replace(".conf", "");
            boolean quick = p.getParent().getFileName().toString().equals("quick");
            assertTrue(file.startsWith(s.sweep().job().id()), p + " is named after its job " + s.sweep().job().id());
            assertEquals(quick, s.sweep().identity().id().endsWith(".quick"),
                    p + ": sweep id " + s.sweep().identity().id() + " says whether it is the quick variant");
        }));
    }

    @Test
    void everyJobHasAQuickAndAPaperScaleConf() throws IOException {
        Set<String> quick = new TreeSet<>();
        Set<String> sweeps = new TreeSet<>();
        for (Path p : confs("quick")) {
            quick.add(DriverSettings.prepare(p.toFile(), List.of()).sweep().job().id());
        }
        for (Path p : confs("sweeps")) {
            sweeps.add(DriverSettings.prepare(p.toFile(), List.of()).sweep().job().id());
        }
        Set<String> jobs = new TreeSet<>(JobRegistry.standard().ids());
        // the engine's own test jobs: quick confs, no paper behind them
        for (String engine : List.of("engine.synthetic", "engine.shapes")) {
            jobs.remove(engine);
            quick.remove(engine);
        }
        assertEquals(jobs, quick, "jobs with a quick conf");
        assertEquals(jobs, sweeps, "jobs with a paper-scale conf");
    }
}
