package org.jgpu.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.jgpu.examples.JsonOutput;
import org.jgpu.examples.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static JsonNode row(JsonNode json, String name) {
        for (JsonNode r : json.get("results")) {
            if (r.get("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError(name + " is missing from " + json);
    }

    @Test
    void benchOnTheHostBackendReportsEveryRowAsOneJsonObject() throws Exception {
        assertEquals(0, run("bench", "--backend", "host", "--repeats", "3", "--max-mb", "1", "--json"), err.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), text);
        JsonNode json = JsonOutput.MAPPER.readTree(text);
        assertEquals("bench", json.get("command").asText());
        assertEquals("host", json.get("backend").asText());
        for (String row : new String[] {"launch.enqueue", "launch.throughput", "graph.throughput", "event.record",
                "event.query", "stream.sync.idle", "callback.roundtrip", "alloc.async", "copy.h2d.pinned.4KiB",
                "copy.bidir.pinned.1MiB", "copy.d2h.heap.64KiB", "hazard.off.launch", "hazard.check.launch"}) {
            assertTrue(row(json, row).get("jgpu").asDouble() > 0, row + " in " + json);
            // no raw JCuda without CUDA, no native column without --native
            assertTrue(row(json, row).get("jcuda").isNull(), row + " in " + json);
            assertTrue(row(json, row).get("native").isNull(), row + " in " + json);
        }
        assertTrue(row(json, "hazard.check.cost").get("jgpu").isNumber());
        assertFalse(text.contains("16MiB"), "--max-mb 1 caps the copies: " + text);
    }

    @Test
    void nativeOutputAddsItsColumnAndHowJgpuCompares(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("native.jsonl");
        Files.writeString(file, "# native baseline on a test device\n"
                + "{\"name\":\"launch.enqueue\",\"unit\":\"us\",\"value\":2.5}\n"
                + "{\"unit\":\"GB/s\", \"value\": 1.25, \"name\":\"copy.h2d.pinned.4KiB\"}\n"
                + "{\"name\":\"event.query\",\"unit\":\"us\",\"value\":null}\n");
        assertEquals(0, run("bench", "--backend", "host", "--repeats", "3", "--max-mb", "1", "--native", file.toString()),
                err.toString());
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("jgpu/native") && table.contains("jgpu-native"), table);
        String launch = table.lines().filter(l -> l.startsWith("launch.enqueue ")).findFirst().orElseThrow();
        String[] f = launch.trim().split("\\s+");
        // name, unit, jgpu, native, ratio, difference
        assertEquals(6, f.length, launch);
        assertEquals("2.500", f[3], launch);
        assertEquals(Double.parseDouble(f[2]) / 2.5, Double.parseDouble(f[4]), 0.01, launch);
        assertEquals(Double.parseDouble(f[2]) - 2.5, Double.parseDouble(f[5]), 0.01, launch);
        String stream = table.lines().filter(l -> l.startsWith("stream.query ")).findFirst().orElseThrow();
        assertTrue(stream.trim().endsWith("-"), "rows the native file lacks show '-': " + stream);
        String query = table.lines().filter(l -> l.startsWith("event.query ")).findFirst().orElseThrow();
        assertTrue(query.trim().endsWith("-"), "a row the baseline could not measure (null) shows '-': " + query);
        String copy = table.lines().filter(l -> l.startsWith("copy.h2d.pinned.4KiB ")).findFirst().orElseThrow();
        assertEquals("1.250", copy.trim().split("\\s+")[3], "fields in any order: " + copy);
    }

    @Test
    void aNativeFileThatIsMissingOrDisagreesOnAUnitIsRefusedByName(@TempDir Path dir) throws Exception {
        assertEquals(2, run("bench", "--backend", "host", "--native", dir.resolve("absent.jsonl").toString()));
        assertTrue(err.toString().contains("absent.jsonl"), err.toString());
        Path wrong = dir.resolve("wrong.jsonl");
        Files.writeString(wrong, "{\"name\":\"launch.enqueue\",\"unit\":\"ms\",\"value\":0.002}\n");
        err.reset();
        assertEquals(2, run("bench", "--backend", "host", "--repeats", "3", "--max-mb", "1", "--native", wrong.toString()));
        assertTrue(err.toString().contains("launch.enqueue in ms"), err.toString());
        Path empty = dir.resolve("empty.jsonl");
        Files.writeString(empty, "nothing here\n");
        err.reset();
        assertEquals(2, run("bench", "--backend", "host", "--native", empty.toString()));
        assertTrue(err.toString().contains("no result lines"), err.toString());
        Path broken = dir.resolve("broken.jsonl");
        Files.writeString(broken, "# header\n{\"name\":\"launch.enqueue\",\"unit\":\"us\",\"value\":nan}\n");
        err.reset();
        assertEquals(2, run("bench", "--backend", "host", "--native", broken.toString()));
        assertTrue(err.toString().contains("broken.jsonl line 2 is not JSON"), err.toString());
    }

    @Test
    void theMedianIsTakenAfterTheWarmUpSamplesAreDropped() {
        AtomicInteger calls = new AtomicInteger();
        // samples 0, 1 are the warm-up (dropped); then 100, 1, 50: median 50
        double[] values = {1000, 1000, 100, 1, 50};
        double m = new Sampler(2, 3).median(() -> values[calls.getAndIncrement()]);
        assertEquals(50, m);
        assertEquals(5, calls.get());
        assertEquals(2.5, Sampler.median(new double[] {4, 1, 2, 3}));
    }
}
