package org.jgpu.internal;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DefaultStreamMode;
import org.jgpu.DeviceBuffer;
import org.jgpu.DeviceInfo;
import org.jgpu.Event;
import org.jgpu.EventOption;
import org.jgpu.HazardMode;
import org.jgpu.HostAllocOption;
import org.jgpu.HostBuffer;
import org.jgpu.HostBufferPool;
import org.jgpu.MemoryInfo;
import org.jgpu.KernelModule;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.StreamFlag;
import org.jgpu.StreamOptions;
import org.jgpu.StreamPriorityRange;
import org.jgpu.spi.BorrowedStream;
import org.jgpu.spi.DeviceBackend;
import org.jgpu.spi.NativeMemory;
import org.jgpu.spi.NativeStream;
import org.jgpu.spi.OpKind;
import org.jgpu.trace.Timeline;
import org.jgpu.trace.TracedContext;

/**
 * The one implementation of {@link Context}, over any backend: lifetimes, argument checks and
 * hazard tracking live in the core, so every backend behaves the same.
 *
 * <p>This class is the facade: it makes resources and closes them. The work is done by its
 * parts, which the resources get as a {@link Scope} instead of the context: the
 * {@link Sequencer} (the one lock, the open/closed state, the enqueue path), the
 * {@link Registry} (what to close, and the open streams), {@link Completions} (callback
 * futures and stored errors) and {@link Diagnostics} (caller frames, the timeline).
 */
public final class CoreContext implements Context, TracedContext {
    private static final AtomicInteger IDS = new AtomicInteger();

    private final String name;
    private final DeviceBackend backend;
    private final HazardMode mode;
    private final boolean shared;
    private final Scope scope;
    private final Sequencer sequencer;
    private final Registry registry;
    private final Completions completions;
    private final DefaultStreamMode defaultStreamMode;
    /** The legacy default stream, made on first use; guarded by the context's lock. */
    private CoreStream defaultStream;
    private final ThreadLocal<CoreStream> perThread = new ThreadLocal<>();

    /**
     * @param backend the opened device
     * @param options the options it was opened with
     * @param shared true for the process-wide default context
     * @param domain the hazard domain of a device group it joins, or null for one of its own
     */
    CoreContext(DeviceBackend backend, ContextOptions options, boolean shared, HazardDomain domain) {
        this.backend = backend;
        this.mode = options.hazardMode();
        this.defaultStreamMode = options.defaultStream();
        this.shared = shared;
        this.name = "context#" + IDS.incrementAndGet() + "(" + backend.info().backend() + ")";
        Executor executor = options.callbackExecutor() == null ? ForkJoinPool.commonPool() : options.callbackExecutor();
        Diagnostics diagnostics = new Diagnostics(name, options.diagnostics(), backend);
        HazardDomain d = domain != null ? domain : new HazardDomain(mode);
        LiveStreams streams = new LiveStreams(d);
        this.sequencer = new Sequencer(name, backend, d, streams, diagnostics);
        this.completions = new Completions(name, executor, backend, sequencer);
        this.registry = new Registry(name, backend, sequencer, streams, completions);
        this.scope = new Scope(name, this, backend, sequencer, registry, completions, diagnostics, new ArrayTransfers());
    }

    /** @return the parts the context's resources work with */
    Scope scope() {
        return scope;
    }

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
        sequencer.enterCreate();   // a call close waits for: the backend is not closed under it
        try {
            return backend.memoryInfo();
        } finally {
            sequencer.exitCreate();
        }
    }

    @Override
    public HazardMode hazardMode() {
        return mode;
    }

    // ---- streams

    @Override
    public Stream createStream() {
        return createStream(StreamOptions.DEFAULT);
    }

    @Override
    public Stream createStream(StreamOptions options) {
        Checks.notNull(options, "options");
        sequencer.enterCreate();
        try {
            String n = options.name() != null ? options.name() : registry.nextStreamName("stream");
            StreamOptions named = new StreamOptions(n, options.priority(), options.flags());
            NativeStream created = backend.createStream(named);
            return newStream(created, named, CoreStream.Kind.CREATED);
        } finally {
            sequencer.exitCreate();
        }
    }

    @Override
    public Stream borrowStream(long nativeHandle, String streamName) {
        sequencer.enterCreate();
        try {
            String n = streamName != null ? streamName : registry.nextStreamName("borrowed");
            registry.ensureNotOurs(nativeHandle);   // before the backend is asked, for a clear error early
            BorrowedStream b = backend.borrowStream(nativeHandle, n);
            StreamOptions options = new StreamOptions(n, b.stream().priority(),
                    b.flags().isEmpty() ? EnumSet.noneOf(StreamFlag.class) : EnumSet.copyOf(b.flags()));
            return sequencer.exclusive(() -> {
                // again under the lock: two threads borrowing one handle both passed the first
                registry.ensureNotOurs(nativeHandle);
                return newStream(b.stream(), options, CoreStream.Kind.BORROWED);
            });
        } finally {
            sequencer.exitCreate();
        }
    }

    @Override
    public StreamPriorityRange streamPriorityRange() {
        sequencer.enterCreate();   // a call close waits for: the backend is not closed under it
        try {
            return backend.streamPriorityRange();
        } finally {
            sequencer.exitCreate();
        }
    }

    /**
     * Wraps a new backend stream, or destroys it if the context closed meanwhile (the backend
     * call is made outside the lock, so a close can come in between).
     */
    private CoreStream newStream(NativeStream stream, StreamOptions options, CoreStream.Kind kind) {
        return sequencer.exclusive(() -> {
            if (sequencer.isClosed()) {
                if (kind != CoreStream.Kind.LEGACY_DEFAULT && kind != CoreStream.Kind.BORROWED) {
                    stream.destroy();
                }
                sequencer.ensureOpen();
            }
            return new CoreStream(scope, stream, options, kind);
        });
    }

    @Override
    public Stream defaultStream() {
        if (defaultStreamMode == DefaultStreamMode.PER_THREAD) {
            CoreStream mine = perThread.get();
            if (mine == null || !mine.isOpen()) {
                sequencer.enterCreate();   // before the backend makes a stream (a thread, on the host backend)
                try {
                    String n = "per-thread-default(" + Thread.currentThread().getName() + ")";
                    NativeStream created = backend.perThreadDefaultStream(n);
                    mine = newStream(created, StreamOptions.builder().name(n).build(), CoreStream.Kind.PER_THREAD_DEFAULT);
                } finally {
                    sequencer.exitCreate();
                }
                perThread.set(mine);
            }
            return mine;
        }
        return sequencer.exclusive(() -> {
            sequencer.ensureOpen();
            if (defaultStream == null) {
                defaultStream = new CoreStream(scope, backend.defaultStream(), StreamOptions.builder().name("default").build(),
                        CoreStream.Kind.LEGACY_DEFAULT);
            }
            return defaultStream;
        });
    }

    // ---- events, memory, modules

    @Override
    public Event createEvent() {
        return createEvent(EnumSet.noneOf(EventOption.class));
    }

    @Override
    public Event createEvent(Set<EventOption> options) {
        Checks.notNull(options, "options");
        Set<EventOption> opts = options.isEmpty() ? EnumSet.noneOf(EventOption.class) : EnumSet.copyOf(options);
        sequencer.enterCreate();
        try {
            return new CoreEvent(scope, backend.createEvent(opts), registry.nextName("event"), opts, Handle.OnLeak.WARN);
        } finally {
            sequencer.exitCreate();
        }
    }

    @Override
    public DeviceBuffer allocDevice(long bytes) {
        return allocDevice(bytes, null);
    }

    @Override
    public DeviceBuffer allocDevice(long bytes, String bufferName) {
        Checks.size("allocDevice", bytes);
        sequencer.enterCreate();
        try {
            NativeMemory m = backend.allocDevice(bytes);
            return new CoreDeviceBuffer(scope, m, bufferName == null ? registry.nextName("device-buffer") : bufferName, null);
        } finally {
            sequencer.exitCreate();
        }
    }

    @Override
    public DeviceBuffer allocAsync(long bytes, Stream stream) {
        Checks.size("allocAsync", bytes);
        CoreStream s = scope.own(stream, "stream");
        s.ensureNotCapturing("allocAsync");
        CoreDeviceBuffer b;
        sequencer.enterCreate();
        try {
            s.ensureOpen();
            NativeMemory m = backend.allocAsync(bytes, s.state().nativeStream());
            b = new CoreDeviceBuffer(scope, m, registry.nextName("async-buffer"), s);
        } finally {
            sequencer.exitCreate();
        }
        // the memory exists in stream order: to the tracker, the allocation writes all of it
        sequencer.enqueue(s.state(), Op.of(OpKind.ALLOC_ASYNC, OpKind.ALLOC_ASYNC.engine(), () -> { },
                b.touch(false, true)));
        return b;
    }

    @Override
    public DeviceBuffer allocUpload(float[] data, Stream stream) {
        return ArrayTransfers.allocUpload(this, ArrayType.FLOAT, data, stream);
    }

    @Override
    public DeviceBuffer allocUpload(int[] data, Stream stream) {
        return ArrayTransfers.allocUpload(this, ArrayType.INT, data, stream);
    }

    @Override
    public DeviceBuffer allocUpload(long[] data, Stream stream) {
        return ArrayTransfers.allocUpload(this, ArrayType.LONG, data, stream);
    }

    @Override
    public DeviceBuffer allocUpload(double[] data, Stream stream) {
        return ArrayTransfers.allocUpload(this, ArrayType.DOUBLE, data, stream);
    }

    @Override
    public DeviceBuffer allocUpload(byte[] data, Stream stream) {
        return ArrayTransfers.allocUpload(this, ArrayType.BYTE, data, stream);
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
        sequencer.enterCreate();
        try {
            NativeMemory m = backend.allocHost(bytes, opts);
            return new CoreHostBuffer(scope, m, bufferName == null ? registry.nextName("host-buffer") : bufferName, opts);
        } finally {
            sequencer.exitCreate();
        }
    }

    @Override
    public HostBufferPool createHostPool(long bufferBytes, int capacity) {
        Checks.size("createHostPool", bufferBytes);
        if (capacity < 1) {
            throw new IllegalArgumentException("createHostPool: capacity must be at least 1, got " + capacity);
        }
        sequencer.ensureOpen();
        return new CoreHostPool(scope, bufferBytes, capacity, "host-pool");
    }

    @Override
    public KernelModule loadModule(ModuleSource source) {
        Checks.notNull(source, "source");
        sequencer.enterCreate();
        try {
            return CoreModule.load(scope, backend, source);
        } finally {
            sequencer.exitCreate();
        }
    }

    // ---- waiting

    @Override
    public void synchronize() {
        sequencer.ensureOpen();
        registry.ensureNoCapture("synchronize");
        RuntimeException failure = awaitAll();
        if (failure != null) {
            throw failure;
        }
    }

    /** Waits for every stream; returns the first failure (stored errors included), or null. */
    private RuntimeException awaitAll() {
        RuntimeException failure = registry.awaitStreams();
        try {
            backend.synchronize();
        } catch (RuntimeException e) {
            failure = Registry.chain(failure, e);
        }
        if (!Callbacks.inCallback()) {
            // a synchronize inside a callback leaves the stored errors to the caller's own
            // synchronize: taking them would hide them inside that callback's own failure
            RuntimeException stored = completions.takeErrors();
            if (stored != null) {
                failure = Registry.chain(failure, stored);
            }
        }
        return failure;
    }

    @Override
    public CompletableFuture<Void> onComplete() {
        sequencer.ensureOpen();
        registry.ensureNoCapture("onComplete");
        List<CompletableFuture<Void>> all = registry.onComplete();
        return CompletableFuture.allOf(all.toArray(new CompletableFuture[0]));
    }

    @Override
    public Timeline takeTimeline() {
        scope.diagnostics().ensureTracing();
        TraceRecorder.Resolver taken = sequencer.exclusive(() -> {
            sequencer.ensureOpen();
            return scope.diagnostics().takeTraced();
        });
        return taken.timeline();
    }

    // ---- closing

    @Override
    public boolean isOpen() {
        return !sequencer.isClosed();
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
        if (!sequencer.beginClose()) {
            sequencer.awaitClosed();
            return;
        }
        RuntimeException failure;
        try {
            // resources being made now are refused (adopt checks under the lock): let them be
            // released while the backend is still open
            sequencer.awaitCreates();
            failure = awaitAll();
            registry.awaitPeerUsers(sequencer.peerUsers());
            failure = registry.closeAll(failure);
            RuntimeException events = sequencer.destroyEvents();
            if (events != null) {
                failure = Registry.chain(failure, events);
            }
            completions.destroyEventWaiter();
            backend.close();
        } finally {
            sequencer.closed();
            // after the backend closed: a future it never called back must not hang; released
            // first, so that a continuation may close what it likes
            completions.failPending();
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
