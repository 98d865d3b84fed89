package org.jgpu.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jgpu.Buffer;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.DeviceInfo;
import org.jgpu.Event;
import org.jgpu.EventOption;
import org.jgpu.GpuException;
import org.jgpu.HazardMode;
import org.jgpu.HostAllocOption;
import org.jgpu.HostBuffer;
import org.jgpu.MemoryInfo;
import org.jgpu.Module;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.jgpu.internal.hazard.Conflict;
import org.jgpu.internal.hazard.HazardTracker;
import org.jgpu.internal.hazard.Touch;
import org.jgpu.internal.hazard.VectorClock;
import org.jgpu.spi.DeviceBackend;
import org.jgpu.spi.NativeEvent;
import org.jgpu.spi.NativeMemory;
import org.jgpu.spi.NativeStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one implementation of {@link Context}, over any backend: lifetimes, argument checks and
 * hazard tracking live here, so every backend behaves the same.
 *
 * <p>One lock guards the hazard bookkeeping and is held while an operation is handed to the
 * backend, so that the order the tracker sees is the order the streams get. It is never held
 * while waiting for the device or while user code runs.
 */
public final class CoreContext implements Context {
    private static final Logger LOG = LoggerFactory.getLogger(CoreContext.class);
    private static final AtomicInteger IDS = new AtomicInteger();

    final Object lock = new Object();
    private final String name;
    private final DeviceBackend backend;
    private final HazardMode mode;
    private final Executor executor;
    private final boolean shared;
    private final HazardTracker tracker;
    private final Set<Handle> handles = ConcurrentHashMap.newKeySet();
    private final Map<Integer, StreamSlot> liveStreams = new ConcurrentHashMap<>();
    private final StoredErrors errors = new StoredErrors();
    private final CallbackFutures callbackFutures = new CallbackFutures(this, this::storeError);
    private final AtomicInteger streamIds = new AtomicInteger();
    private final AtomicInteger objectIds = new AtomicInteger();
    /** Closed at the start of close(): from then on nothing is accepted; released at its end. */
    private final Gate gate = new Gate();
    private CoreStream defaultStream;
    private final org.jgpu.DefaultStreamMode defaultStreamMode;
    private final boolean callerFrames;
    /** Non-null with Diagnostic.TIMELINE; guarded by the lock. */
    private final TraceRecorder recorder;
    private static final StackWalker WALKER = StackWalker.getInstance();
    private final ThreadLocal<CoreStream> perThread = new ThreadLocal<>();
    private NativeStream eventWaiter;

    CoreContext(DeviceBackend backend, ContextOptions options, boolean shared) {
        this.backend = backend;
        this.mode = options.hazardMode();
        this.defaultStreamMode = options.defaultStream();
        this.callerFrames = options.diagnostics().contains(org.jgpu.Diagnostic.CALLER_FRAMES);
        this.recorder = options.diagnostics().contains(org.jgpu.Diagnostic.TIMELINE) ? new TraceRecorder(backend) : null;
        this.executor = options.callbackExecutor() == null ? ForkJoinPool.commonPool() : options.callbackExecutor();
        this.shared = shared;
        this.tracker = new HazardTracker(mode);
        this.name = "context#" + IDS.incrementAndGet() + "(" + backend.info().backend() + ")";
    }

    // ---- accessors used by the other core classes

    DeviceBackend backend() {
        return backend;
    }

    HazardTracker tracker() {
        return tracker;
    }

    /** @return the backend behind this context, for tests and tools that inspect a backend's state */
    public DeviceBackend backendForInspection() {
        return backend;
    }

    /** @return true with {@code Diagnostic.CALLER_FRAMES}: allocation sites are kept for leak reports */
    boolean recordsCallerFrames() {
        return callerFrames;
    }

    /** @return the first frame outside jgpu's implementation, when {@code CALLER_FRAMES} is on; else null */
    StackTraceElement callerFrame() {
        if (!callerFrames) {
            return null;
        }
        return WALKER.walk(frames -> frames.filter(f -> !isImplementation(f.getClassName())).findFirst()
                .map(StackWalker.StackFrame::toStackTraceElement).orElse(null));
    }

    private static boolean isImplementation(String className) {
        return className.startsWith("org.jgpu.internal.") || className.startsWith("org.jgpu.spi.")
                || className.startsWith("org.jgpu.host.") || className.startsWith("org.jgpu.cuda.")
                || className.startsWith("java.");
    }

    String nextName(String kind) {
        return kind + "#" + objectIds.incrementAndGet();
    }

    /**
     * Takes a new resource in, so that closing the context closes it.
     *
     * @throws IllegalStateException if the context is closed or closing (checked under the lock
     *         that close takes, so no resource escapes a close)
     */
    void adopt(Handle h) {
        synchronized (lock) {
            ensureOpen();
            handles.add(h);
        }
    }

    void forget(Handle h) {
        handles.remove(h);
    }

    void addStream(StreamSlot slot) {
        liveStreams.put(slot.timeline().index(), slot);
    }

    boolean isLive(StreamSlot slot) {
        return liveStreams.get(slot.timeline().index()) == slot;
    }

    /**
     * Forgets a stream whose work is done or given up on, and destroys its backend stream: its
     * timeline leaves the hazard tracker (and its index can serve a later stream).
     *
     * @param slot the stream
     * @param destroy false for the legacy default stream, which the backend owns
     */
    void dropStream(StreamSlot slot, boolean destroy) {
        // outside the lock: a library's close may wait for the device
        slot.closeAttachments(this::storeError);
        synchronized (lock) {
            liveStreams.remove(slot.timeline().index(), slot);
            try {
                // a stream dropped unclosed (a leak) may still be busy: the host knows it finished only if it did
                if (slot.nat().query()) {
                    tracker.host().join(slot.timeline().clock());
                }
            } catch (RuntimeException e) {
                storeError(e);
            }
            tracker.retire(slot.timeline());
            if (destroy) {
                slot.nat().destroy();
            }
        }
    }

    /**
     * Stores an error that could not be thrown where it happened, for the next synchronize.
     *
     * @param t the error
     */
    void storeError(Throwable t) {
        errors.add(t instanceof GpuException ? (GpuException) t
                : new GpuException("a callback or cleaner of " + name + " failed: " + t, t));
        LOG.debug("stored for the next synchronize of {}: {}", name, t.toString());
    }

    /** Runs a continuation on the callback executor, never on the calling backend thread. */
    void handOff(Runnable r) {
        try {
            executor.execute(r);
        } catch (RejectedExecutionException e) {
            Thread t = new Thread(r, "jgpu-callback");
            t.setDaemon(true);
            t.start();
        }
    }

    void ensureOpen() {
        if (gate.isClosed()) {
            throw new IllegalStateException(name + " is closed");
        }
    }

    /** @return true once close() has begun: nothing more is accepted */
    boolean isClosed() {
        return gate.isClosed();
    }

    /**
     * Starts making a resource outside the lock: close waits for every one started before it,
     * so that a resource it refuses is released while the backend is still there.
     *
     * @throws IllegalStateException if the context is closed
     */
    void enterCreate() {
        if (!gate.enter()) {
            ensureOpen();
        }
    }

    /** Ends what {@link #enterCreate()} began. */
    void exitCreate() {
        gate.exit();
    }

    /** Waits until a close() in progress (on any thread) has released everything. */
    void awaitClosed() {
        gate.awaitReleased();
    }

    CoreBuffer own(Buffer b, String role) {
        Checks.notNull(b, role);
        if (!(b instanceof CoreBuffer)) {
            throw new IllegalArgumentException(role + " is a " + b.getClass().getName() + ", not a buffer allocated by jgpu");
        }
        CoreBuffer cb = (CoreBuffer) b;
        if (cb.ctx != this) {
            throw new IllegalArgumentException(role + " " + cb.describe() + " belongs to " + cb.ctx.name + ", not " + name);
        }
        return cb;
    }

    CoreStream own(Stream s, String role) {
        Checks.notNull(s, role);
        if (!(s instanceof CoreStream) || ((CoreStream) s).ctx != this) {
            throw new IllegalArgumentException(role + " '" + s.name() + "' belongs to "
                    + (s instanceof CoreStream ? ((CoreStream) s).ctx.name : "no jgpu context") + ", not " + name);
        }
        return (CoreStream) s;
    }

    CoreEvent own(Event e, String role) {
        Checks.notNull(e, role);
        if (!(e instanceof CoreEvent) || ((CoreEvent) e).ctx != this) {
            throw new IllegalArgumentException(role + " '" + e.name() + "' belongs to "
                    + (e instanceof CoreEvent ? ((CoreEvent) e).ctx.name : "no jgpu context") + ", not " + name);
        }
        return (CoreEvent) e;
    }

    // ---- the enqueue path

    /**
     * Checks an operation's accesses and hands it to the backend, under the lock.
     *
     * @param s the stream
     * @param op what it is, for hazard messages (e.g. {@code launch saxpy})
     * @param action the backend call
     * @param touches what it reads and writes
     * @throws org.jgpu.HazardException in CHECK mode, before anything is enqueued
     */
    void enqueue(CoreStream s, String op, Runnable action, Touch... touches) {
        synchronized (lock) {
            ensureOpen();
            s.ensureOpen();
            for (Touch t : touches) {
                if (t.buffer().isClosed()) {
                    // closing a buffer marks it under this lock: no copy slips in after the close
                    throw new IllegalStateException(t.buffer().name() + " of " + name + " is closed");
                }
            }
            CoreStream.Capture capture = s.capture();
            if (capture != null) {
                // captured, not run: the graph's launches are checked and recorded instead
                action.run();
                capture.add(touches);
                return;
            }
            tracker.beforeEnqueue(s.timeline);
            if (touches.length > 0 && mode != HazardMode.OFF) {
                List<Conflict> conflicts = tracker.conflicts(s.timeline.clock(), touches);
                if (!conflicts.isEmpty()) {
                    if (mode == HazardMode.CHECK) {
                        throw Hazards.onStream(conflicts.get(0), s.name(), op);
                    }
                    insertWaits(s, conflicts);
                }
            }
            if (recorder == null) {
                action.run();
            } else {
                recorder.around(s.name(), op, s.nat, action);
            }
            tracker.commit(s.timeline, op, touches);
        }
    }

    /**
     * Like {@link #enqueue}, returning the stream's clock as the commit left it, read under the
     * same hold of the lock (for a synchronous operation the host then knows complete).
     */
    VectorClock enqueueSeen(CoreStream s, String op, Runnable action, Touch... touches) {
        synchronized (lock) {
            enqueue(s, op, action, touches);
            return s.timeline.clock().copy();
        }
    }

    /** AUTO: makes {@code s} wait for the current end of every stream it races with. */
    private void insertWaits(CoreStream s, List<Conflict> conflicts) {
        Set<Integer> done = new LinkedHashSet<>();
        for (Conflict c : conflicts) {
            if (!done.add(c.earlierTimeline())) {
                continue;
            }
            StreamSlot other = liveStreams.get(c.earlierTimeline());
            if (other == null) {
                continue;
            }
            NativeEvent e = backend.createEvent(EnumSet.noneOf(EventOption.class));
            other.nat().record(e);
            s.nat.waitEvent(e);
            e.destroy();
            s.timeline.clock().join(other.timeline().clock());
            LOG.debug("AUTO: stream '{}' now waits for stream '{}' ({} on {})", s.name(), other.timeline().name(),
                    c.earlierOp(), c.buffer());
        }
    }

    /**
     * A host access to a host buffer: checked against pending copies, then recorded.
     *
     * @param op e.g. {@code read}, for messages
     * @param touch the range and kind
     * @throws org.jgpu.HazardException in CHECK mode if a pending copy uses the range
     */
    void hostAccess(String op, Touch touch) {
        while (true) {
            List<Integer> toWait = new ArrayList<>(2);
            synchronized (lock) {
                ensureOpen();
                List<Conflict> conflicts = tracker.conflicts(tracker.host(), touch);
                if (conflicts.isEmpty()) {
                    tracker.commitHost(op, touch);
                    return;
                }
                if (mode == HazardMode.CHECK) {
                    throw Hazards.onHost(conflicts.get(0), op);
                }
                for (Conflict c : conflicts) {
                    toWait.add(c.earlierTimeline());
                }
            }
            for (int timeline : toWait) {
                awaitTimeline(timeline);
            }
        }
    }

    /**
     * A future completed, on the callback executor, once {@code on} reaches the current end of
     * its queue: the backend's callback only hands off. Call under the lock.
     *
     * @param on the stream whose host callback completes the future
     * @param errorSource the stream whose failure fails the future
     * @param seen the clock the host learns when the future completes
     */
    CompletableFuture<Void> futureAfter(NativeStream on, NativeStream errorSource, VectorClock seen) {
        return futureAfter(on, errorSource, seen, null, null, null);
    }

    /**
     * Like {@link #futureAfter(NativeStream, NativeStream, VectorClock)}, in a stream's callback
     * order, running a user callback first. Call under the lock.
     *
     * @param on the stream whose host callback completes the future
     * @param errorSource the stream whose failure fails the future
     * @param seen the clock the host learns when the future completes
     * @param queue where a stream's callbacks run in its order; null for no order (events)
     * @param action a user callback to run first (its failure fails the future), or null
     * @param streamName the stream's name, for the message of a failed action
     */
    CompletableFuture<Void> futureAfter(NativeStream on, NativeStream errorSource, VectorClock seen, CallbackQueue queue,
            Runnable action, String streamName) {
        return callbackFutures.after(on, errorSource, seen, queue, action, streamName);
    }

    /** Blocks until a stream's current work is done and lets the host know it. */
    void awaitTimeline(int timeline) {
        StreamSlot slot = liveStreams.get(timeline);
        if (slot == null) {
            return;     // closed: closing it waited for its work
        }
        if (!slot.gate().enter()) {
            slot.gate().awaitReleased();    // closing: its closer waits for its work
            return;
        }
        try {
            VectorClock seen = snapshot(slot.timeline().clock());
            slot.nat().synchronize();
            observed(seen);
        } finally {
            slot.gate().exit();
        }
    }

    /** The host has seen work complete up to {@code clock}. */
    void observed(VectorClock clock) {
        synchronized (lock) {
            tracker.host().join(clock);
        }
    }

    VectorClock snapshot(VectorClock clock) {
        synchronized (lock) {
            return clock.copy();
        }
    }

    /** A backend stream that only waits on events, for {@link Event#onComplete()}. */
    NativeStream eventWaiter() {
        synchronized (lock) {
            ensureOpen();
            if (eventWaiter == null) {
                eventWaiter = backend.createStream(StreamOptions.builder().name("event-waiter")
                        .flags(EnumSet.of(org.jgpu.StreamFlag.NON_BLOCKING)).build());
            }
            return eventWaiter;
        }
    }

    // ---- Context

    @Override
    public String name() {
        return name;
    }

    @Override
    public DeviceInfo device() {
        return backend.info();
    }

    @Override
    public MemoryInfo memoryInfo() {
        enterCreate();   // a call close waits for: the backend is not closed under it
        try {
            return backend.memoryInfo();
        } finally {
            exitCreate();
        }
    }

    @Override
    public HazardMode hazardMode() {
        return mode;
    }

    @Override
    public Stream createStream() {
        return createStream(StreamOptions.DEFAULT);
    }

    @Override
    public Stream createStream(StreamOptions options) {
        Checks.notNull(options, "options");
        enterCreate();
        try {
            String n = options.name() != null ? options.name() : "stream#" + streamIds.incrementAndGet();
            StreamOptions named = new StreamOptions(n, options.priority(), options.flags());
            NativeStream nat = backend.createStream(named);
            return newStream(nat, named, CoreStream.Kind.CREATED);
        } finally {
            exitCreate();
        }
    }

    @Override
    public Stream borrowStream(long nativeHandle, String streamName) {
        enterCreate();
        try {
            String n = streamName != null ? streamName : "borrowed#" + streamIds.incrementAndGet();
            ensureNotOurs(nativeHandle);   // before the backend is asked, for a clear error early
            org.jgpu.spi.BorrowedStream b = backend.borrowStream(nativeHandle, n);
            StreamOptions options = new StreamOptions(n, b.stream().priority(),
                    b.flags().isEmpty() ? EnumSet.noneOf(org.jgpu.StreamFlag.class) : EnumSet.copyOf(b.flags()));
            synchronized (lock) {
                // again under the lock: two threads borrowing one handle both passed the first
                ensureNotOurs(nativeHandle);
                return newStream(b.stream(), options, CoreStream.Kind.BORROWED);
            }
        } finally {
            exitCreate();
        }
    }

    /**
     * Refuses a handle that is one of this context's open streams already: two timelines over
     * one queue would hide its order from the hazard tracker.
     *
     * @throws IllegalArgumentException naming the stream that has the handle
     */
    private void ensureNotOurs(long nativeHandle) {
        for (StreamSlot slot : openStreams()) {
            if (slot.gate().enter()) {
                try {
                    if (backend.streamHandle(slot.nat()) == nativeHandle) {
                        throw new IllegalArgumentException("stream handle 0x" + Long.toHexString(nativeHandle)
                                + " is stream '" + slot.timeline().name() + "' of " + name + " already: use that stream");
                    }
                } finally {
                    slot.gate().exit();
                }
            }
        }
    }

    @Override
    public org.jgpu.StreamPriorityRange streamPriorityRange() {
        enterCreate();   // a call close waits for: the backend is not closed under it
        try {
            return backend.streamPriorityRange();
        } finally {
            exitCreate();
        }
    }

    /**
     * Wraps a new backend stream, or destroys it if the context closed meanwhile (the backend
     * call is made outside the lock, so a close can come in between).
     */
    private CoreStream newStream(NativeStream nat, StreamOptions options, CoreStream.Kind kind) {
        synchronized (lock) {
            if (isClosed()) {
                if (kind != CoreStream.Kind.LEGACY_DEFAULT && kind != CoreStream.Kind.BORROWED) {
                    nat.destroy();
                }
                ensureOpen();
            }
            return new CoreStream(this, nat, options, kind);
        }
    }

    @Override
    public Stream defaultStream() {
        if (defaultStreamMode == org.jgpu.DefaultStreamMode.PER_THREAD) {
            CoreStream mine = perThread.get();
            if (mine == null || !mine.isOpen()) {
                enterCreate();   // before the backend makes a stream (a thread, on the host backend)
                try {
                    String n = "per-thread-default(" + Thread.currentThread().getName() + ")";
                    NativeStream nat = backend.perThreadDefaultStream(n);
                    mine = newStream(nat, StreamOptions.builder().name(n).build(), CoreStream.Kind.PER_THREAD_DEFAULT);
                } finally {
                    exitCreate();
                }
                perThread.set(mine);
            }
            return mine;
        }
        synchronized (lock) {
            ensureOpen();
            if (defaultStream == null) {
                defaultStream = new CoreStream(this, backend.defaultStream(), StreamOptions.builder().name("default").build(),
                        CoreStream.Kind.LEGACY_DEFAULT);
            }
            return defaultStream;
        }
    }

    @Override
    public Event createEvent() {
        return createEvent(EnumSet.noneOf(EventOption.class));
    }

    @Override
    public Event createEvent(Set<EventOption> options) {
        Checks.notNull(options, "options");
        Set<EventOption> opts = options.isEmpty() ? EnumSet.noneOf(EventOption.class) : EnumSet.copyOf(options);
        enterCreate();
        try {
            return new CoreEvent(this, backend.createEvent(opts), nextName("event"), opts, Handle.OnLeak.WARN);
        } finally {
            exitCreate();
        }
    }

    @Override
    public DeviceBuffer allocDevice(long bytes) {
        return allocDevice(bytes, null);
    }

    @Override
    public DeviceBuffer allocDevice(long bytes, String bufferName) {
        Checks.size("allocDevice", bytes);
        enterCreate();
        try {
            NativeMemory m = backend.allocDevice(bytes);
            return new CoreDeviceBuffer(this, m, bufferName == null ? nextName("device-buffer") : bufferName, null);
        } finally {
            exitCreate();
        }
    }

    @Override
    public DeviceBuffer allocAsync(long bytes, Stream stream) {
        Checks.size("allocAsync", bytes);
        CoreStream s = own(stream, "stream");
        s.ensureNotCapturing("allocAsync");
        CoreDeviceBuffer b;
        enterCreate();
        try {
            s.ensureOpen();
            NativeMemory m = backend.allocAsync(bytes, s.nat);
            b = new CoreDeviceBuffer(this, m, nextName("async-buffer"), s);
        } finally {
            exitCreate();
        }
        // the memory exists in stream order: to the tracker, the allocation writes all of it
        enqueue(s, "allocAsync", () -> { }, b.touch(0, bytes, false, true));
        return b;
    }

    @Override
    public DeviceBuffer allocUpload(float[] data, Stream stream) {
        Checks.notNull(data, "data");
        if (data.length == 0) {
            throw new IllegalArgumentException("allocUpload: data must not be empty");
        }
        DeviceBuffer b = allocAsync(4L * data.length, stream);
        stream.copy(data, b);
        return b;
    }

    @Override
    public HostBuffer allocHost(long bytes) {
        return allocHost(bytes, EnumSet.noneOf(HostAllocOption.class), null);
    }

    @Override
    public HostBuffer allocHost(long bytes, String bufferName) {
        return allocHost(bytes, EnumSet.noneOf(HostAllocOption.class), bufferName);
    }

    @Override
    public HostBuffer allocHost(long bytes, Set<HostAllocOption> options) {
        return allocHost(bytes, options, null);
    }

    private HostBuffer allocHost(long bytes, Set<HostAllocOption> options, String bufferName) {
        Checks.size("allocHost", bytes);
        Checks.notNull(options, "options");
        Set<HostAllocOption> opts = options.isEmpty() ? EnumSet.noneOf(HostAllocOption.class) : EnumSet.copyOf(options);
        enterCreate();
        try {
            NativeMemory m = backend.allocHost(bytes, opts);
            return new CoreHostBuffer(this, m, bufferName == null ? nextName("host-buffer") : bufferName, opts);
        } finally {
            exitCreate();
        }
    }

    @Override
    public org.jgpu.HostBufferPool createHostPool(long bufferBytes, int capacity) {
        Checks.size("createHostPool", bufferBytes);
        if (capacity < 1) {
            throw new IllegalArgumentException("createHostPool: capacity must be at least 1, got " + capacity);
        }
        ensureOpen();
        return new CoreHostPool(this, bufferBytes, capacity);
    }

    @Override
    public Module loadModule(ModuleSource source) {
        Checks.notNull(source, "source");
        enterCreate();
        try {
            return CoreModule.load(this, backend, source);
        } finally {
            exitCreate();
        }
    }

    private List<StreamSlot> openStreams() {
        return new ArrayList<>(liveStreams.values());
    }

    private void ensureNoCapture(String op) {
        for (StreamSlot slot : openStreams()) {
            synchronized (lock) {
                if (slot.capturing()) {
                    throw new IllegalStateException(op + " on " + name + " while stream '" + slot.timeline().name()
                            + "' captures a graph would break the capture: finish the capture first");
                }
            }
        }
    }

    @Override
    public void synchronize() {
        ensureOpen();
        ensureNoCapture("synchronize");
        RuntimeException failure = awaitAll();
        if (failure != null) {
            throw failure;
        }
    }

    /** Waits for every stream; returns the first failure (stored errors included), or null. */
    private RuntimeException awaitAll() {
        RuntimeException failure = null;
        for (StreamSlot slot : openStreams()) {
            if (!slot.gate().enter()) {
                // closing on another thread, which waits for its work and reports its errors
                slot.gate().awaitReleased();
                continue;
            }
            try {
                VectorClock seen = snapshot(slot.timeline().clock());
                slot.nat().synchronize();
                observed(seen);
            } catch (RuntimeException e) {
                failure = chain(failure, e);
            } finally {
                slot.gate().exit();
            }
        }
        try {
            backend.synchronize();
        } catch (RuntimeException e) {
            failure = chain(failure, e);
        }
        if (!Callbacks.inCallback()) {
            // a synchronize inside a callback leaves the stored errors to the caller's own
            // synchronize: taking them would hide them inside that callback's own failure
            RuntimeException stored = errors.take(name);
            if (stored != null) {
                failure = chain(failure, stored);
            }
        }
        return failure;
    }

    private static RuntimeException chain(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        if (first != next) {
            first.addSuppressed(next);
        }
        return first;
    }

    @Override
    public CompletableFuture<Void> onComplete() {
        ensureOpen();
        ensureNoCapture("onComplete");
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (StreamSlot slot : openStreams()) {
            synchronized (lock) {
                if (isLive(slot) && !slot.gate().isClosed()) {
                    all.add(futureAfter(slot.nat(), slot.nat(), slot.timeline().clock().copy(), slot.callbacks(), null, null));
                    continue;
                }
            }
            // closing on another thread, which waits for the stream's work
            all.add(slot.gate().whenReleased().thenRunAsync(() -> { }, this::handOff));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture[0]));
    }

    /** @return the traced work since the last call */
    org.jgpu.trace.Timeline timeline() {
        if (recorder == null) {
            throw new IllegalStateException(name + " was created without Diagnostic.TIMELINE: create it with "
                    + "ContextOptions.builder().diagnostics(EnumSet.of(Diagnostic.TIMELINE)) to trace it");
        }
        TraceRecorder.Resolver taken;
        synchronized (lock) {
            ensureOpen();
            taken = recorder.take();
        }
        return taken.timeline();
    }

    @Override
    public boolean isOpen() {
        return !gate.isClosed();
    }

    boolean isShared() {
        return shared;
    }

    @Override
    public void close() {
        if (shared) {
            throw new IllegalStateException(name + " is the shared default context; it is closed when the JVM exits");
        }
        closeInternal();
    }

    /**
     * Closes the context as one cut: from the first line on, nothing more is accepted (every
     * check is made under the lock taken here); then the work accepted before is waited for, and
     * everything still open is released. A second caller waits for the first to finish.
     */
    void closeInternal() {
        boolean mine;
        synchronized (lock) {
            mine = gate.close();
        }
        if (!mine) {
            gate.awaitReleased();
            return;
        }
        RuntimeException failure;
        try {
            // resources being made now are refused (adopt checks under the lock): let them be
            // released while the backend is still open
            gate.awaitCalls();
            failure = awaitAll();
            // buffers, events and modules first, streams last: a free may still name its stream
            List<Handle> all = new ArrayList<>(handles);
            all.sort(java.util.Comparator.comparing(Handle::kind));
            for (Handle h : all) {
                try {
                    h.closeNow();
                } catch (RuntimeException e) {
                    failure = chain(failure, e);
                }
            }
            synchronized (lock) {
                if (eventWaiter != null) {
                    eventWaiter.destroy();
                }
            }
            backend.close();
        } finally {
            gate.released();
            // after the backend closed: a future it never called back must not hang; released
            // first, so that a continuation may close what it likes
            callbackFutures.failPending();
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** For hazard-free waits on a buffer's users: which streams still have work on it. */
    List<Integer> pendingUsers(org.jgpu.internal.hazard.BufferState state) {
        synchronized (lock) {
            return tracker.pendingUsers(state);
        }
    }

    StreamSlot slot(int timeline) {
        return liveStreams.get(timeline);
    }

    /** Touch factory for buffers: ranges relative to the allocation. */
    static Touch touch(org.jgpu.internal.hazard.BufferState state, long start, long length, boolean reads, boolean writes) {
        return new Touch(state, start, start + length, reads, writes);
    }
}
