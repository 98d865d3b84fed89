package org.jgpu.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every command: its help, its JSON, a bad option and a bad value. */
class CliTest {
    @TempDir
    static Path dir;

    /**
     * command, a small run's options, one option only it (or few) take, a bad value, what the
     * error names.
     */
    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of("list", List.of(), "--json", List.of("--json=maybe"), "--json"),
                Arguments.of("compare", List.of("--batches", "2", "--scale", "0.01"), "--workload", List.of("--scale", "0"),
                        "--scale"),
                Arguments.of("sequential", List.of("--batches", "2", "--scale", "0.01"), "--profile",
                        List.of("--batches", "-1"), "--batches"),
                Arguments.of("double-buffer", List.of("--batches", "2", "--scale", "0.01"), "--mb", List.of("--mb", "x"), "--mb"),
                Arguments.of("triple-buffer", List.of("--batches", "2", "--scale", "0.01"), "--iters", List.of("--iters", "0.5"),
                        "--iters"),
                Arguments.of("multi-stream", List.of("--batches", "2", "--scale", "0.01"), "--trace",
                        List.of("--profile", "1,2,x,4"), "--profile"),
                Arguments.of("stream-query", List.of("--kernel-ms", "20"), "--kernel-ms", List.of("--kernel-ms", "NaN"),
                        "--kernel-ms"),
                Arguments.of("prefetch", List.of("--batches", "2", "--scale", "0.01"), "--[no-]progress",
                        List.of("--scale", "Infinity"), "--scale"),
                Arguments.of("training-loop", List.of("--batches", "8"), "--batches", List.of("--batches", "0"), "--batches"),
                Arguments.of("inference", List.of("--batches", "2"), "--trace",
                        List.of("--trace", dir.resolve("missing/t.json").toString()), "does not exist"),
                Arguments.of("vector-search", List.of("--batches", "2"), "--backend", List.of("--backend", "nosuch"),
                        "unknown backend 'nosuch'"),
                Arguments.of("async-job", List.of("--steps", "5", "--step-ms", "0.5"), "--cancel-after",
                        List.of("--step-ms", "0"), "--step-ms"),
                Arguments.of("data-parallel", List.of("--steps", "1", "--profile", "20,0"), "--interconnect",
                        List.of("--steps", "0"), "--steps"),
                Arguments.of("bench", List.of("--repeats", "3", "--max-mb", "1"), "--native",
                        List.of("--repeats", "10001"), "must be at most 10000"));
    }

    private static String[] args(String command, List<String> options, String... more) {
        List<String> a = new ArrayList<>();
        a.add(command);
        a.addAll(options);
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @ParameterizedTest
    @MethodSource("commands")
    void helpShowsTheCommandsOwnOptions(String command, List<String> small, String own) {
        for (String flag : List.of("--help", "-h")) {
            CliRun r = CliRun.of(command, flag);
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().startsWith("Usage: java -jar jgpu-examples.jar " + command + " "), r.out());
            assertTrue(r.out().contains(own) && r.out().contains("--json"), r.out());
        }
        CliRun viaHelp = CliRun.of("help", command);
        assertEquals(CliRun.of(command, "--help").out(), viaHelp.out());
    }

    @ParameterizedTest
    @MethodSource("commands")
    void jsonIsOneObjectOfFiniteNumbersNamingTheCommand(String command, List<String> small) {
        if (command.equals("bench")) {
            return;   // BenchTest runs it, with its rows checked
        }
        JsonNode json = CliRun.of(args(command, small, "--json")).json();
        assertEquals(command, json.get("command").asText(), json.toString());
        if (!command.equals("list")) {
            assertEquals("host", json.get("backend").asText(), json.toString());
            assertTrue(json.get("simulated").asBoolean(), json.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("commands")
    void anUnknownOptionIsOneErrorLine(String command) {
        CliRun r = CliRun.of(command, "--no-such-option");
        r.assertUsageError("unknown option: '--no-such-option'");
        assertTrue(r.err().contains("try: java -jar jgpu-examples.jar " + command + " --help"), r.err());
    }

    @ParameterizedTest
    @MethodSource("commands")
    void aBadValueIsOneErrorLineBeforeAnyWork(String command, List<String> small, String own, List<String> bad,
            String mentions) {
        CliRun.of(args(command, bad)).assertUsageError(mentions);
        CliRun.of(args(command, bad, "--json")).assertUsageError(mentions);
    }

    @ParameterizedTest
    @MethodSource("commands")
    void onlyTheCommandsThatRunStreamsTakeTrace(String command) {
        if (command.equals("list") || command.equals("bench")) {
            CliRun.of(command, "--trace", dir.resolve(command + ".json").toString()).assertUsageError("'--trace'");
        } else {
            assertTrue(CliRun.of(command, "--help").out().contains("--trace=FILE"));
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"stream-query", "inference", "async-job", "prefetch"})
    void traceWritesTheDeviceTimelineAsAChromeTrace(String command) throws Exception {
        Path trace = dir.resolve("timeline-" + command + ".json");
        List<String> small = switch (command) {
            case "stream-query" -> List.of("--kernel-ms", "5");
            case "async-job" -> List.of("--steps", "3", "--step-ms", "1");
            case "prefetch" -> List.of("--batches", "2", "--scale", "0.01");
            default -> List.of("--batches", "2");
        };
        JsonNode json = CliRun.of(args(command, small, "--json", "--trace", trace.toString())).json();
        assertEquals(trace.toString(), json.get("trace").asText());
        JsonNode chrome = JsonOutput.MAPPER.readTree(trace.toFile());
        assertTrue(chrome.get("traceEvents").size() > 1, chrome.toString());
        assertTrue(chrome.toString().contains("\"ph\":\"X\""), chrome.toString());
    }
}
