package org.jgpu.internal;

import org.jgpu.Graph;
import org.jgpu.internal.hazard.Touch;
import org.jgpu.spi.NativeGraph;

/** The one implementation of {@link Graph}. */
final class CoreGraph implements Graph {
    final CoreContext ctx;
    final NativeGraph nat;
    private final String name;
    private final Touch[] touches;
    private final int operations;
    private final Handle handle;

    CoreGraph(CoreContext ctx, NativeGraph nat, String name, Touch[] touches, int operations) {
        this.operations = operations;
        this.ctx = ctx;
        this.nat = nat;
        this.name = name;
        this.touches = touches;
        this.handle = Handle.track(this, Handle.Kind.GRAPH, "graph '" + name + "' of " + ctx.name(), nat::destroy, ctx,
                Handle.OnLeak.WARN);
    }

    /** @return what a launch reads and writes, after checking that every buffer is still open */
    Touch[] touchesForLaunch() {
        if (ctx.isClosed() || handle.isClosed()) {
            throw new IllegalStateException("graph '" + name + "' of " + ctx.name() + " is closed");
        }
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

    @Override
    public boolean isOpen() {
        return !ctx.isClosed() && !handle.isClosed();
    }

    @Override
    public void close() {
        if (handle.markClosed()) {
            handle.release();
        }
    }

    @Override
    public String toString() {
        return "graph '" + name + "'";
    }
}
