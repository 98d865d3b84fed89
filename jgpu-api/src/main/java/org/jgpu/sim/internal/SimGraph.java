package org.jgpu.sim.internal;

import java.util.List;
import org.jgpu.spi.NativeGraph;
import org.jgpu.spi.NativeStream;

/**
 * A graph of the host backend: the operations a stream captured, replayed on a stream.
 *
 * <p>Kept apart from {@link SimStream} because a graph outlives its capture and may be launched
 * on any stream of the device; it holds nothing native.
 */
final class SimGraph implements NativeGraph {
    private final List<EngineOp> ops;

    /** @param ops the captured operations, in stream order; copied */
    SimGraph(List<EngineOp> ops) {
        this.ops = List.copyOf(ops);
    }

    @Override
    public void launch(NativeStream stream) {
        SimStream s = (SimStream) stream;
        for (EngineOp op : ops) {
            s.enqueue(op.replay());
        }
    }

    @Override
    public void destroy() {
        // nothing native
    }
}
