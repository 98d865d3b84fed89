package org.jgpu.examples.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceInfo;
import org.jgpu.HazardMode;
import org.jgpu.examples.Json;

/**
 * The {@code bench} command: per-operation costs, launch throughput and copy bandwidth through
 * jgpu, beside raw JCuda (CUDA backend) and the native CUDA C++ baseline (its output, with
 * {@code --native FILE}), plus what hazard checking costs per operation.
 */
public final class Bench {
    /** Copy sizes timed, up to {@link Settings#maxBytes()}. */
    static final long[] COPY_SIZES = {4L << 10, 64L << 10, 1L << 20, 16L << 20, 64L << 20, 256L << 20, 1L << 30};
    /** The largest copy on the host backend unless asked: its buffers are Java memory. */
    public static final long HOST_DEFAULT_MAX_BYTES = 64L << 20;

    /**
     * What to run.
     *
     * @param backend the backend, or null for the default choice
     * @param json print one JSON object instead of the table
     * @param repeats samples kept per row (a median is reported)
     * @param maxBytes the largest copy, or 0 for the backend's default (1 GiB on a GPU)
     * @param nativeFile the native baseline's output, or null
     */
    public record Settings(String backend, boolean json, int repeats, long maxBytes, Path nativeFile) {
    }

    private Bench() {
    }

    /**
     * Runs the benchmark and prints it.
     *
     * @param s settings
     * @param out where the table or JSON goes
     * @param err where progress goes
     * @return the exit status
     * @throws IllegalArgumentException if the native baseline's output cannot be read or
     *         disagrees on a unit
     */
    public static int run(Settings s, PrintStream out, PrintStream err) {
        Sampler sampler = new Sampler(Math.max(2, s.repeats() / 5), s.repeats());
        Map<String, Map<String, Double>> columns = new LinkedHashMap<>();
        List<Suite.Row> rows;
        DeviceInfo device;
        NativeResults nat = s.nativeFile() == null ? null : NativeResults.read(s.nativeFile());
        err.println("bench: jgpu");
        Suite suite;
        try (JgpuTarget jgpu = new JgpuTarget("jgpu", ContextOptions.builder().backend(s.backend()).build())) {
            device = jgpu.context().device();
            long max = s.maxBytes() > 0 ? s.maxBytes() : device.simulated() ? HOST_DEFAULT_MAX_BYTES : 1L << 30;
            List<Long> sizes = new ArrayList<>();
            for (long size : COPY_SIZES) {
                if (size <= max) {
                    sizes.add(size);
                }
            }
            suite = new Suite(sampler, sizes);
            rows = new ArrayList<>(suite.rows());
            columns.put("jgpu", suite.run(jgpu));
        }
        // one context at a time: the hazard rows and the raw baseline have the device to themselves
        columns.get("jgpu").putAll(hazardRows(s.backend(), sampler, rows, err));
        if (device.backend().equals("cuda")) {
            err.println("bench: raw JCuda");
            try (JcudaTarget raw = new JcudaTarget()) {
                columns.put("jcuda", suite.run(raw));
            }
        }
        if (nat != null) {
            columns.put("native", nat.values(rows));
        }
        if (s.json()) {
            out.println(json(device, s, rows, columns));
        } else {
            out.printf("device: %s (%s backend%s)%n", device.name(), device.backend(), device.simulated()
                    ? "; simulated timings from its engine model, not a performance claim" : "");
            out.printf(Locale.ROOT, "median of %d samples after %d warm-up samples; us rows: lower is better, "
                    + "rates: higher is better%n", s.repeats(), Math.max(2, s.repeats() / 5));
            Table.print(out, rows, columns);
        }
        return 0;
    }

    /**
     * What hazard checking costs: a launch with a buffer argument and an event record, in each
     * mode on contexts of their own, and CHECK's and AUTO's extra over OFF.
     */
    private static Map<String, Double> hazardRows(String backend, Sampler sampler, List<Suite.Row> rows, PrintStream err) {
        Map<String, Double> out = new LinkedHashMap<>();
        Map<HazardMode, Double> launch = new LinkedHashMap<>();
        for (HazardMode mode : List.of(HazardMode.OFF, HazardMode.CHECK, HazardMode.AUTO)) {
            err.println("bench: hazard mode " + mode);
            String key = "hazard." + mode.name().toLowerCase(Locale.ROOT);
            try (JgpuTarget t = new JgpuTarget("jgpu-" + mode, ContextOptions.builder().backend(backend).hazardMode(mode).build())) {
                double v = new Suite(sampler, List.of()).perOpMicros(Suite.BATCH, t::launchScale, t);
                launch.put(mode, v);
                out.put(key + ".launch", v);
                rows.add(new Suite.Row(key + ".launch", "us", "enqueue scale(x, 1f, 1) with HazardMode." + mode));
            }
        }
        for (HazardMode mode : List.of(HazardMode.CHECK, HazardMode.AUTO)) {
            String key = "hazard." + mode.name().toLowerCase(Locale.ROOT) + ".cost";
            out.put(key, launch.get(mode) - launch.get(HazardMode.OFF));
            rows.add(new Suite.Row(key, "us", "what HazardMode." + mode + " adds to that launch over OFF"));
        }
        return out;
    }

    private static String json(DeviceInfo d, Settings s, List<Suite.Row> rows, Map<String, Map<String, Double>> columns) {
        List<Json> results = new ArrayList<>();
        for (Suite.Row r : rows) {
            Json j = new Json().put("name", r.name()).put("unit", r.unit()).put("what", r.what());
            for (String c : List.of("jgpu", "jcuda", "native")) {
                Map<String, Double> col = columns.get(c);
                j.put(c, col == null ? null : col.get(r.name()));
            }
            results.add(j);
        }
        return new Json().put("command", "bench").put("backend", d.backend()).put("device", d.name())
                .put("simulated", d.simulated()).put("repeats", s.repeats()).put("results", results).toString();
    }
}
