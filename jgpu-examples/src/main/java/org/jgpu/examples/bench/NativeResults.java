package org.jgpu.examples.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgpu.examples.JsonOutput;

/**
 * The native baseline's output: one JSON object per line,
 * {@code {"name":"launch.enqueue","unit":"us","value":2.31}}, fields in any order; a value that
 * is null (or NaN) is a row the baseline could not measure. Lines that do not start with
 * {@code {} (its header) are skipped.
 */
final class NativeResults {
    /** Also reads the NaN and Infinity tokens some JSON writers emit (a NaN is a row not measured). */
    private static final ObjectReader READER = JsonOutput.MAPPER.reader()
            .with(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature());

    private final Path file;
    private final Map<String, String> units = new LinkedHashMap<>();
    private final Map<String, Double> values = new LinkedHashMap<>();

    private NativeResults(Path file) {
        this.file = file;
    }

    /**
     * Reads the file, before any measuring, so that a wrong path fails at once.
     *
     * @param file the native program's output
     * @return its rows
     * @throws IllegalArgumentException if the file cannot be read, has a line that is not a
     *         result, or has no result lines
     */
    static NativeResults read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("--native: cannot read " + file + ": " + e, e);
        }
        NativeResults r = new NativeResults(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.startsWith("{")) {
                r.add(line, i + 1);
            }
        }
        if (r.units.isEmpty()) {
            throw new IllegalArgumentException("--native: " + file + " has no result lines like "
                    + "{\"name\":\"launch.enqueue\",\"unit\":\"us\",\"value\":2.3}; is it the output of kernels/bench/bench?");
        }
        return r;
    }

    private void add(String line, int number) {
        JsonNode row;
        try {
            row = READER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where(number) + " is not JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode name = row.get("name");
        JsonNode unit = row.get("unit");
        JsonNode value = row.get("value");
        if (name == null || !name.isTextual() || unit == null || !unit.isTextual() || value == null
                || !(value.isNumber() || value.isNull())) {
            throw new IllegalArgumentException(where(number) + " is not a result: it needs a text \"name\" and "
                    + "\"unit\" and a number (or null) \"value\", got " + line);
        }
        units.put(name.asText(), unit.asText());
        if (value.isNumber() && Double.isFinite(value.doubleValue())) {
            values.put(name.asText(), value.doubleValue());
        }
    }

    private String where(int line) {
        return "--native: " + file + " line " + line;
    }

    /**
     * @param rows what jgpu measured
     * @return value by row name; a row the baseline could not measure is absent
     * @throws IllegalArgumentException if a row's unit differs from jgpu's for the same name
     */
    Map<String, Double> values(List<Suite.Row> rows) {
        for (Suite.Row row : rows) {
            String unit = units.get(row.name());
            if (unit != null && !unit.equals(row.unit())) {
                throw new IllegalArgumentException("--native: " + file + " gives " + row.name() + " in " + unit
                        + ", the benchmark measures it in " + row.unit());
            }
        }
        return values;
    }
}
