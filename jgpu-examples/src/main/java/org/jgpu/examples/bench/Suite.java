package org.jgpu.examples.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The measurements, one loop each, run the same way against every {@link Target}. The native
 * baseline ({@code kernels/bench/bench.cu}) implements the same list with the same names, batch
 * sizes and statistic.
 */
final class Suite {
    /** Operations timed together in one sample of a per-operation cost (clock resolution). */
    static final int BATCH = 100;
    /** Operations per sample of the cheap queries. */
    static final int QUERY_BATCH = 1000;
    /** Launches per sample of launch throughput. */
    static final int THROUGHPUT_LAUNCHES = 1000;
    /** Empty kernels in the replayed graph. */
    static final int GRAPH_KERNELS = 20;
    /** Bytes allocated per stream-ordered alloc/free pair. */
    static final long ALLOC_BYTES = 1 << 20;
    /** Copies from this size on are slow enough that fewer repeats suffice. */
    private static final long LARGE_COPY = 256L << 20;

    /**
     * A row of the table.
     *
     * @param name the key shared with the native baseline, e.g. {@code copy.h2d.pinned.64MiB}
     * @param unit {@code us} (per operation, lower is better) or a rate (higher is better)
     * @param what what one operation is
     */
    record Row(String name, String unit, String what) {
        boolean lowerIsBetter() {
            return unit.equals("us");
        }
    }

    private final Sampler sampler;
    private final List<Long> copySizes;

    /**
     * @param sampler warm-up and repeats
     * @param copySizes copy sizes to time, bytes
     */
    Suite(Sampler sampler, List<Long> copySizes) {
        this.sampler = sampler;
        this.copySizes = List.copyOf(copySizes);
    }

    /** @return every row, in table order */
    List<Row> rows() {
        List<Row> rows = new ArrayList<>(List.of(
                new Row("launch.enqueue", "us", "enqueue an empty kernel"),
                new Row("launch.args.enqueue", "us", "enqueue scale(x, 1f, 1): one buffer, two scalars"),
                new Row("launch.throughput", "launches/s", THROUGHPUT_LAUNCHES + " empty kernels, then synchronize"),
                new Row("graph.throughput", "launches/s", "graphs of " + GRAPH_KERNELS + " empty kernels replayed, then synchronize"),
                new Row("event.record", "us", "record an event made without timing"),
                new Row("event.record.timing", "us", "record an event made with timing"),
                new Row("event.query", "us", "query a completed event"),
                new Row("stream.query", "us", "query an idle stream"),
                new Row("stream.sync.idle", "us", "synchronize an idle stream"),
                new Row("callback.roundtrip", "us", "enqueue a host callback on an idle stream until it runs"),
                new Row("alloc.async", "us", "stream-ordered alloc and free of 1 MiB, then synchronize")));
        for (long size : copySizes) {
            for (Target.Copy c : Target.Copy.values()) {
                rows.add(new Row(copyName(c, size), "GB/s", c == Target.Copy.BIDIR_PINNED
                        ? "both directions at once, bytes moved both ways together" : "one copy"));
            }
        }
        return rows;
    }

    static String copyName(Target.Copy c, long bytes) {
        return "copy." + c.label + "." + size(bytes);
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MiB";
        }
        return (bytes >> 10) + "KiB";
    }

    /**
     * Runs every row against {@code t}.
     *
     * @return value per row name, in the row's unit
     */
    Map<String, Double> run(Target t) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("launch.enqueue", perOpMicros(BATCH, t::launchNoop, t));
        out.put("launch.args.enqueue", perOpMicros(BATCH, t::launchScale, t));
        out.put("launch.throughput", 1e9 / sampler.median(() -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < THROUGHPUT_LAUNCHES; i++) {
                t.launchNoop();
            }
            t.synchronize();
            return (double) (System.nanoTime() - t0) / THROUGHPUT_LAUNCHES;
        }));
        t.prepareGraph(GRAPH_KERNELS);
        int graphs = THROUGHPUT_LAUNCHES / GRAPH_KERNELS;
        out.put("graph.throughput", 1e9 / sampler.median(() -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < graphs; i++) {
                t.launchGraph();
            }
            t.synchronize();
            return (double) (System.nanoTime() - t0) / (graphs * GRAPH_KERNELS);
        }));
        out.put("event.record", perOpMicros(BATCH, t::recordEvent, t));
        out.put("event.record.timing", perOpMicros(BATCH, t::recordTimingEvent, t));
        t.recordEvent();
        t.synchronize();
        out.put("event.query", perOpMicros(QUERY_BATCH, t::queryEvent, t));
        out.put("stream.query", perOpMicros(QUERY_BATCH, t::queryStream, t));
        out.put("stream.sync.idle", perOpMicros(QUERY_BATCH, t::synchronize, t));
        out.put("callback.roundtrip", sampler.withRepeats(4 * sampler.repeats()).median(() -> {
            long t0 = System.nanoTime();
            t.callbackRoundTrip();
            return System.nanoTime() - t0;
        }) / 1e3);
        out.put("alloc.async", sampler.median(() -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < BATCH; i++) {
                t.allocFreeAsync(ALLOC_BYTES);
            }
            t.synchronize();
            return (double) (System.nanoTime() - t0) / BATCH;
        }) / 1e3);
        if (!copySizes.isEmpty()) {
            t.prepareCopies(copySizes.stream().mapToLong(Long::longValue).max().getAsLong());
            for (long size : copySizes) {
                Sampler s = size >= LARGE_COPY ? new Sampler(2, Math.min(5, sampler.repeats())) : sampler;
                for (Target.Copy c : Target.Copy.values()) {
                    long moved = c == Target.Copy.BIDIR_PINNED ? 2 * size : size;
                    out.put(copyName(c, size), moved / s.median(() -> t.copyNanos(c, size)));
                }
            }
        }
        return out;
    }

    /** Median microseconds of one call, from samples of {@code k} calls. */
    private double perOpMicros(int k, Runnable op, Target t) {
        return sampler.median(() -> sampleMicros(k, op, t));
    }

    /** One sample: microseconds per call of {@code k} calls in a row; synchronizes after them. */
    static double sampleMicros(int k, Runnable op, Target t) {
        long t0 = System.nanoTime();
        for (int i = 0; i < k; i++) {
            op.run();
        }
        long e = System.nanoTime() - t0;
        t.synchronize();
        return e / 1e3 / k;
    }
}
