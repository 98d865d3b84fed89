package org.jgpu.examples;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jgpu.Context;
import org.jgpu.pipeline.BufferedPipeline;
import org.jgpu.pipeline.BufferedPipeline.Layout;
import org.jgpu.pipeline.PipelineReport;
import org.jgpu.trace.Gantt;

/**
 * Runs one workload as sequential, double, triple and multi-stream pipelines and compares
 * them: wall time, throughput, speedup over sequential, the ideal bound, efficiency and device
 * utilization.
 */
final class Compare {
    /**
     * A pipeline configuration.
     *
     * @param mode the name results use
     * @param command the CLI command that runs it alone
     * @param depth slots
     * @param layout streams
     */
    record Mode(String mode, String command, int depth, Layout layout) {
    }

    static final List<Mode> ALL = List.of(new Mode("sequential", "sequential", 1, Layout.SINGLE_STREAM),
            new Mode("double", "double-buffer", 2, Layout.SINGLE_STREAM),
            new Mode("triple", "triple-buffer", 3, Layout.STREAM_PER_STAGE),
            new Mode("multi-stream", "multi-stream", 3, Layout.STREAM_PER_SLOT));

    private Compare() {
    }

    static PipelineReport run(Context ctx, Workload w, Mode m, long batches) {
        BufferedPipeline p = w.apply(BufferedPipeline.builder(ctx).name(m.mode()).depth(m.depth()).layout(m.layout()))
                .build();
        return p.run(batches);
    }

    /** Batches each mode runs, unreported, before the measured runs. */
    static final int WARM_UP_BATCHES = 16;

    /**
     * Runs every mode after a warm-up that is not reported: enough batches that the per-batch
     * host code is compiled (interpreted, it adds tens of microseconds per batch, which the
     * sequential mode pays in full), and threads and allocations exist.
     */
    static List<PipelineReport> runAll(Context ctx, Workload w, List<Mode> modes, long batches) {
        for (Mode m : modes) {
            run(ctx, w, m, Math.min(batches, WARM_UP_BATCHES));
        }
        List<PipelineReport> out = new ArrayList<>();
        for (Mode m : modes) {
            out.add(run(ctx, w, m, batches));
        }
        return out;
    }

    static void printTable(PrintStream out, List<PipelineReport> reports) {
        PipelineReport base = reports.get(0);
        out.printf("%-13s %10s %11s %8s %10s %10s %8s%n", "mode", "wall ms", "batches/s", "speedup", "ideal ms",
                "efficiency", "device");
        for (PipelineReport r : reports) {
            out.printf(Locale.ROOT, "%-13s %10.1f %11.1f %7.2fx %10.1f %10.3f %7.0f%%%n", r.mode(), r.wallNanos() / 1e6,
                    r.batchesPerSecond(), r.speedupOver(base), r.idealNanos() / 1e6, r.efficiency(),
                    100 * r.deviceUtilization());
        }
    }

    static PipelineReport best(List<PipelineReport> reports) {
        return reports.stream().min((a, b) -> Long.compare(a.wallNanos(), b.wallNanos())).orElseThrow();
    }

    static String gantt(PipelineReport r, int width) {
        return Gantt.render(r.timeline(), width);
    }

    static ArrayNode resultsJson(List<PipelineReport> reports) {
        PipelineReport base = reports.get(0);
        ArrayNode out = JsonOutput.array();
        for (PipelineReport r : reports) {
            out.addObject().put("mode", r.mode()).put("wallMs", JsonOutput.round(r.wallNanos() / 1e6, 3))
                    .put("batchesPerSec", JsonOutput.round(r.batchesPerSecond(), 3))
                    .put("speedup", JsonOutput.round(r.speedupOver(base), 4))
                    .put("idealMs", JsonOutput.round(r.idealNanos() / 1e6, 3))
                    .put("efficiency", JsonOutput.round(r.efficiency(), 4))
                    .put("deviceUtilization", JsonOutput.round(r.deviceUtilization(), 4));
        }
        return out;
    }
}
