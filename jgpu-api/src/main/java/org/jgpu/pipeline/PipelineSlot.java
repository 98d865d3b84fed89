package org.jgpu.pipeline;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.EventOption;
import org.jgpu.HostBuffer;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.jgpu.trace.Engine;

/**
 * One rotating slot of a {@link BufferedPipeline}: its pinned and device buffers, the stream its
 * batches' device work runs on, and the events that time and order its latest batch.
 *
 * <p>Each slot has a stream of its own, whatever the layout, so that a stream only ever holds
 * one batch that has not been checked yet: a failure it reports belongs to that batch. The
 * layouts differ in how a batch's stages wait for the previous batch's ({@link PipelineRun}).
 */
final class PipelineSlot {
    final int index;
    final HostBuffer in;
    final HostBuffer out;
    final DeviceBuffer din;
    final DeviceBuffer dout;
    /** A device stage of a batch, and the engine its spans are drawn on. */
    enum DeviceStage {
        UPLOAD("upload", Engine.COPY_H2D),
        COMPUTE("compute", Engine.COMPUTE),
        DOWNLOAD("download", Engine.COPY_D2H);

        final String label;
        final Engine engine;

        DeviceStage(String label, Engine engine) {
            this.label = label;
            this.engine = engine;
        }
    }

    /**
     * Events recorded around one device stage of the slot's latest batch.
     *
     * @param start recorded before the stage's work
     * @param end recorded after it
     */
    record StageMarks(Event start, Event end) {
    }

    final StageMarks upload;
    final StageMarks compute;
    final StageMarks download;
    /**
     * Recorded on this slot's stream at the start of a run: batch times are measured from it, so
     * that timing a batch never synchronizes (and takes the failure of) another slot's stream.
     */
    final Event base;
    final Stream stream;
    /** Nanoseconds from the run's origin to {@link #base}. */
    long baseOffset;
    long batch;
    long prepStart;
    long prepEnd;

    /**
     * Allocates the slot's buffers, events and stream.
     *
     * @throws org.jgpu.GpuException if an allocation fails (what was allocated is freed)
     */
    PipelineSlot(Context ctx, String name, int index, long inBytes, long outBytes) {
        this.index = index;
        HostBuffer hin = null;
        HostBuffer hout = null;
        DeviceBuffer dIn = null;
        DeviceBuffer dOut = null;
        StageMarks up = null;
        StageMarks comp = null;
        StageMarks down = null;
        Event b = null;
        Stream s = null;
        List<Event> events = new ArrayList<>();
        try {
            hin = ctx.allocHost(inBytes, "slot" + index + "-in");
            hout = ctx.allocHost(outBytes, "slot" + index + "-out");
            dIn = ctx.allocDevice(inBytes, "slot" + index + "-din");
            dOut = ctx.allocDevice(outBytes, "slot" + index + "-dout");
            up = new StageMarks(timing(ctx, events), timing(ctx, events));
            comp = new StageMarks(timing(ctx, events), timing(ctx, events));
            down = new StageMarks(timing(ctx, events), timing(ctx, events));
            b = timing(ctx, events);
            s = ctx.createStream(StreamOptions.builder().name(name + "-slot" + index).build());
        } catch (RuntimeException | Error e) {
            for (AutoCloseable c : new AutoCloseable[] {dOut, dIn, hout, hin}) {
                closeQuietly(c, e);
            }
            for (Event made : events) {
                closeQuietly(made, e);
            }
            throw e;
        }
        in = hin;
        out = hout;
        din = dIn;
        dout = dOut;
        upload = up;
        compute = comp;
        download = down;
        base = b;
        stream = s;
    }

    /** Creates a timing event and notes it in {@code made}, to be closed if the slot cannot be made. */
    private static Event timing(Context ctx, List<Event> made) {
        Event e = ctx.createEvent(EnumSet.of(EventOption.TIMING));
        made.add(e);
        return e;
    }

    /** @return the events around {@code stage} of the slot's latest batch */
    StageMarks marks(DeviceStage stage) {
        return switch (stage) {
            case UPLOAD -> upload;
            case COMPUTE -> compute;
            case DOWNLOAD -> download;
        };
    }

    private static void closeQuietly(AutoCloseable c, Throwable primary) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            primary.addSuppressed(e);
        }
    }

    /**
     * Closes the stream (waiting for its work) and frees the buffers and events.
     *
     * @param primary the failure the run ends with, or null
     * @return a failure of the stream's work not reported yet, or null; added to primary instead
     *         when there is one
     */
    RuntimeException close(Throwable primary) {
        RuntimeException unreported = null;
        try {
            stream.close();
        } catch (RuntimeException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            } else {
                unreported = e;
            }
        }
        base.close();
        for (DeviceStage stage : DeviceStage.values()) {
            marks(stage).start().close();
            marks(stage).end().close();
        }
        in.close();
        out.close();
        din.close();
        dout.close();
        return unreported;
    }
}
