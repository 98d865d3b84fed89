package org.jgpu.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);

    @Test
    void drawsTheBarWithTheTimeLeftAndEndsItsLine() {
        ProgressBar bar = new ProgressBar(stream, "job", true);
        bar.update(0.5, "5/10 steps", Duration.ofMillis(1500));
        bar.done();
        assertEquals("\rjob [###############...............] 5/10 steps, 1.5 s left   \n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void estimatesTheTimeLeftFromTheRateSoFar() {
        ProgressBar bar = new ProgressBar(stream, "load", true);
        bar.update(0.25, "1/4");
        assertTrue(err.toString(StandardCharsets.UTF_8).matches("\\rload \\[#{8}\\.{22}\\] 1/4, [0-9.]+ s left   "),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aDisabledBarWritesNothing() {
        ProgressBar bar = new ProgressBar(stream, "job", false);
        bar.update(1, "done");
        bar.done();
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void progressFollowsTheOptionOrElseWhetherStderrIsTheTerminal() {
        // 5 steps of 10 ms: longer than the 20 ms between polls
        assertTrue(CliRun.of("async-job", "--progress", "--steps", "5", "--step-ms", "10").err().contains("job ["));
        assertEquals(-1, CliRun.of("async-job", "--no-progress", "--steps", "2", "--step-ms", "0.5").err().indexOf("job ["));
        // a captured stream is no terminal
        assertEquals(-1, CliRun.of("async-job", "--steps", "2", "--step-ms", "0.5").err().indexOf("job ["));
    }
}
