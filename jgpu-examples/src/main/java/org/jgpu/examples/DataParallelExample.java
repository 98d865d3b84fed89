package org.jgpu.examples;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceGroup;
import org.jgpu.DeviceInfo;
import org.jgpu.PeerRoute;
import org.jgpu.trace.Engine;
import org.jgpu.trace.Gantt;
import org.jgpu.trace.Span;
import org.jgpu.trace.Timeline;

/**
 * The {@code data-parallel} command's work: the same global batches trained on one device and
 * data-parallel on {@code n}, then throughput, scaling, the ring's routes, a Gantt chart of
 * every device, and the check that every replica ended with the single device's weights.
 */
final class DataParallelExample {
    /** Samples per global batch: divided among the devices, as evenly as it goes. */
    static final int GLOBAL_BATCH = 512;
    /** The largest difference between a replica's weights and the single device's that float rounding explains. */
    static final double TOLERANCE = 1e-4;
    /** The lane of the single-device baseline's stream. */
    static final String BASELINE_LANE = "1 device";
    /** Steps each run takes first, untimed: the host code compiled, pools and threads made. */
    static final int WARM_UP_STEPS = 2;
    /** Steps of the baseline the chart shows; the data-parallel rows show what the devices did in that time. */
    private static final int CHART_STEPS = 2;
    private static final int CHART_WIDTH = 100;

    private DataParallelExample() {
    }

    /**
     * What to run.
     *
     * @param devices devices of the data-parallel run
     * @param steps SGD steps of each run
     * @param profile the stand-in work of each step
     * @param link how the backend's devices are linked, in words, e.g. the host model's interconnect
     */
    record Settings(int devices, int steps, ParallelProfile profile, String link) {
    }

    /**
     * Trains on one device, then on {@code s.devices()}, each in a group of its own; checks and reports.
     *
     * @param options the groups' options: the backend, its settings, tracing
     * @param s what to run
     * @param progress draws the progress of each run
     * @param err where the progress bars go
     * @param r the report
     * @return both runs' timelines, the baseline's first, for {@code --trace}
     * @throws IllegalStateException if a replica's weights differ from the single device's, or training did not learn
     */
    static Timeline run(ContextOptions options, Settings s, Options.Progress progress, PrintStream err, Report r) {
        DataParallel.Dataset data = DataParallel.Dataset.generate(WARM_UP_STEPS + s.steps(), GLOBAL_BATCH);
        List<String> lanes = IntStream.range(0, s.devices()).mapToObj(i -> "gpu" + i).toList();
        DataParallel.Run one;
        boolean simulated;
        try (DeviceGroup group = DeviceGroup.open(options, 1)) {
            DeviceInfo d = group.context(0).device();
            simulated = d.simulated();
            r.json.put("backend", d.backend()).put("device", d.name()).put("simulated", d.simulated());
            r.line("devices: %d of %d x %s (%s backend%s)", s.devices(), group.topology().size(), d.name(), d.backend(),
                    d.simulated() ? "; simulated: timings from its engine model and the kernels' Java twins, not a "
                            + "performance claim" : "");
            r.line("data-parallel SGD of a %dx%d linear model, global batch %d, %d steps timed after %d untimed; profile %s",
                    DataParallel.FEATURES, DataParallel.OUTPUTS, GLOBAL_BATCH, s.steps(), WARM_UP_STEPS, s.profile().describe());
            one = DataParallel.train(group, List.of(BASELINE_LANE), data, WARM_UP_STEPS, s.profile(),
                    progress.bar(err, "1 device"));
        }
        DataParallel.Run many;
        List<PeerRoute> ring;
        try (DeviceGroup group = DeviceGroup.open(options, s.devices())) {
            ring = ring(group);
            r.line("links: %s; ring %s", s.link(), describeRing(ring));
            many = DataParallel.train(group, lanes, data, WARM_UP_STEPS, s.profile(), progress.bar(err, s.devices() + " devices"));
        }
        report(s, data, one, many, ring, simulated, r);
        long gap = one.timeline().endNanos() + 1_000_000;   // the data-parallel run drawn 1 ms after the baseline
        return one.timeline().with(many.timeline().spans().stream().map(sp -> sp.shifted(gap)).toList());
    }

    /**
     * Reports both runs and checks the replicas' weights against the single device's.
     *
     * @throws IllegalStateException if they differ, or training did not learn
     */
    private static void report(Settings s, DataParallel.Dataset data, DataParallel.Run one, DataParallel.Run many,
            List<PeerRoute> ring, boolean simulated, Report r) {
        double scaling = many.samplesPerSecond() / one.samplesPerSecond();
        double diff = many.weights().stream().mapToDouble(w -> DataParallel.maxAbsDifference(w, one.weights().get(0)))
                .max().orElseThrow();
        double errorBefore = data.error(new float[DataParallel.WEIGHTS]);
        double errorAfter = data.error(one.weights().get(0));
        long gradientBytes = 4L * (DataParallel.WEIGHTS + s.profile().extraGradientFloats());
        // the timed steps only: the stretch of the timeline that the run's time covers, at its end
        double peerMsPerStep = busyNanos(lastStretch(many.timeline(), many.nanos()), "gpu0", Engine.COPY_PEER) / 1e6 / s.steps();

        r.line("%-8s %10s %12s %8s", "devices", "wall ms", "samples/s", "scaling");
        for (DataParallel.Run run : List.of(one, many)) {
            r.line("%-8d %10.1f %12.0f %7.2fx", run.devices(), run.nanos() / 1e6, run.samplesPerSecond(),
                    run.samplesPerSecond() / one.samplesPerSecond());
        }
        if (s.devices() > 1) {
            r.line("all-reduce: a ring of %d; each device sends 2(n-1)/n = %.2f times its %d-byte gradient per step; "
                    + "gpu0's copies from its neighbour took %.3f ms per step", s.devices(), 2.0 * (s.devices() - 1) / s.devices(),
                    gradientBytes, peerMsPerStep);
        }
        r.line("weights: every device's final weights %s the single device's (largest difference %.2e, tolerance %.0e); "
                + "largest error against the true weights %.3f -> %.4f", diff <= TOLERANCE ? "equal" : "DIFFER from", diff,
                TOLERANCE, errorBefore, errorAfter);
        if (simulated) {
            r.line("  (simulated devices: a spin kernel holds its device for its modelled time, and every device's spins "
                    + "overlap; the BLAS and accumulate kernels' Java twins and the copies take as long as this CPU needs, "
                    + "at least their modelled time)");
        }
        if (!r.json()) {
            r.line("");
            int shown = Math.min(CHART_STEPS, s.steps());
            r.line("timeline: the last %s of 1 device, and what %s did in that time:", shown == 1 ? "step" : shown + " steps",
                    s.devices() == 1 ? "the group's one device" : s.devices() + " devices");
            r.line("%s", Gantt.render(chart(one, many), CHART_WIDTH).stripTrailing());
        }
        r.json.put("devices", s.devices()).put("steps", s.steps()).put("globalBatch", GLOBAL_BATCH)
                .put("link", s.link()).set("profile", s.profile().json());
        r.json.set("ring", routesJson(ring));
        ArrayNode results = r.json.putArray("results");
        for (DataParallel.Run run : List.of(one, many)) {
            results.addObject().put("devices", run.devices()).put("wallMs", JsonOutput.round(run.nanos() / 1e6, 3))
                    .put("samplesPerSec", JsonOutput.round(run.samplesPerSecond(), 1));
        }
        r.json.put("scaling", JsonOutput.round(scaling, 4));
        ObjectNode allReduce = r.json.putObject("allReduce").put("gradientBytes", gradientBytes)
                .put("peerMsPerStep", JsonOutput.round(peerMsPerStep, 4));
        allReduce.put("bytesSentPerDevice", (long) (gradientBytes * 2.0 * (s.devices() - 1) / s.devices()));
        r.json.put("maxAbsDifference", diff).put("tolerance", TOLERANCE).put("weightsEqual", diff <= TOLERANCE)
                .put("errorBefore", errorBefore).put("errorAfter", errorAfter);
        if (!(diff <= TOLERANCE)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "data-parallel training diverged from the single "
                    + "device: a replica's weights differ by %.3e, more than the tolerance %.0e", diff, TOLERANCE));
        }
        if (!(errorAfter < errorBefore)) {
            throw new IllegalStateException("training did not learn: the weights' error went from " + errorBefore + " to "
                    + errorAfter);
        }
    }

    /** @return the route of each hop of the ring: device i to device i + 1, the last back to 0; none for one device */
    private static List<PeerRoute> ring(DeviceGroup group) {
        int devices = group.size();
        List<PeerRoute> hops = new ArrayList<>(devices);
        for (int i = 0; i < devices && devices > 1; i++) {
            hops.add(group.route(group.context(i), group.context((i + 1) % devices)));
        }
        return hops;
    }

    private static String describeRing(List<PeerRoute> hops) {
        if (hops.isEmpty()) {
            return "none (one device: no all-reduce)";
        }
        if (hops.stream().distinct().count() == 1) {
            return "gpu0 -> ... -> gpu" + (hops.size() - 1) + " -> gpu0: every hop " + hops.get(0).label();
        }
        List<String> each = new ArrayList<>();
        for (int i = 0; i < hops.size(); i++) {
            each.add("gpu" + i + " -> gpu" + (i + 1) % hops.size() + " " + hops.get(i).label());
        }
        return String.join(", ", each);
    }

    private static ArrayNode routesJson(List<PeerRoute> hops) {
        ArrayNode out = JsonOutput.array();
        for (int i = 0; i < hops.size(); i++) {
            out.addObject().put("from", i).put("to", (i + 1) % hops.size()).put("route", hops.get(i).label());
        }
        return out;
    }

    /** @return the summed time of a lane's spans on an engine */
    private static long busyNanos(List<Span> spans, String lane, Engine engine) {
        return spans.stream().filter(sp -> sp.lane().equals(lane) && sp.engine().equals(engine.label()))
                .mapToLong(Span::nanos).sum();
    }

    /**
     * The baseline's last {@link #CHART_STEPS} timed steps and the data-parallel run's last
     * stretch of the same length, both from 0: one time axis, so the rows show the speed-up.
     * Rows are in device order where they start at once (the chart orders rows by first span).
     */
    private static Timeline chart(DataParallel.Run one, DataParallel.Run many) {
        long length = Math.max(1, one.nanos() * Math.min(CHART_STEPS, one.steps()) / one.steps());
        List<String> order = new ArrayList<>(one.timeline().lanes());
        order.addAll(many.timeline().lanes().stream().sorted(Comparator.comparingInt(String::length)
                .thenComparing(Comparator.naturalOrder())).toList());   // gpu2 before gpu10
        List<Span> spans = new ArrayList<>(lastStretch(one.timeline(), length));
        spans.addAll(lastStretch(many.timeline(), length));
        spans.sort(Comparator.comparingLong(Span::startNanos).thenComparingInt(sp -> order.indexOf(sp.lane())));
        return new Timeline(spans);
    }

    /** @return the spans of the last {@code length} nanoseconds, clipped to them and moved to start at 0 */
    private static List<Span> lastStretch(Timeline t, long length) {
        long from = t.endNanos() - length;
        return t.spans().stream().filter(sp -> sp.endNanos() > from)
                .map(sp -> new Span(sp.lane(), sp.engine(), sp.op(), Math.max(sp.startNanos(), from) - from, sp.endNanos() - from,
                        sp.args()))
                .toList();
    }
}
