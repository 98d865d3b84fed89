package org.jgpu.examples.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The native baseline's output: one JSON object per line,
 * {@code {"name":"launch.enqueue","unit":"us","value":2.31}}; other lines (its header) are
 * skipped.
 */
final class NativeResults {
    private static final Pattern ROW = Pattern.compile(
            "\\{\\s*\"name\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"unit\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"value\"\\s*:\\s*([-+0-9.eE]+|nan|inf)\\s*}");

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
     * @throws IllegalArgumentException if the file cannot be read or has no result lines
     */
    static NativeResults read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("--native: cannot read " + file + ": " + e, e);
        }
        NativeResults r = new NativeResults(file);
        for (String line : text.split("\n")) {
            Matcher m = ROW.matcher(line.trim());
            if (m.matches()) {
                r.units.put(m.group(1), m.group(2));
                r.values.put(m.group(1), m.group(3).matches("nan|inf") ? Double.NaN : Double.parseDouble(m.group(3)));
            }
        }
        if (r.values.isEmpty()) {
            throw new IllegalArgumentException("--native: " + file + " has no result lines like "
                    + "{\"name\":\"launch.enqueue\",\"unit\":\"us\",\"value\":2.3}; is it the output of kernels/bench/bench?");
        }
        return r;
    }

    /**
     * @param rows what jgpu measured
     * @return value by row name
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
