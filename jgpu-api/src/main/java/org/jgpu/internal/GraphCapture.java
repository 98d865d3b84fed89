package org.jgpu.internal;

import org.jgpu.Graph;
import org.jgpu.internal.hazard.Touch;
import org.jgpu.spi.NativeGraph;
import org.jgpu.spi.NativeStream;

/**
 * Captures a stream's work into a graph: the capture starts and ends under the context's lock,
 * so every operation is either captured or enqueued, and the body runs outside it.
 */
final class GraphCapture {
    private GraphCapture() {
    }

    /**
     * @param s the stream that captures
     * @param body enqueues the work to capture
     * @return the graph
     * @throws IllegalStateException if the context or stream is closed, or the stream already captures
     */
    static Graph run(CoreStream s, Runnable body) {
        Sequencer sequencer = s.scope().sequencer();
        StreamState state = s.state();
        NativeStream stream = state.nativeStream();
        sequencer.exclusive(() -> {
            sequencer.ensureOpen();
            s.ensureOpen();
            if (state.capture() != null) {
                throw new IllegalStateException("stream '" + s.name() + "' is already capturing a graph");
            }
            stream.beginCapture();
            state.capture(new StreamState.Capture());
        });
        try {
            body.run();
        } catch (RuntimeException | Error e) {
            sequencer.exclusive(() -> {
                state.capture(null);
                try {
                    stream.abortCapture();
                } catch (RuntimeException | Error x) {
                    // the body's failure is the news (it often invalidated the capture itself)
                    e.addSuppressed(x);
                }
            });
            throw e;
        }
        StreamState.Capture[] captured = new StreamState.Capture[1];
        NativeGraph graph = sequencer.exclusive(() -> {
            captured[0] = state.capture();
            state.capture(null);
            return stream.endCapture();
        });
        Scope scope = s.scope();
        return new CoreGraph(scope, graph, scope.registry().nextName(s.name() + "-graph"),
                captured[0].touches.toArray(new Touch[0]), captured[0].operations);
    }
}
