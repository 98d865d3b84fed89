package org.jgpu.conformance;

import java.util.EnumSet;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.EventOption;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.KernelModule;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;

/** One of each object, for running the operation list against. */
final class Fixture implements AutoCloseable {
    static final int N = 1024;
    static final long BYTES = 4L * N;

    /** The objects an operation may use; closing any of them makes it fail naming that object. */
    enum Target {
        CONTEXT, STREAM, OTHER_STREAM, EVENT, HOST_BUFFER, DEVICE_BUFFER, DEVICE_BUFFER_2, MODULE
    }

    final Context ctx;
    final Stream stream;
    final Stream other;
    final HostBuffer host;
    final DeviceBuffer dev;
    final DeviceBuffer dev2;
    final Event event;
    final Event start;
    final KernelModule module;
    final Kernel scale;
    final Kernel spin;

    Fixture(Context ctx) {
        this.ctx = ctx;
        this.stream = ctx.createStream(StreamOptions.builder().name("s").build());
        this.other = ctx.createStream(StreamOptions.builder().name("o").build());
        this.host = ctx.allocHost(BYTES, "h");
        this.dev = ctx.allocDevice(BYTES, "d");
        this.dev2 = ctx.allocDevice(BYTES, "d2");
        this.module = ctx.loadModule(ModuleSource.bundled());
        this.scale = module.kernel(BundledKernels.SCALE);
        this.spin = module.kernel(BundledKernels.SPIN);
        this.start = ctx.createEvent(EnumSet.of(EventOption.TIMING));
        this.event = ctx.createEvent(EnumSet.of(EventOption.TIMING));
        stream.fill(dev, 0);
        stream.fill(dev2, 0);
        stream.record(start);
        stream.record(event);
        stream.synchronize();
    }

    /** @return the name an error about this object must contain */
    String nameOf(Target t) {
        switch (t) {
            case CONTEXT: return ctx.name();
            case STREAM: return "'" + stream.name() + "'";
            case OTHER_STREAM: return "'" + other.name() + "'";
            case EVENT: return "'" + event.name() + "'";
            case HOST_BUFFER: return "'" + host.name() + "'";
            case DEVICE_BUFFER: return "'" + dev.name() + "'";
            case DEVICE_BUFFER_2: return "'" + dev2.name() + "'";
            case MODULE: return "'" + module.name() + "'";
            default: throw new IllegalArgumentException(t.name());
        }
    }

    void close(Target t) {
        switch (t) {
            case CONTEXT: ctx.close(); break;
            case STREAM: stream.close(); break;
            case OTHER_STREAM: other.close(); break;
            case EVENT: event.close(); break;
            case HOST_BUFFER: host.close(); break;
            case DEVICE_BUFFER: dev.close(); break;
            case DEVICE_BUFFER_2: dev2.close(); break;
            case MODULE: module.close(); break;
            default: throw new IllegalArgumentException(t.name());
        }
    }

    @Override
    public void close() {
        ctx.close();
    }
}
