package org.jgpu.internal;

import org.jgpu.Graph;
import org.jgpu.internal.hazard.Touch;
import org.jgpu.spi.NativeGraph;
import org.jgpu.spi.OpKind;

/** The one implementation of {@link Graph}. */
final class CoreGraph extends CoreResource implements Graph {
    final NativeGraph nativeGraph;
    private final String name;
    private final Touch[] touches;
    private final int operations;
    /** Names a launch of the graph in hazard records and timelines ({@code launch graph 'g'}). */
    final OpName launchName = new OpName(OpKind.LAUNCH, this);

    CoreGraph(Scope scope, NativeGraph nativeGraph, String name, Touch[] touches, int operations) {
        super(scope, "graph '" + name + "'", Handle.Kind.GRAPH, nativeGraph::destroy, Handle.OnLeak.WARN);
        this.operations = operations;
        this.nativeGraph = nativeGraph;
        this.name = name;
        this.touches = touches;
    }

    /** @return what a launch reads and writes, after checking that every buffer is still open */
    Touch[] touchesForLaunch() {
        ensureOpen();
        for (Touch t : touches) {
            if (t.buffer().isFreed()) {
                throw new IllegalStateException("graph '" + name + "' uses " + t.buffer().name()
                        + ", which is closed; capture the graph again with open buffers");
            }
        }
        return touches;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int operationCount() {
        return operations;
    }

}
