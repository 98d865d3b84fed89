package org.jgpu.internal;

import java.nio.ByteBuffer;
import org.jgpu.LaunchConfig;
import org.jgpu.internal.hazard.Touch;
import org.jgpu.spi.NativeFunction;
import org.jgpu.spi.NativeMemory;
import org.jgpu.spi.NativeStream;
import org.jgpu.spi.OpKind;
import org.jgpu.spi.OpTag;
import org.jgpu.trace.Engine;

/**
 * A copy, fill or launch: the operation and its {@link OpTag} in one object, so that enqueuing
 * one makes nothing else (no closure, no list of names, no array of touches for a copy or fill).
 *
 * <p>A backend may keep the tag after the call (to name the operation in a later failure), so
 * after {@link #issue} an operation keeps only what its text needs: the touches (which name the
 * buffers without keeping them reachable), the stream's name and the caller's frame. What the
 * call alone needs (memory, arguments) is let go.
 */
abstract class TaggedOp extends Op implements OpTag {
    private final String stream;
    private final StackTraceElement caller;

    /**
     * @param stream the stream's name
     * @param caller the frame that enqueued it, or null unless {@code CALLER_FRAMES} is on
     */
    TaggedOp(String stream, StackTraceElement caller) {
        this.stream = stream;
        this.caller = caller;
    }

    /** @return e.g. the kernel's name, or null */
    String detail() {
        return null;
    }

    /** @return bytes moved or set (a copy's or fill's first range), or -1 when it does not apply */
    long bytes() {
        Touch first = touch(0);
        return first.end() - first.start();
    }

    /** @return the kind: a copy or a fill is named by its kind alone */
    @Override
    Object name() {
        return kind();
    }

    @Override
    Engine engine() {
        return kind().engine();
    }

    /** A copy, fill or launch is handed to the backend after the lock is released. */
    @Override
    boolean issuedUnderLock() {
        return false;
    }

    /** @return e.g. {@code launch saxpy on stream 's' using device buffer 'x', device buffer 'y'} */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(kind().label());
        String detail = detail();
        if (detail != null) {
            b.append(' ').append(detail);
        }
        if (bytes() >= 0) {
            b.append(" of ").append(bytes()).append(" bytes");
        }
        b.append(" on stream '").append(stream).append('\'');
        for (int i = 0; i < touchCount(); i++) {
            b.append(i == 0 ? " using " : ", ").append(touch(i));
        }
        if (caller != null) {
            b.append(", enqueued at ").append(caller);
        }
        return b.toString();
    }

    /** An asynchronous copy between two buffers. */
    static final class Copy extends TaggedOp {
        private final OpKind kind;
        private final Touch src;
        private final Touch dst;
        private NativeMemory srcMemory;
        private NativeMemory dstMemory;
        /** The other context of a copy between devices, or null. */
        private final Sequencer peer;

        Copy(String stream, StackTraceElement caller, OpKind kind, NativeMemory srcMemory, Touch src,
                NativeMemory dstMemory, Touch dst) {
            this(stream, caller, kind, srcMemory, src, dstMemory, dst, null);
        }

        Copy(String stream, StackTraceElement caller, OpKind kind, NativeMemory srcMemory, Touch src,
                NativeMemory dstMemory, Touch dst, Sequencer peer) {
            super(stream, caller);
            this.peer = peer;
            this.kind = kind;
            this.src = src;
            this.dst = dst;
            this.srcMemory = srcMemory;
            this.dstMemory = dstMemory;
        }

        @Override
        public OpKind kind() {
            return kind;
        }

        @Override
        Sequencer peer() {
            return peer;
        }

        @Override
        public int touchCount() {
            return 2;
        }

        @Override
        public Touch touch(int i) {
            return i == 0 ? src : i == 1 ? dst : noSuch(i);
        }

        @Override
        void issue(NativeStream stream) {
            try {
                if (kind == OpKind.COPY_PEER) {
                    stream.copyPeer(srcMemory, src.start(), dstMemory, dst.start(), bytes(), this);
                } else {
                    stream.copy(srcMemory, src.start(), dstMemory, dst.start(), bytes(), this);
                }
            } finally {
                srcMemory = null;
                dstMemory = null;
            }
        }
    }

    /** Setting a whole buffer to a repeated pattern. */
    static final class Fill extends TaggedOp {
        private final Touch dst;
        private final int pattern;
        private final int patternBytes;
        private NativeMemory memory;

        Fill(String stream, StackTraceElement caller, NativeMemory memory, Touch dst, int pattern, int patternBytes) {
            super(stream, caller);
            this.memory = memory;
            this.dst = dst;
            this.pattern = pattern;
            this.patternBytes = patternBytes;
        }

        @Override
        public OpKind kind() {
            return OpKind.FILL;
        }

        @Override
        public int touchCount() {
            return 1;
        }

        @Override
        public Touch touch(int i) {
            return i == 0 ? dst : noSuch(i);
        }

        @Override
        void issue(NativeStream stream) {
            try {
                stream.fill(memory, dst.start(), bytes(), pattern, patternBytes, this);
            } finally {
                memory = null;
            }
        }
    }

    /** A kernel launch. */
    static final class Launch extends TaggedOp {
        /** The kernel's name as launches are named (not the kernel: a kept tag keeps no module reachable). */
        private final OpName name;
        private final Touch[] touches;
        private NativeFunction function;
        private LaunchConfig config;
        private Object[] args;

        /**
         * @param touches one per buffer argument, in order
         * @param args the backend's arguments: the caller's array when nothing needed unwrapping
         */
        Launch(String stream, StackTraceElement caller, CoreKernel kernel, LaunchConfig config, Object[] args, Touch[] touches) {
            super(stream, caller);
            this.name = kernel.launchName;
            this.function = kernel.function;
            this.config = config;
            this.args = args;
            this.touches = touches;
        }

        @Override
        public OpKind kind() {
            return OpKind.LAUNCH;
        }

        @Override
        Object name() {
            return name;
        }

        @Override
        String detail() {
            return String.valueOf(name.subject());
        }

        @Override
        long bytes() {
            return -1;
        }

        @Override
        public int touchCount() {
            return touches.length;
        }

        @Override
        public Touch touch(int i) {
            return touches[i];
        }

        /** @return the arguments the backend gets (for tests), until the launch is issued */
        Object[] args() {
            return args;
        }

        @Override
        void issue(NativeStream stream) {
            try {
                stream.launch(function, config, args, this);
            } finally {
                // the caller may reuse its array at once: the tag must not show (or keep) what it holds next
                function = null;
                config = null;
                args = null;
            }
        }
    }

    /**
     * A copy between a device buffer and pinned staging memory of the context's own (an upload
     * or download of a Java array): only the device buffer is tracked. The staging buffer is
     * lent again only after a completion behind this copy, which orders its reuse; tracking it
     * would need the host to learn the stream's clock, which would order (and so hide) the
     * caller's own races on the device buffer whenever the completion came first.
     */
    static final class Staged extends TaggedOp {
        private final OpKind kind;
        private final Touch device;
        private NativeMemory staging;
        private NativeMemory deviceMemory;

        /**
         * @param upload true for staging to device, false for device to staging
         * @param device the device buffer's range: written by an upload, read by a download
         */
        Staged(String stream, StackTraceElement caller, boolean upload, NativeMemory staging, NativeMemory deviceMemory,
                Touch device) {
            super(stream, caller);
            this.kind = upload ? OpKind.COPY_H2D : OpKind.COPY_D2H;
            this.staging = staging;
            this.deviceMemory = deviceMemory;
            this.device = device;
        }

        @Override
        public OpKind kind() {
            return kind;
        }

        @Override
        String detail() {
            return kind == OpKind.COPY_H2D ? "of a Java array" : "into a Java array";
        }

        @Override
        public int touchCount() {
            return 1;
        }

        @Override
        public Touch touch(int i) {
            return i == 0 ? device : noSuch(i);
        }

        @Override
        void issue(NativeStream stream) {
            try {
                if (kind == OpKind.COPY_H2D) {
                    stream.copy(staging, 0, deviceMemory, device.start(), bytes(), this);
                } else {
                    stream.copy(deviceMemory, device.start(), staging, 0, bytes(), this);
                }
            } finally {
                staging = null;
                deviceMemory = null;
            }
        }
    }

    /**
     * A synchronous copy between a Java array and a buffer: issuing it only starts it (the
     * copy itself runs outside the context's lock); it is the tag of the copy that follows.
     */
    static final class Heap extends TaggedOp {
        private final OpKind kind;
        private final Touch touch;
        /** Let go once run: the backend may keep the tag, and this holds the stream and the buffer. */
        private Runnable begin;

        Heap(String stream, StackTraceElement caller, OpKind kind, Touch touch, Runnable begin) {
            super(stream, caller);
            this.kind = kind;
            this.touch = touch;
            this.begin = begin;
        }

        @Override
        public OpKind kind() {
            return kind;
        }

        @Override
        public int touchCount() {
            return 1;
        }

        @Override
        public Touch touch(int i) {
            return i == 0 ? touch : noSuch(i);
        }

        /** Its start enters the gates of the stream and the buffer, which the lock makes atomic with the checks. */
        @Override
        boolean issuedUnderLock() {
            return true;
        }

        @Override
        void issue(NativeStream stream) {
            Runnable b = begin;
            begin = null;
            b.run();
        }

        /** Runs the copy the issue began: a heap copy is timed by the caller's thread, not traced. */
        void copy(NativeStream stream, ByteBuffer heap, NativeMemory memory) {
            stream.copyHeap(heap, memory, touch.start(), touch.writes(), this);
        }
    }

    private static Touch noSuch(int i) {
        throw new IndexOutOfBoundsException(i);
    }
}
