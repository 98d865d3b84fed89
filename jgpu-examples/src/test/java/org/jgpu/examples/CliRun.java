package org.jgpu.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** One run of the CLI, its output captured. */
record CliRun(int status, String out, String err) {
    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** @return stdout as one JSON object on one line, every number in it finite */
    JsonNode json() {
        assertEquals(0, status, err);
        assertEquals(1, out.lines().count(), "one line on stdout: " + out);
        JsonNode tree;
        try {
            tree = STRICT.readTree(out);
        } catch (IOException e) {
            throw new UncheckedIOException("stdout is not one JSON document: " + out, e);
        }
        assertTrue(tree.isObject(), out);
        assertFinite(tree, out);
        return tree;
    }

    private static void assertFinite(JsonNode node, String doc) {
        if (node.isNumber()) {
            assertTrue(Double.isFinite(node.doubleValue()), "non-finite number in " + doc);
        }
        node.elements().forEachRemaining(child -> assertFinite(child, doc));
    }

    /** Asserts a usage error: status 2, stdout empty (no work done), one error line and at most a hint. */
    void assertUsageError(String mentions) {
        assertEquals(2, status, out + err);
        assertEquals("", out, "no work done before the error");
        String[] lines = err.split("\n");
        assertTrue(lines[0].startsWith("error: ") && lines[0].contains(mentions), err);
        assertTrue(lines.length == 1 || lines.length == 2 && lines[1].startsWith("try: ") && lines[1].endsWith("--help"), err);
        assertTrue(!err.contains("\tat "), "no stack trace: " + err);
    }
}
