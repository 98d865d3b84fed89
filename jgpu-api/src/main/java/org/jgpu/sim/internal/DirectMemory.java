package org.jgpu.sim.internal;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/**
 * Java's direct memory, which holds the host backend's buffers: how much is left under
 * {@code -XX:MaxDirectMemorySize}, for out-of-memory reports.
 */
final class DirectMemory {
    private DirectMemory() {
    }

    /**
     * Direct memory not in use by live or not yet collected buffers.
     *
     * @return bytes free, or -1 where the JVM does not say
     */
    static long free() {
        try {
            long limit = limit();
            for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
                if (pool.getName().equals("direct")) {
                    return limit < 0 ? -1 : Math.max(0, limit - pool.getMemoryUsed());
                }
            }
            return -1;
        } catch (RuntimeException | LinkageError e) {
            // a runtime without java.management or jdk.management: the report says "free unknown"
            return -1;
        }
    }

    /** @return {@code -XX:MaxDirectMemorySize}, which defaults to the maximum heap size, or -1 if unknown */
    private static long limit() {
        com.sun.management.HotSpotDiagnosticMXBean vm =
                ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        if (vm == null) {
            return -1;
        }
        long set = Long.parseLong(vm.getVMOption("MaxDirectMemorySize").getValue());
        return set > 0 ? set : Runtime.getRuntime().maxMemory();
    }
}
