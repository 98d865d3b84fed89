package org.jgpu.sim;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import org.jgpu.sim.internal.BundledTwins;

/**
 * The registry of Java twins the host backend runs kernels with.
 *
 * <p>Holds the twins of the bundled kernels, those listed in
 * {@code META-INF/services/org.jgpu.sim.KernelTwin}, and those registered here.
 */
public final class KernelTwins {
    private static final Map<String, KernelTwin> TWINS = new ConcurrentHashMap<>();

    static {
        for (KernelTwin t : BundledTwins.all()) {
            TWINS.put(t.signature().name(), t);
        }
        for (KernelTwin t : ServiceLoader.load(KernelTwin.class)) {
            TWINS.put(t.signature().name(), t);
        }
    }

    private KernelTwins() {
    }

    /**
     * Registers (or replaces) the twin of the kernel with the twin's name.
     *
     * @param twin the twin
     * @throws IllegalArgumentException if twin is null
     */
    public static void register(KernelTwin twin) {
        if (twin == null) {
            throw new IllegalArgumentException("twin must not be null");
        }
        TWINS.put(twin.signature().name(), twin);
    }

    /**
     * @param name a kernel name
     * @return its twin, or null
     */
    public static KernelTwin find(String name) {
        return TWINS.get(name);
    }
}
