package org.jgpu.examples.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.jgpu.examples.JsonOutput;

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
        Sampler sampler = new Sampler(warmUps(s.repeats()), s.repeats());
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
        // jgpu's context is closed first: the hazard rows' contexts and the raw baseline do not share the
        // device with its streams and buffers
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
                    ? "; simulated: timings from its engine model and the kernels' Java twins, not a performance claim" : "");
            out.printf(Locale.ROOT, "median of %d samples after %d warm-up samples; us rows: lower is better, "
                    + "rates: higher is better%n", s.repeats(), warmUps(s.repeats()));
            Table.print(out, rows, columns);
        }
        return 0;
    }

    /**
     * Warm-up samples before each row's kept ones: at least 20, enough batches of 100 calls that
     * the JIT has compiled the measured path before the first kept sample.
     */
    static int warmUps(int repeats) {
        return Math.max(20, repeats);
    }

    /**
     * What hazard checking costs: a launch with a buffer argument in each mode, on three
     * contexts sampled in turns, and CHECK's and AUTO's extra over OFF as the median of the
     * per-round differences (the pairing cancels drift that separate runs would see). Only the
     * host time of the launch calls is timed (the synchronize after them is not), so the
     * difference is the enqueue path's bookkeeping; the stream may run the launches meanwhile,
     * as it would in a program (nothing holds it: a host callback does not delay later work).
     */
    private static Map<String, Double> hazardRows(String backend, Sampler sampler, List<Suite.Row> rows, PrintStream err) {
        List<HazardMode> modes = List.of(HazardMode.OFF, HazardMode.CHECK, HazardMode.AUTO);
        err.println("bench: hazard modes " + modes);
        List<JgpuTarget> targets = new ArrayList<>();
        try {
            List<Sampler.Sample> sources = new ArrayList<>();
            for (HazardMode mode : modes) {
                JgpuTarget t = new JgpuTarget("jgpu-" + mode, ContextOptions.builder().backend(backend).hazardMode(mode).build());
                targets.add(t);
                sources.add(() -> {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < Suite.BATCH; i++) {
                        t.launchScale();
                    }
                    long e = System.nanoTime() - t0;
                    t.synchronize();
                    return e / 1e3 / Suite.BATCH;
                });
            }
            double[][] v = sampler.withRepeats(4 * sampler.repeats()).interleaved(sources);
            Map<String, Double> out = new LinkedHashMap<>();
            for (int m = 0; m < modes.size(); m++) {
                String key = "hazard." + modes.get(m).name().toLowerCase(Locale.ROOT) + ".launch";
                out.put(key, Sampler.median(v[m]));
                rows.add(new Suite.Row(key, "us", "enqueue scale(x, 1f, 1) with HazardMode." + modes.get(m)));
            }
            for (int m = 1; m < modes.size(); m++) {
                double[] diff = new double[v[0].length];
                for (int i = 0; i < diff.length; i++) {
                    diff[i] = v[m][i] - v[0][i];
                }
                String key = "hazard." + modes.get(m).name().toLowerCase(Locale.ROOT) + ".cost";
                out.put(key, Sampler.median(diff));
                rows.add(new Suite.Row(key, "us", "what HazardMode." + modes.get(m) + " adds to that launch over OFF "
                        + "(median of paired differences)"));
            }
            return out;
        } finally {
            for (JgpuTarget t : targets) {
                t.close();
            }
        }
    }

    private static String json(DeviceInfo d, Settings s, List<Suite.Row> rows, Map<String, Map<String, Double>> columns) {
        ArrayNode results = JsonOutput.array();
        for (Suite.Row r : rows) {
            ObjectNode j = results.addObject().put("name", r.name()).put("unit", r.unit()).put("what", r.what());
            for (String c : List.of("jgpu", "jcuda", "native")) {
                Map<String, Double> col = columns.get(c);
                j.put(c, col == null ? null : col.get(r.name()));
            }
        }
        ObjectNode out = JsonOutput.object().put("command", "bench").put("backend", d.backend()).put("device", d.name())
                .put("simulated", d.simulated()).put("repeats", s.repeats());
        out.set("results", results);
        return JsonOutput.write(out);
    }
}
