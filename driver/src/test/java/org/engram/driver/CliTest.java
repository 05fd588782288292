package org.engram.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.engram.jobs.sweep.JobRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's answers to a mistyped command or job, and its job list. */
class CliTest {
    @TempDir
    Path dir;

    /** Runs {@code body} with stdout and stderr captured; returns {exit code, out, err}. */
    static Object[] captured(Supplier<Integer> body) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = body.get();
            return new Object[] {code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void aMistypedCommandGetsASuggestionAndExitCodeTwo() {
        Object[] r = captured(() -> Engram.execute("jbos"));
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("did you mean 'jobs'?"), (String) r[2]);
        r = captured(() -> Engram.execute("plna", "x.conf"));
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("did you mean 'plan'?"), (String) r[2]);
    }

    /** Every command's help renders as written: a bare '%' in a description is a format error picocli only warns of. */
    @Test
    void everyCommandsHelpRendersWithoutAFormatWarning() {
        List<String> commands = new picocli.CommandLine(new Engram()).getSubcommands().keySet().stream().toList();
        assertTrue(commands.contains("compare"), commands.toString());
        for (String command : commands) {
            Object[] r = captured(() -> Engram.execute(command, "--help"));
            assertEquals(0, r[0], command);
            assertTrue(((String) r[1]).startsWith("Usage: engram " + command), command + ": " + r[1]);
            assertTrue(!((String) r[1] + r[2]).contains("picocli WARN") && !((String) r[1]).contains("%n"),
                    command + ": " + r[2]);
        }
    }

    @Test
    void aMistypedJobGetsASuggestion() throws IOException {
        Path conf = dir.resolve("s.conf");
        Files.writeString(conf, "sweep { id = \"s\", job = \"rnn.reinforcment\" }\n");
        Object[] r = captured(() -> Engram.execute("plan", conf.toString()));
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("did you mean 'rnn.reinforcement'?"), (String) r[2]);
    }

    @Test
    void theJobListIsAligned() {
        Object[] r = captured(() -> Engram.execute("jobs"));
        assertEquals(0, r[0]);
        List<String> lines = ((String) r[1]).lines().toList();
        assertEquals(JobRegistry.standard().ids().size(), lines.size());
        int column = JobRegistry.standard().ids().stream().mapToInt(String::length).max().orElse(0) + 2;
        for (String line : lines) {
            assertTrue(line.charAt(column - 1) == ' ' && line.charAt(column) != ' ', line);
        }
    }

    @Test
    void anInputOutputFailureIsOneLineWithThePathAndTheReason() throws IOException {
        java.io.UncheckedIOException full = new java.io.UncheckedIOException("cannot write ledger entry /r/s/ledger/ab/x",
                new IOException("No space left on device"));
        assertEquals("cannot write ledger entry /r/s/ledger/ab/x: No space left on device", Engram.ioFailure(full));
        // as Spark hands it to the driver: wrapped, with the executor's trace in the message
        RuntimeException spark = new RuntimeException("Job aborted due to stage failure: Task 3 failed\n\tat x.y(z)",
                full);
        assertEquals("cannot write ledger entry /r/s/ledger/ab/x: No space left on device", Engram.ioFailure(spark));
        assertEquals("I/O failure: /r/out (Permission denied)", Engram.ioFailure(new RuntimeException(
                new java.io.FileNotFoundException("/r/out (Permission denied)"))));
        assertEquals(null, Engram.ioFailure(new IllegalStateException("not I/O")));
        String log = Engram.traceFile(spark);
        assertTrue(Files.readString(Path.of(log)).contains("No space left on device"), log);
    }
}
