package org.jgpu.internal;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceInfo;
import org.jgpu.EventOption;
import org.jgpu.HostAllocOption;
import org.jgpu.LaunchConfig;
import org.jgpu.MemoryInfo;
import org.jgpu.ModuleSource;
import org.jgpu.StreamOptions;
import org.jgpu.sim.internal.SimBackendProvider;
import org.jgpu.spi.DeviceBackend;
import org.jgpu.spi.NativeEvent;
import org.jgpu.spi.NativeFunction;
import org.jgpu.spi.NativeGraph;
import org.jgpu.spi.NativeMemory;
import org.jgpu.spi.NativeModule;
import org.jgpu.spi.NativeStream;
import org.jgpu.spi.OpTag;

/**
 * The host backend with streams that misbehave as a CUDA stream does after a context error:
 * host callbacks asked for are dropped (as {@code cuLaunchHostFunc} is never called then), and
 * ending a capture can fail (as an invalidated capture does); and asking for a host callback
 * can throw after the callback was queued; device queries can be held, to race a close; and
 * the next fill can be held in its backend call, as a launch into a full queue is.
 */
final class LostCallbackBackend implements DeviceBackend {
    private final DeviceBackend host;
    volatile boolean dropCallbacks;
    volatile boolean failEndCapture;
    volatile boolean throwAfterCallback;
    /** When set, device queries wait for it, after counting down {@link #entered}. */
    volatile CountDownLatch release;
    final CountDownLatch entered = new CountDownLatch(1);
    /** Event queries wait for {@link #release} too. */
    volatile boolean holdEventQueries;
    private volatile boolean closed;
    /** When set, the next fill's backend call waits for it, after counting down {@link #fillEntered}. */
    volatile CountDownLatch holdNextFill;
    final CountDownLatch fillEntered = new CountDownLatch(1);
    /** The tags of the fills handed to the backend, in the order their calls began. */
    final java.util.List<String> fills = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    LostCallbackBackend(ContextOptions options) {
        this.host = new SimBackendProvider().open(options);
    }

    private NativeStream wrap(NativeStream s) {
        return new NativeStream() {
            @Override
            public void copy(NativeMemory src, long so, NativeMemory dst, long dO, long bytes, OpTag tag) {
                s.copy(src, so, dst, dO, bytes, tag);
            }

            @Override
            public void copyHeap(ByteBuffer heap, NativeMemory memory, long offset, boolean toMemory, OpTag tag) {
                s.copyHeap(heap, memory, offset, toMemory, tag);
            }

            @Override
            public void fill(NativeMemory dst, long offset, long bytes, int pattern, int patternBytes, OpTag tag) {
                fills.add(tag.toString());
                CountDownLatch hold = holdNextFill;
                if (hold != null) {
                    holdNextFill = null;
                    fillEntered.countDown();
                    try {
                        hold.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                s.fill(dst, offset, bytes, pattern, patternBytes, tag);
            }

            @Override
            public void launch(NativeFunction function, LaunchConfig config, Object[] args, OpTag tag) {
                s.launch(function, config, args, tag);
            }

            @Override
            public void record(NativeEvent event) {
                s.record(unwrap(event));
            }

            @Override
            public void waitEvent(NativeEvent event) {
                s.waitEvent(unwrap(event));
            }

            @Override
            public void hostCallback(Runnable action) {
                if (!dropCallbacks) {
                    s.hostCallback(action);
                }
                if (throwAfterCallback) {
                    throw new IllegalStateException("host callback refused after its hand-off was queued");
                }
            }

            @Override
            public boolean query() {
                return s.query();
            }

            @Override
            public void synchronize() {
                s.synchronize();
            }

            @Override
            public RuntimeException peekError() {
                return s.peekError();
            }

            @Override
            public void beginCapture() {
                s.beginCapture();
            }

            @Override
            public NativeGraph endCapture() {
                NativeGraph g = s.endCapture();
                if (failEndCapture) {
                    g.destroy();
                    throw new IllegalStateException("capture invalidated (simulated)");
                }
                return g;
            }

            @Override
            public int priority() {
                return s.priority();
            }

            @Override
            public void destroy() {
                s.destroy();
            }
        };
    }

    @Override
    public DeviceInfo info() {
        return host.info();
    }

    @Override
    public MemoryInfo memoryInfo() {
        held();
        return host.memoryInfo();
    }

    @Override
    public org.jgpu.StreamPriorityRange streamPriorityRange() {
        held();
        return host.streamPriorityRange();
    }

    /**
     * Holds a device query until {@link #release} opens, then fails as a closed CUDA backend does
     * (with its own exception, not an IllegalStateException) if the backend closed meanwhile.
     */
    private void held() {
        CountDownLatch r = release;
        if (r != null) {
            entered.countDown();
            try {
                r.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (closed) {
                throw new UnsupportedOperationException("the backend was closed during a call in it");
            }
        }
    }

    @Override
    public NativeStream createStream(StreamOptions options) {
        return wrap(host.createStream(options));
    }

    @Override
    public NativeStream defaultStream() {
        return host.defaultStream();
    }

    @Override
    public NativeStream perThreadDefaultStream(String name) {
        return wrap(host.perThreadDefaultStream(name));
    }

    @Override
    public NativeEvent createEvent(Set<EventOption> options) {
        return new HeldEvent(host.createEvent(options));
    }

    /** The host backend's event, whose queries wait for {@link #release} when asked to, and refuse after destroy. */
    private final class HeldEvent implements NativeEvent {
        private final NativeEvent inner;
        private volatile boolean destroyed;

        HeldEvent(NativeEvent inner) {
            this.inner = inner;
        }

        @Override
        public boolean query() {
            if (holdEventQueries) {
                held();
            }
            if (destroyed) {
                throw new IllegalStateException("event queried after it was destroyed");
            }
            return inner.query();
        }

        @Override
        public void synchronize() {
            inner.synchronize();
        }

        @Override
        public long elapsedNanos(NativeEvent start) {
            return inner.elapsedNanos(unwrap(start));
        }

        @Override
        public void destroy() {
            destroyed = true;
            inner.destroy();
        }
    }

    private static NativeEvent unwrap(NativeEvent e) {
        return e instanceof HeldEvent h ? h.inner : e;
    }

    @Override
    public NativeMemory allocDevice(long bytes) {
        return host.allocDevice(bytes);
    }

    @Override
    public NativeMemory allocHost(long bytes, Set<HostAllocOption> options) {
        return host.allocHost(bytes, options);
    }

    @Override
    public NativeMemory allocAsync(long bytes, NativeStream stream) {
        return host.allocAsync(bytes, stream);
    }

    @Override
    public NativeModule loadModule(ModuleSource source) {
        return host.loadModule(source);
    }

    @Override
    public void synchronize() {
        host.synchronize();
    }

    @Override
    public void close() {
        closed = true;
        host.close();
    }
}
