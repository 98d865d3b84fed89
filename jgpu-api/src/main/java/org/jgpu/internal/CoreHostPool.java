package org.jgpu.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jgpu.HostBuffer;
import org.jgpu.HostBufferPool;

/** The one implementation of {@link HostBufferPool}. */
final class CoreHostPool implements HostBufferPool {
    private final Scope scope;
    private final long bufferBytes;
    private final int capacity;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition returned = lock.newCondition();
    private final ArrayDeque<HostBuffer> idle = new ArrayDeque<>();
    private final List<HostBuffer> all = new ArrayList<>();
    /** Buffers pinned or being pinned: what counts against the capacity. */
    private int reserved;
    private boolean closed;

    /** @param kind names the pool and its buffers in messages, e.g. {@code host-pool} */
    CoreHostPool(Scope scope, long bufferBytes, int capacity, String kind) {
        this.scope = scope;
        this.bufferBytes = bufferBytes;
        this.capacity = capacity;
        this.name = scope.registry().nextName(kind);
    }

    @Override
    public long bufferBytes() {
        return bufferBytes;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int pinned() {
        lock.lock();
        try {
            return all.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Lease acquire() {
        return acquire(null);
    }

    @Override
    public Lease acquire(Duration timeout) {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        HostBuffer b;
        boolean pinNew = false;
        lock.lock();
        try {
            while (true) {
                ensureOpen();
                if (!idle.isEmpty()) {
                    b = idle.poll();
                    break;
                }
                if (reserved < capacity) {
                    reserved++;      // pin outside the lock
                    pinNew = true;
                    b = null;
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                try {
                    returned.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a buffer of " + name, e);
                }
            }
        } finally {
            lock.unlock();
        }
        if (pinNew) {
            try {
                b = scope.context().allocHost(bufferBytes, scope.registry().nextName(name + "-buffer"));
            } catch (RuntimeException e) {
                lock.lock();
                try {
                    reserved--;
                    returned.signal();
                } finally {
                    lock.unlock();
                }
                throw e;
            }
            lock.lock();
            try {
                all.add(b);
            } finally {
                lock.unlock();
            }
        } else {
            RuntimeException failure = ((CoreBuffer) b).awaitIdle();
            if (failure != null) {
                give(b);
                throw failure;
            }
        }
        return new PoolLease(b);
    }

    private void give(HostBuffer b) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            idle.add(b);
            returned.signal();
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen() {
        if (closed || scope.sequencer().isClosed()) {
            throw new IllegalStateException(name + " of " + scope.name() + " is closed");
        }
    }

    /** A buffer on loan. */
    private final class PoolLease implements Lease {
        private HostBuffer buffer;

        PoolLease(HostBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public synchronized HostBuffer buffer() {
            if (buffer == null) {
                throw new IllegalStateException("this lease of " + name + " was closed: acquire another");
            }
            return buffer;
        }

        @Override
        public void close() {
            HostBuffer b;
            synchronized (this) {
                b = buffer;
                buffer = null;
            }
            if (b != null) {
                give(b);
            }
        }
    }

    @Override
    public void close() {
        List<HostBuffer> toClose;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(all);
            idle.clear();
            returned.signalAll();
        } finally {
            lock.unlock();
        }
        RuntimeException failure = null;
        for (HostBuffer b : toClose) {
            try {
                b.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
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
