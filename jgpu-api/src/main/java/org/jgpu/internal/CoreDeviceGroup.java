package org.jgpu.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.DeviceGroup;
import org.jgpu.DeviceTopology;
import org.jgpu.PeerRoute;
import org.jgpu.Stream;

/** The one implementation of {@link DeviceGroup}: contexts of one hazard domain. */
final class CoreDeviceGroup implements DeviceGroup {
    private final List<CoreContext> contexts;
    private final DeviceTopology topology;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AllReduce allReduce = new AllReduce();

    CoreDeviceGroup(List<CoreContext> contexts, DeviceTopology topology) {
        this.contexts = List.copyOf(contexts);
        this.topology = topology;
    }

    @Override
    public int size() {
        return contexts.size();
    }

    @Override
    public Context context(int index) {
        return contexts.get(index);
    }

    @Override
    public List<Context> contexts() {
        return List.copyOf(contexts);
    }

    @Override
    public DeviceTopology topology() {
        return topology;
    }

    @Override
    public PeerRoute route(Context from, Context to) {
        return contexts.get(0).scope().sequencer().domain().route(member(from, "from"), member(to, "to"));
    }

    /** @return the context's place in the group, which is its member number in the domain */
    int member(Context c, String role) {
        Checks.notNull(c, role);
        int i = contexts.indexOf(c);
        if (i < 0) {
            throw new IllegalArgumentException(role + " " + c.name() + " is not one of this group's contexts "
                    + contexts.stream().map(Context::name).toList());
        }
        return i;
    }

    @Override
    public void allReduceSum(List<DeviceBuffer> buffers, List<Stream> streams) {
        ensureOpen();
        allReduce.sum(contexts, buffers, streams);
    }

    @Override
    public void synchronize() {
        ensureOpen();
        RuntimeException failure = null;
        for (CoreContext c : contexts) {
            if (!c.isOpen()) {
                continue;     // closed on its own: closing it waited for its work
            }
            try {
                c.synchronize();
            } catch (RuntimeException e) {
                failure = Registry.chain(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    @Override
    public void close() {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        RuntimeException failure = null;
        for (CoreContext c : contexts) {
            try {
                c.close();
            } catch (RuntimeException e) {
                failure = Registry.chain(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void ensureOpen() {
        if (!open.get()) {
            throw new IllegalStateException("device group of " + contexts.stream().map(Context::name).toList() + " is closed");
        }
    }

    @Override
    public String toString() {
        return "device group " + contexts.stream().map(Context::name).toList();
    }
}
