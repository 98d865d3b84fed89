package org.jgpu.internal;

import java.util.List;
import java.util.Set;
import org.jgpu.Diagnostic;
import org.jgpu.spi.DeviceBackend;
import org.jgpu.spi.NativeStream;

/** What a context records for people: the frames that made objects, and a timeline of its work. */
final class Diagnostics {
    private static final StackWalker WALKER = StackWalker.getInstance();

    private final String contextName;
    private final boolean callerFrames;
    /** Non-null with Diagnostic.TIMELINE; it guards itself. */
    private final TraceRecorder recorder;
    /** Prefixes of the classes that are jgpu's implementation, for {@link #callerFrame()}. */
    private final List<String> implementationPackages;

    /**
     * @param contextName the context's name, for messages
     * @param wanted the diagnostics the context was created with
     * @param backend the opened backend: its package is jgpu's own, and it makes timing events
     */
    Diagnostics(String contextName, Set<Diagnostic> wanted, DeviceBackend backend) {
        this.contextName = contextName;
        this.callerFrames = wanted.contains(Diagnostic.CALLER_FRAMES);
        this.recorder = wanted.contains(Diagnostic.TIMELINE) ? new TraceRecorder(backend) : null;
        this.implementationPackages = List.of(Diagnostics.class.getPackageName() + ".",
                NativeStream.class.getPackageName() + ".", backend.getClass().getPackageName() + ".", "java.");
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

    /**
     * Whether a frame is jgpu's own: the core, the SPI, the opened backend's package (and those
     * under it), or the JDK. Found from the objects at hand, so the core names no backend.
     */
    private boolean isImplementation(String className) {
        for (String p : implementationPackages) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs an operation's backend call, traced when the context keeps a timeline. Call in the
     * stream's order: under the context's lock, or at the operation's place.
     *
     * @see TraceRecorder#around
     */
    void trace(String lane, Op op, NativeStream stream) {
        if (recorder == null) {
            op.issue(stream);
        } else {
            recorder.around(lane, op.name(), op.engine(), stream, () -> op.issue(stream));
        }
    }

    /** @throws IllegalStateException if the context keeps no timeline, saying how to make one that does */
    void ensureTracing() {
        if (recorder == null) {
            throw new IllegalStateException(contextName + " was created without Diagnostic.TIMELINE: create it with "
                    + "ContextOptions.builder().diagnostics(EnumSet.of(Diagnostic.TIMELINE)) to trace it");
        }
    }

    /** @return the traced work so far, to resolve outside the lock (call under the context's lock) */
    TraceRecorder.Resolver takeTraced() {
        return recorder.take();
    }
}
