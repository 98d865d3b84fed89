package org.jgpu.sim.internal;

import java.nio.ByteBuffer;
import org.jgpu.AsyncOperationException;
import org.jgpu.LaunchConfig;
import org.jgpu.sim.DeviceFaultException;
import org.jgpu.sim.EngineModel;
import org.jgpu.sim.KernelCall;
import org.jgpu.sim.KernelTwin;
import org.jgpu.spi.OpTag;

/**
 * An operation that holds an engine: a copy, a fill or a kernel launch. It holds it for its
 * modelled duration, or for as long as its Java work really took when that is longer.
 *
 * <p>Kept apart from {@link SimStream} because it is the one kind of operation that takes simulated
 * time on an engine, and the one kind a graph captures and replays: which engine, for how long and
 * doing what is decided here; the stream only queues it.
 */
final class EngineOp extends StreamOp {
    private final SimEngine engine;
    private final long duration;
    private final Runnable work;
    private final OpTag tag;

    /**
     * @param engine the engine it holds
     * @param duration its modelled duration (its Java work's real time when that is longer), or
     *     {@link KernelTwin#SELF_TIMED} for work that paces itself
     * @param work what it does, on the stream's worker
     * @param tag names it in the errors it fails with
     */
    EngineOp(SimEngine engine, long duration, Runnable work, OpTag tag) {
        this.engine = engine;
        this.duration = duration;
        this.work = work;
        this.tag = tag;
    }

    /** A copy between two memories, on the copy engine of its direction. */
    static EngineOp copy(SimDevice device, SimMemory src, long srcOffset, SimMemory dst, long dstOffset, long bytes,
            OpTag tag) {
        SimEngine engine = device.copyEngine(src.isHost(), dst.isHost());
        long duration = device.copyNanos(src.isHost(), dst.isHost(), bytes);
        return new EngineOp(engine, duration, () -> dst.view(dstOffset, bytes).put(src.view(srcOffset, bytes)), tag);
    }

    /**
     * A copy between the memories of two devices, either way: it holds the peer link of the
     * device whose stream enqueued it, for the time its model gives a copy between devices
     * (direct, or through host memory).
     */
    static EngineOp copyPeer(SimDevice device, SimMemory src, long srcOffset, SimMemory dst, long dstOffset, long bytes,
            OpTag tag) {
        return new EngineOp(device.peerEngine(), device.model().peerCopyNanos(bytes),
                () -> dst.view(dstOffset, bytes).put(src.view(srcOffset, bytes)), tag);
    }

    /** A copy between a heap buffer, which counts as host memory, and a memory. */
    static EngineOp copyHeap(SimDevice device, ByteBuffer heap, SimMemory memory, long offset, boolean toMemory,
            OpTag tag) {
        long bytes = heap.remaining();
        SimEngine engine = device.copyEngine(!toMemory || memory.isHost(), toMemory || memory.isHost());
        long duration = device.copyNanos(!toMemory || memory.isHost(), toMemory || memory.isHost(), bytes);
        Runnable work = toMemory ? () -> memory.view(offset, bytes).put(heap.duplicate())
                : () -> heap.duplicate().put(memory.view(offset, bytes));
        return new EngineOp(engine, duration, work, tag);
    }

    /** A fill with a 1- or 4-byte pattern, on the compute engine. */
    static EngineOp fill(SimDevice device, SimMemory dst, long offset, long bytes, int pattern, int patternBytes,
            OpTag tag) {
        Runnable work = () -> {
            ByteBuffer v = dst.view(offset, bytes);
            if (patternBytes == 1) {
                while (v.hasRemaining()) {
                    v.put((byte) pattern);
                }
            } else {
                while (v.hasRemaining()) {
                    v.putInt(pattern);
                }
            }
        };
        return new EngineOp(device.computeEngine(), device.model().deviceNanos(bytes), work, tag);
    }

    /** A kernel launch: its twin runs it, for the duration the twin models scaled by the device's model. */
    static EngineOp launch(SimDevice device, SimModule.TwinFunction f, LaunchConfig config, Object[] args, OpTag tag) {
        KernelCall call = new SimKernelCall(f.signature().name(), config, args, () -> device.lostBy() != null);
        EngineModel model = device.model();
        long modelled = f.twin().modelledNanos(call, model);
        // a double past the range of long converts to Long.MAX_VALUE; later() keeps the sum in range
        long duration = modelled == KernelTwin.SELF_TIMED ? KernelTwin.SELF_TIMED
                : SimEngine.later(model.launchNanos(), (long) (modelled * model.kernelTimeScale()));
        return new EngineOp(device.computeEngine(), duration, () -> f.twin().run(call), tag);
    }

    /** @return a new operation doing the same work, for a graph to enqueue once more */
    EngineOp replay() {
        return new EngineOp(engine, duration, work, tag);
    }

    OpTag tag() {
        return tag;
    }

    @Override
    long run(SimStream stream, long ready) {
        if (stream.device().lostBy() != null) {
            return ready;   // a lost device runs nothing more
        }
        if (duration == KernelTwin.SELF_TIMED) {
            return runSelfTimed(stream, ready);
        }
        // the worker runs ahead of simulated time: it does the work now and moves on; whoever
        // observes the stream or its events waits until the simulated time has come. The lane is
        // held while the Java work runs, because the op ends no earlier than that work took
        // (a twin doing real arithmetic, a memcpy slower than the model), which is known only after
        stream.busyUntilUnknown();   // until a lane is free
        SimEngine.Hold hold = engine.hold(ready);
        long modelledEnd = SimEngine.later(hold.start(), duration);
        stream.busy(modelledEnd);    // waiters plan by the model; work running past it only delays them
        long end = modelledEnd;
        try {
            long workStart = System.nanoTime();
            runWork(stream);
            end = Math.max(modelledEnd, SimEngine.later(hold.start(), System.nanoTime() - workStart));
        } finally {
            // also when the work threw an Error: a lane kept held would stall the engine for good
            engine.release(hold, end);
        }
        stream.busy(end);
        return end;
    }

    /**
     * Work that paces itself holds its lane in real time, from its modelled start until it
     * returns; its end is unknown before then, so waiters sleep until the worker wakes them.
     */
    private long runSelfTimed(SimStream stream, long ready) {
        stream.busyUntilUnknown();
        SimEngine.Hold hold = engine.hold(ready);
        long end = hold.start();
        try {
            stream.sleepUntilOrLost(hold.start());
            runWork(stream);
            end = Math.max(hold.start(), System.nanoTime());
        } finally {
            // also when the work threw an Error: a lane kept held would stall the engine for good
            engine.release(hold, end);
        }
        stream.busy(end);
        return end;
    }

    private void runWork(SimStream stream) {
        try {
            work.run();
        } catch (DeviceFaultException e) {
            AsyncOperationException fault = new AsyncOperationException(tag.toString(), e);
            stream.fail(fault);
            stream.device().lose(fault);
        } catch (RuntimeException e) {
            stream.fail(new AsyncOperationException(tag.toString(), e));
        }
    }
}
