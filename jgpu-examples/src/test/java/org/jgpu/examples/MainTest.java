package org.jgpu.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jgpu.BackendStatus;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MainTest {

    @Test
    void listShowsEveryBackendAndWhetherItIsUsable() {
        CliRun r = CliRun.of("list");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("host") && r.out().contains("usable") && r.out().contains("cuda"), r.out());
        JsonNode json = CliRun.of("list", "--json").json();
        assertTrue(json.get("backends").findValuesAsText("name").containsAll(List.of("host", "cuda")), json.toString());
    }

    @Test
    void listSaysHowToGetTheCudaBackendWhenItIsMissing() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Report r = new Report(new PrintStream(text, true, StandardCharsets.UTF_8), false);
        ListCommand.report(List.of(new BackendStatus("host", 0, true, 1, "simulator")),
                name -> Context.devices(ContextOptions.builder().backend(name).build()), r);
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("cuda  missing  not on the class path; add org.jgpu:jgpu-cuda"),
                text.toString(StandardCharsets.UTF_8));
        JsonNode cuda = r.json.get("backends").get(1);
        assertEquals("cuda", cuda.get("name").asText());
        assertFalse(cuda.get("registered").asBoolean());
        assertEquals("backend 'cuda' is not on the class path; add org.jgpu:jgpu-cuda",
                Options.unknownBackend("cuda", List.of("host")));
        assertNull(Options.unknownBackend("auto", List.of("host")));
    }

    @Test
    void helpAndVersionAreThereWithoutACommand() {
        for (String flag : List.of("--help", "-h", "help")) {
            CliRun r = CliRun.of(flag);
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("compare") && r.out().contains("async-job") && r.out().contains("bench"), r.out());
        }
        assertEquals(0, CliRun.of().status());
        CliRun v = CliRun.of("--version");
        assertEquals(0, v.status());
        assertTrue(v.out().startsWith("jgpu-examples "), v.out());
    }

    @Test
    void badUsageIsOneErrorLineAndStatusTwo() {
        CliRun.of("frobnicate").assertUsageError("unknown command 'frobnicate'");
        CliRun.of("compare", "--batches", "zero").assertUsageError("'zero' is not a whole number");
        CliRun.of("compare", "extra").assertUsageError("'extra'");
        CliRun.of("stream-query", "--batches", "3").assertUsageError("'--batches'");
        CliRun.of("compare", "--workload", "imaginary").assertUsageError("'imaginary' is not a workload");
        CliRun.of("compare", "--workload", "real", "--scale", "2").assertUsageError("--scale applies to --workload profile");
        CliRun.of("compare", "--mb", "2").assertUsageError("--mb applies to --workload real");
        CliRun.of("compare", "--batches", "2", "--batches", "3").assertUsageError("--batches");
    }

    @Test
    void aBadTracePathIsRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        CliRun.of("compare", "--trace", dir.resolve("no/such/dir/t.json").toString()).assertUsageError("does not exist");
        CliRun.of("compare", "--trace", dir.toString()).assertUsageError("is a directory");
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        if (readOnly.toFile().setWritable(false) && !Files.isWritable(readOnly)) {   // root may write anyway
            CliRun.of("compare", "--trace", readOnly.resolve("t.json").toString()).assertUsageError("permission denied");
        }
    }

    @Test
    void aBackendThatCannotBeUsedIsAnErrorLineNotAStackTrace() {
        CliRun r = CliRun.of("stream-query", "--backend", "nosuch");
        r.assertUsageError("unknown backend 'nosuch'");
        assertTrue(r.err().contains("registered: ") && r.err().contains("host"), r.err());
    }

    @Test
    void compareJsonHasEveryModeAndTripleBeatsSequential() {
        JsonNode json = CliRun.of("compare", "--backend", "host", "--profile", "resnet50", "--scale", "0.02", "--batches", "30",
                "--json").json();
        assertEquals("compare", json.get("command").asText());
        assertEquals(30, json.get("batches").asInt());
        assertEquals("resnet50", json.get("profile").get("name").asText());
        assertEquals(List.of("sequential", "double", "triple", "multi-stream"), json.get("results").findValuesAsText("mode"));
        for (JsonNode mode : json.get("results")) {
            for (String key : List.of("wallMs", "batchesPerSec", "speedup", "idealMs", "efficiency", "deviceUtilization")) {
                assertTrue(mode.get(key).isNumber(), key + " in " + mode);
            }
        }
        double triple = json.get("results").get(2).get("speedup").asDouble();
        assertTrue(triple > 1.35, "triple buffering overlaps: " + json);
    }

    @Test
    void compareWritesAChromeTraceWhenAsked(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("t.json");
        CliRun r = CliRun.of("triple-buffer", "--backend", "host", "--scale", "0.01", "--batches", "6", "--trace", trace.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("triple") && r.out().contains("compute") && r.out().contains("#"), r.out());
        assertTrue(r.out().contains("written to " + trace), r.out());
        assertTrue(JsonOutput.MAPPER.readTree(trace.toFile()).get("traceEvents").size() > 6);
    }

    @ParameterizedTest
    @CsvSource({"stream-query, polls", "prefetch, speedup", "training-loop, lastLoss", "inference, rowsPerSec",
            "vector-search, queriesPerSec", "sequential, results", "double-buffer, results", "triple-buffer, results",
            "multi-stream, results"})
    void everyExampleRunsToCompletionOnTheHostBackendAndReportsJson(String command, String key) {
        List<String> args = new java.util.ArrayList<>(List.of(command, "--backend", "host", "--json"));
        if (!command.equals("stream-query")) {
            args.addAll(List.of("--batches", "8"));
        }
        if (!List.of("stream-query", "training-loop", "inference", "vector-search").contains(command)) {
            args.addAll(List.of("--scale", "0.01"));
        }
        JsonNode json = CliRun.of(args.toArray(String[]::new)).json();
        assertEquals(command, json.get("command").asText());
        assertTrue(json.has(key), json.toString());
    }

    @Test
    void asyncJobStopsWhenCancelled() {
        JsonNode json = CliRun.of("async-job", "--backend", "host", "--steps", "1000", "--step-ms", "2", "--cancel-after", "30",
                "--json").json();
        assertTrue(json.get("cancelled").asBoolean(), json.toString());
        CliRun r = CliRun.of("async-job", "--backend", "host", "--steps", "5", "--step-ms", "0.5");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("finished after 5 of 5 steps"), r.out());
    }

    @Test
    void compareRunsARealWorkloadAndChecksIt() {
        JsonNode json = CliRun.of("compare", "--backend", "host", "--workload", "real", "--mb", "0.5", "--iters", "2",
                "--batches", "4", "--json").json();
        assertEquals("real", json.get("profile").get("name").asText());
        assertEquals(131072, json.get("profile").get("floats").asInt());
        assertTrue(json.get("results").findValuesAsText("mode").contains("triple"), json.toString());
    }
}
