package org.jgpu.sim.internal;

import java.util.ArrayList;
import java.util.List;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.HostBuffer;
import org.jgpu.Stream;

/**
 * Allocates and closes host-backend buffers of every kind, four times the JVM's direct-memory
 * limit in all, while keeping every closed buffer object reachable; prints {@code ok} when all
 * allocations succeeded. {@link ClosedBufferMemoryTest} runs it in a JVM with a small limit.
 */
public final class ClosedBufferChurn {
    private static final long MIB = 1L << 20;

    private ClosedBufferChurn() {
    }

    /**
     * @param args {@code [megabytes]}: how much of each kind to allocate in 1 MiB buffers
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        List<AutoCloseable> kept = new ArrayList<>();
        try (Context ctx = Context.create(ContextOptions.builder().backend("host").build()); Stream s = ctx.createStream()) {
            for (int i = 0; i < rounds; i++) {
                DeviceBuffer d = ctx.allocDevice(MIB);
                s.fill(d, i);
                d.close();
                kept.add(d);
                HostBuffer h = ctx.allocHost(MIB);
                h.putFloat(0, i);
                h.close();
                kept.add(h);
                // a new size each time: none is reused, so freed ones pile up in the stream-ordered pool
                DeviceBuffer a = ctx.allocAsync(MIB + 4096L * i, s);
                s.fill(a, i);
                a.close();
                kept.add(a);
            }
            s.synchronize();
        }
        System.out.println("ok " + kept.size());
    }
}
