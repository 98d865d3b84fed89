package org.jgpu.internal;

/**
 * Whether the current thread is running a jgpu host callback (or a continuation that its
 * future runs), so that a {@code synchronize()} made there leaves the errors other callbacks
 * stored to the application's own synchronize.
 */
final class Callbacks {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Callbacks() {
    }

    static void enter() {
        DEPTH.get()[0]++;
    }

    static void exit() {
        DEPTH.get()[0]--;
    }

    /** @return true on a thread that is running a callback */
    static boolean inCallback() {
        return DEPTH.get()[0] > 0;
    }
}
