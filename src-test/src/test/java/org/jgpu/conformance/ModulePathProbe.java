package org.jgpu.conformance;

import java.lang.reflect.InvocationTargetException;
import org.jgpu.BackendStatus;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.HostBuffer;
import org.jgpu.Stream;
import org.jgpu.blas.Blas;

/**
 * Run by {@link ModulePathTest} in a JVM that has jgpu's jars on the module path: opens a host
 * context (found through the module's {@code provides}), moves bytes, runs BLAS (found through {@code provides} too), lists the backends, and
 * tries to reach the core, which the module must not export. Prints one line per check.
 */
public final class ModulePathProbe {
    private ModulePathProbe() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("named " + Context.class.getModule().getName());
        for (BackendStatus b : Context.backends()) {
            System.out.println("backend " + b.name());
        }
        try (Context ctx = Context.create(ContextOptions.builder().backend("host").build());
                HostBuffer h = ctx.allocHost(16); DeviceBuffer d = ctx.allocDevice(16); HostBuffer back = ctx.allocHost(16)) {
            Stream s = ctx.createStream();
            h.asByteBuffer().put(0, (byte) 42);
            s.copy(h, d);
            s.copy(d, back);
            s.synchronize();
            System.out.println("copied " + back.asByteBuffer().get(0));
            // BLAS is found through the module's provides: its provider and its kernel twins
            DeviceBuffer v = ctx.allocDevice(16);
            s.copy(new float[] {1, 2, 3, 4}, v);
            Blas.on(s).saxpy(4, 2f, v, v);
            float[] got = new float[4];
            s.copy(v, got);
            System.out.println("saxpy " + java.util.Arrays.toString(got));
        }
        try {
            Class.forName("org.jgpu.internal.Contexts").getMethod("getDefault").invoke(null);
            System.out.println("internal reachable");
        } catch (IllegalAccessException | InvocationTargetException | NoSuchMethodException e) {
            System.out.println("internal hidden " + e.getClass().getSimpleName());
        }
    }
}
