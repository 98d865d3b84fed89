package org.jgpu.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void listShowsEveryBackendAndWhetherItIsUsable() {
        assertEquals(0, run("list"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("host") && text.contains("usable") && text.contains("cuda"), text);
    }

    @Test
    void badUsageExitsWithStatusTwoAndSaysWhy() {
        assertEquals(2, run("compare", "--batches", "zero"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--batches needs a whole number"));
        assertEquals(2, run("frobnicate"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'frobnicate'"));
        assertEquals(2, run("bench", "--repeats", "10001"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--repeats must be at most 10000, got 10001"));
    }

    @Test
    void aBackendThatCannotBeUsedIsAnErrorLineNotAStackTrace() {
        assertEquals(2, run("stream-query", "--backend", "nosuch"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("error: unknown backend 'nosuch'"), e);
        assertFalse(e.contains("\tat "), e);
    }

    @Test
    void compareJsonIsOneObjectWithEveryModeAndTripleBeatsSequential() {
        assertEquals(0, run("compare", "--backend", "host", "--profile", "resnet50", "--scale", "0.02", "--batches", "30",
                "--json"), err.toString());
        String text = out.toString(StandardCharsets.UTF_8).trim();
        assertEquals(1, text.lines().count(), "one line of JSON on stdout: " + text);
        assertTrue(text.startsWith("{\"command\":\"compare\",\"backend\":\"host\"") && text.endsWith("}"), text);
        for (String key : new String[] {"\"device\"", "\"simulated\":true", "\"batches\":30", "\"profile\":{\"name\":\"resnet50\"",
                "\"mode\":\"sequential\"", "\"mode\":\"double\"", "\"mode\":\"triple\"", "\"mode\":\"multi-stream\"",
                "\"wallMs\"", "\"batchesPerSec\"", "\"speedup\"", "\"idealMs\"", "\"efficiency\"", "\"deviceUtilization\""}) {
            assertTrue(text.contains(key), key + " missing from " + text);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"mode\":\"triple\",\"wallMs\":[0-9.]+,\"batchesPerSec\":[0-9.]+,\"speedup\":([0-9.]+)")
                .matcher(text);
        assertTrue(m.find(), text);
        assertTrue(Double.parseDouble(m.group(1)) > 1.35, "triple buffering overlaps: " + text);
    }

    @Test
    void compareWritesAChromeTraceWhenAsked(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path trace = dir.resolve("t.json");
        assertEquals(0, run("triple-buffer", "--backend", "host", "--scale", "0.01", "--batches", "6", "--trace", trace.toString()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("triple") && text.contains("compute") && text.contains("#"), text);
        assertTrue(java.nio.file.Files.readString(trace).contains("\"traceEvents\""));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            "stream-query, polls", "prefetch, speedup", "training-loop, lastLoss", "inference, rowsPerSec",
            "vector-search, queriesPerSec", "sequential, results", "double-buffer, results", "triple-buffer, results",
            "multi-stream, results"})
    void everyExampleRunsToCompletionOnTheHostBackendAndReportsJson(String command, String key) {
        assertEquals(0, run(command, "--backend", "host", "--batches", "8", "--scale", "0.01", "--json"), err.toString());
        String text = out.toString(StandardCharsets.UTF_8).trim();
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.startsWith("{\"command\":\"" + command + "\"") && text.contains("\"" + key + "\""), text);
    }

    @Test
    void asyncJobStopsWhenCancelled() {
        assertEquals(0, run("async-job", "--backend", "host", "--steps", "1000", "--step-ms", "2", "--cancel-after", "30",
                "--json"), err.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("\"cancelled\":true"), text);
        assertEquals(0, run("async-job", "--backend", "host", "--steps", "5", "--step-ms", "1"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("finished after 5 of 5 steps"), out.toString());
    }

    @Test
    void compareRunsARealWorkloadAndChecksIt() {
        assertEquals(0, run("compare", "--backend", "host", "--workload", "real", "--mb", "1", "--iters", "2", "--batches", "4",
                "--json"), err.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("\"profile\":{\"name\":\"real\"") && text.contains("\"mode\":\"triple\""), text);
        assertEquals(2, run("compare", "--workload", "imaginary"));
    }
}
