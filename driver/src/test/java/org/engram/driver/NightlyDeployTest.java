package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/nightly: the cron entry, the systemd units and the Airflow DAG are well-formed. */
class NightlyDeployTest {
    static final Path NIGHTLY = Path.of("..", "deploy", "nightly").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }

    @Test
    void systemdUnitsVerify() throws Exception {
        String root = NIGHTLY.getParent().getParent().toString();
        for (String unit : List.of("engram-nightly.service", "engram-nightly.timer")) {
            Files.writeString(tmp.resolve(unit), Files.readString(NIGHTLY.resolve(unit)).replace("/opt/engram", root));
        }
        String out = run(tmp, "systemd-analyze", "verify", tmp.resolve("engram-nightly.service").toString(),
                tmp.resolve("engram-nightly.timer").toString());
        assertTrue(!out.contains("engram-nightly"), "systemd-analyze warned:\n" + out);
    }

    @Test
    void airflowDagBuildsOneSweepTaskPerConf() throws Exception {
        String out = run(NIGHTLY, "python3", NIGHTLY.resolve("check_dag.py").toString());
        assertTrue(out.contains("DAG ok"), out);
    }

    @Test
    void cronEntryIsWellFormed() throws IOException {
        int entries = 0;
        for (String line : Files.readAllLines(NIGHTLY.resolve("engram.cron"))) {
            if (line.isBlank() || line.startsWith("#") || line.matches("[A-Z_]+=.*")) {
                continue;
            }
            String[] f = line.trim().split("\\s+", 7);
            assertEquals(7, f.length, "minute hour day month weekday user command: " + line);
            int[][] ranges = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};
            for (int i = 0; i < 5; i++) {
                for (String part : f[i].split(",")) {
                    if (part.equals("*") || part.matches("\\*/\\d+")) {
                        continue;
                    }
                    for (String v : part.split("-")) {
                        int x = Integer.parseInt(v);
                        assertTrue(x >= ranges[i][0] && x <= ranges[i][1], "field " + i + " out of range: " + line);
                    }
                }
            }
            assertTrue(f[6].contains("deploy/engram nightly"), f[6]);
            entries++;
        }
        assertEquals(1, entries);
    }
}
