package org.jgpu.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void overlapOnTheHostBackendShowsThreeStreamsFasterThanOne() {
        assertEquals(0, run("overlap", "--backend", "host", "--batches", "12"), err.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("one-stream") && text.contains("three-streams") && text.contains("simulated"), text);
        String line = text.lines().filter(l -> l.startsWith("three-streams")).findFirst().orElseThrow();
        double speedup = Double.parseDouble(line.replaceAll(".*\\s([0-9.]+)x$", "$1"));
        assertTrue(speedup > 1.3, "three streams should overlap: " + text);
    }

    @Test
    void listShowsEveryBackendAndWhetherItIsUsable() {
        assertEquals(0, run("list"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("host") && text.contains("usable") && text.contains("cuda"), text);
    }

    @Test
    void badUsageExitsWithStatusTwoAndSaysWhy() {
        assertEquals(2, run("overlap", "--batches", "zero"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--batches needs a whole number"));
        assertEquals(2, run("frobnicate"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'frobnicate'"));
    }
}
