package org.jgpu.sim.internal;

import org.jgpu.sim.Sleeper;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jgpu.LaunchConfig;
import org.jgpu.spi.NativeEvent;
import org.jgpu.spi.NativeFunction;
import org.jgpu.spi.NativeGraph;
import org.jgpu.spi.NativeMemory;
import org.jgpu.spi.NativeStream;
import org.jgpu.spi.OpTag;

/**
 * A stream of the host backend: an in-order queue drained by one worker thread.
 *
 * <p>Each operation starts, in simulated time, when the previous one on the stream ended, the
 * events it waits for completed, and its engine has a free lane; it then holds the engine for
 * its modelled duration, or for as long as its Java work really took when that is longer (a
 * host callback holds the stream for as long as it runs). The worker runs ahead of simulated
 * time: it does the work at once and moves on. Whoever observes the stream (a query, a
 * synchronize, an event, a host callback) waits until the simulated end, so wall time, event
 * times and the model agree, and oversleeping does not accumulate: the next start is computed
 * from simulated ends. Only self-timed work makes the worker sleep, until its simulated start,
 * and then runs in real time.
 */
final class SimStream implements NativeStream {
    private final SimDevice device;
    private final String label;
    private final boolean isDefault;
    private final boolean blocking;
    /** Guards completion and what waiters wait on; enqueuing threads do not take it. */
    private final Object lock = new Object();
    /** Orders enqueuing threads: sequence numbers and queue order agree. */
    private final Object enqueueLock = new Object();
    private final ConcurrentLinkedQueue<StreamOp> queue = new ConcurrentLinkedQueue<>();
    private final Thread worker;
    private volatile boolean parked;
    private volatile long enqueued;
    private volatile long completed;
    private volatile long modelTail;
    /**
     * Simulated end of the operation the worker is running (or last ran); while its Java work
     * runs, the modelled end, which that work may still push later.
     */
    private volatile long busyUntil;
    /** True while the current operation's end is not known: self-timed work, or work waiting for a lane. */
    private volatile boolean endUnknown;
    private RuntimeException error;
    private volatile boolean destroyed;
    /** Open host streams of every host device by {@link #id()}, so another context can borrow one. */
    private static final Map<Long, SimStream> OPEN = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();
    /** How often a long sleep looks whether the device was lost meanwhile. */
    private static final long LOSS_CHECK_NANOS = 10_000_000;
    /** The stream's native handle: unique in the JVM, never 0. */
    private final long id = IDS.incrementAndGet();

    SimStream(SimDevice device, String label, boolean isDefault, boolean blocking) {
        this.device = device;
        this.label = label;
        this.isDefault = isDefault;
        this.blocking = blocking;
        OPEN.put(id, this);
        this.modelTail = System.nanoTime();
        this.worker = new Thread(this::drain, "jgpu-host-" + label);
        worker.setDaemon(true);
        worker.start();
    }

    boolean isBlocking() {
        return blocking;
    }

    long enqueuedCount() {
        return enqueued;
    }

    long busyUntil() {
        return busyUntil;
    }

    /** @return true while the current operation's end is not known, so {@link #busyUntil()} says nothing */
    boolean endUnknown() {
        return endUnknown;
    }

    /** What waiters on this stream (its sequence numbers, its events) wait on. */
    Object monitor() {
        return lock;
    }

    /** Publishes the expected end of the operation starting now, for waiters planning their sleep. */
    void busy(long until) {
        busyUntil = until;
        endUnknown = false;
    }

    /** Publishes that the operation starting now ends at a time not known yet. */
    void busyUntilUnknown() {
        endUnknown = true;
    }

    /** Operations captured instead of run, or null when not capturing; guarded by enqueueLock. */
    private List<EngineOp> captured;

    @Override
    public void beginCapture() {
        synchronized (enqueueLock) {
            captured = new ArrayList<>();
        }
    }

    @Override
    public NativeGraph endCapture() {
        synchronized (enqueueLock) {
            SimGraph g = new SimGraph(captured);
            captured = null;
            return g;
        }
    }

    long enqueue(StreamOp op) {
        synchronized (enqueueLock) {
            if (captured != null) {
                if (!(op instanceof EngineOp e)) {
                    throw new IllegalStateException("stream '" + label + "' is capturing: only copies, fills and launches"
                            + " can be captured");
                }
                captured.add(e);
                return enqueued;
            }
        }
        if (op instanceof EngineOp e && device.lostBy() != null) {
            // as CUDA fails every call after a sticky error: at once, naming the fault
            throw device.lostError(e.tag().toString());
        }
        addLegacyDependencies(op);
        long seq;
        synchronized (enqueueLock) {
            if (destroyed) {
                throw new IllegalStateException("stream '" + label + "' is destroyed");
            }
            seq = enqueued + 1;
            op.seq = seq;
            queue.add(op);
            enqueued = seq;
        }
        if (parked) {
            LockSupport.unpark(worker);
        }
        return seq;
    }

    /**
     * The legacy default stream's rules: its work waits for all earlier work on blocking streams,
     * and work on a blocking stream waits for all earlier work on it.
     */
    private void addLegacyDependencies(StreamOp op) {
        if (isDefault) {
            List<SimStream> others = device.streams();
            int n = 0;
            SimStream[] streams = new SimStream[others.size()];
            long[] seqs = new long[others.size()];
            for (SimStream s : others) {
                long seq = s.enqueuedCount();
                if (s.isBlocking() && seq > 0) {
                    streams[n] = s;
                    seqs[n++] = seq;
                }
            }
            if (n > 0) {
                op.depStreams = Arrays.copyOf(streams, n);
                op.depSeqs = Arrays.copyOf(seqs, n);
            }
        } else if (blocking) {
            SimStream d = device.defaultStreamIfUsed();
            if (d != null) {
                op.depStreams = new SimStream[] {d};
                op.depSeqs = new long[] {d.enqueuedCount()};
            }
        }
    }

    private void drain() {
        while (true) {
            StreamOp op = queue.peek();
            if (op == null) {
                // an enqueuing thread usually sends several operations in a row: catch them awake
                // rather than being woken for each
                for (int spin = 0; spin < 200 && (op = queue.peek()) == null && !destroyed; spin++) {
                    Thread.onSpinWait();
                }
                if (op == null) {
                    if (destroyed) {
                        return;
                    }
                    parked = true;
                    if (queue.peek() == null && !destroyed) {
                        LockSupport.park(this);
                    }
                    parked = false;
                    continue;
                }
            }
            long ready = Math.max(op.enqueuedAt, modelTail);
            if (op.depStreams != null) {
                for (int i = 0; i < op.depStreams.length; i++) {
                    ready = Math.max(ready, op.depStreams[i].awaitSeq(op.depSeqs[i]));
                }
            }
            long end;
            try {
                end = op.run(this, ready);
            } catch (RuntimeException e) {
                fail(e);
                end = ready;
            }
            modelTail = Math.max(modelTail, end);
            synchronized (lock) {
                queue.poll();
                completed = op.seq;
                op.published(end);
                lock.notifyAll();
            }
        }
    }

    /** Waits until operation {@code seq} is done; returns the stream's modelled tail then. */
    long awaitSeq(long seq) {
        Waiter.await(lock, () -> completed >= seq || destroyed, this);
        synchronized (lock) {
            // the worker counts an operation and publishes its effects in one block: be after it
            return modelTail;
        }
    }

    /** Keeps {@code e} for the stream's next report; a later one is added to it as suppressed. */
    void fail(RuntimeException e) {
        synchronized (lock) {
            if (error == null) {
                error = e;
            } else if (error != e) {
                error.addSuppressed(e);
            }
        }
    }

    private void rethrow() {
        RuntimeException e;
        synchronized (lock) {
            e = error;
            error = null;
        }
        if (e != null) {
            throw e;
        }
        if (device.lostBy() != null) {
            throw device.lostError("stream '" + label + "'");   // sticky: every later report
        }
    }

    /** Wakes the worker and the waiters, so that they see the device lost. */
    void wake() {
        if (parked) {
            LockSupport.unpark(worker);
        }
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /**
     * Sleeps until {@code deadline}, or until the device is found lost: the worker runs ahead of
     * simulated time, so work modelled to end long after a fault has already "run", and waiting
     * for its modelled end would delay the report of the loss by as much.
     *
     * @param deadline a {@link System#nanoTime()} value
     */
    void sleepUntilOrLost(long deadline) {
        long left;
        while (device.lostBy() == null && (left = deadline - System.nanoTime()) > 0) {
            if (left <= 2 * LOSS_CHECK_NANOS) {
                Sleeper.until(deadline);   // precise, and short enough not to check again
                return;
            }
            LockSupport.parkNanos(LOSS_CHECK_NANOS);
        }
    }

    @Override
    public void copy(NativeMemory src, long srcOffset, NativeMemory dst, long dstOffset, long bytes, OpTag tag) {
        enqueue(EngineOp.copy(device, (SimMemory) src, srcOffset, (SimMemory) dst, dstOffset, bytes, tag));
    }

    /** {@inheritDoc} The stream's device's peer link carries it, whichever way it goes. */
    @Override
    public void copyPeer(NativeMemory src, long srcOffset, NativeMemory dst, long dstOffset, long bytes, OpTag tag) {
        enqueue(EngineOp.copyPeer(device, (SimMemory) src, srcOffset, (SimMemory) dst, dstOffset, bytes, tag));
    }

    @Override
    public void copyHeap(ByteBuffer heap, NativeMemory memory, long offset, boolean toMemory, OpTag tag) {
        long seq = enqueue(EngineOp.copyHeap(device, heap, (SimMemory) memory, offset, toMemory, tag));
        sleepUntilOrLost(awaitSeq(seq));
        rethrow();
    }

    @Override
    public void fill(NativeMemory dst, long offset, long bytes, int pattern, int patternBytes, OpTag tag) {
        enqueue(EngineOp.fill(device, (SimMemory) dst, offset, bytes, pattern, patternBytes, tag));
    }

    @Override
    public void launch(NativeFunction function, LaunchConfig config, Object[] args, OpTag tag) {
        // the array is the caller's, valid during this call only: the work runs later
        enqueue(EngineOp.launch(device, (SimModule.TwinFunction) function, config, args.clone(), tag));
    }

    @Override
    public void record(NativeEvent event) {
        enqueue(new StreamOp.Record(((SimEvent) event).newGeneration(this)));
    }

    /**
     * {@inheritDoc} An event of another host device orders this stream as one of its own does:
     * simulated times are all on {@link System#nanoTime()}, and the recording stream publishes the
     * record even once destroyed or lost, as it drains its queue either way.
     */
    @Override
    public void waitEvent(NativeEvent event) {
        SimEvent.Generation g = ((SimEvent) event).current();
        if (g != null) {
            enqueue(new StreamOp.Wait(g));
        }
    }

    @Override
    public void hostCallback(Runnable action) {
        enqueue(new StreamOp.Step(action));
    }

    @Override
    public boolean query() {
        boolean idle;
        long tail;
        synchronized (lock) {
            idle = completed == enqueued;
            tail = modelTail;
        }
        rethrow();
        return idle && System.nanoTime() >= tail;
    }

    @Override
    public void synchronize() {
        sleepUntilOrLost(awaitSeq(enqueued));
        rethrow();
    }

    @Override
    public RuntimeException peekError() {
        synchronized (lock) {
            if (error != null) {
                return error;
            }
        }
        return device.lostBy() == null ? null : device.lostError("stream '" + label + "'");
    }

    @Override
    public int priority() {
        return 0;   // one priority level, as on CUDA devices without stream priorities
    }

    /** @return the stream's handle: unique in the JVM, never 0 */
    long id() {
        return id;
    }

    SimDevice device() {
        return device;
    }

    boolean isDefaultStream() {
        return isDefault;
    }

    /**
     * @param id a handle from {@link #id()}
     * @return the open stream with that handle, or null
     */
    static SimStream open(long id) {
        SimStream s = OPEN.get(id);
        return s == null || s.destroyed ? null : s;
    }

    @Override
    public void destroy() {
        OPEN.remove(id, this);
        synchronized (enqueueLock) {
            destroyed = true;
        }
        LockSupport.unpark(worker);
        synchronized (lock) {
            lock.notifyAll();
        }
        device.forget(this);
    }
}
