package org.jgpu.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.Diagnostic;
import org.junit.jupiter.api.Test;

/** Leak reports and the order in which a context closes what it holds. */
class HandleTest {

    private static Handle track(Context ctx) {
        return Handle.track(new Object(), Handle.Kind.MEMORY, "device buffer 'probe' (64 bytes) of " + ctx.name(), () -> { },
                ((CoreContext) ctx).scope(), Handle.OnLeak.WARN);
    }

    @Test
    void withoutCallerFramesALeakReportNamesTheObjectAndSaysHowToGetTheSite() {
        try (Context ctx = Context.create(ContextOptions.builder().backend("host").build())) {
            Handle h = track(ctx);
            String m = h.leakMessage();
            assertTrue(m.contains("device buffer 'probe' (64 bytes) of " + ctx.name()), m);
            assertTrue(m.contains("Diagnostic.CALLER_FRAMES"), m);
            assertFalse(m.contains("Allocated at"), m);
            h.closeNow();
        }
    }

    @Test
    void withCallerFramesALeakReportGivesTheAllocationSite() {
        try (Context ctx = Context.create(ContextOptions.builder().backend("host")
                .diagnostics(EnumSet.of(Diagnostic.CALLER_FRAMES)).build())) {
            Handle h = track(ctx);
            String m = h.leakMessage();
            assertTrue(m.contains("device buffer 'probe' (64 bytes)"), m);
            assertTrue(m.contains("Allocated at"), m);
            h.closeNow();
        }
    }

    @Test
    void graphsCloseBeforeModulesAndStreamsLast() {
        // a context closes its handles sorted by kind: a graph names kernels of a module
        assertTrue(Handle.Kind.GRAPH.compareTo(Handle.Kind.MODULE) < 0, "graphs must close before modules");
        assertTrue(Handle.Kind.MODULE.compareTo(Handle.Kind.STREAM) < 0, "streams close last");
        assertTrue(Handle.Kind.MEMORY.compareTo(Handle.Kind.GRAPH) < 0);
    }
}
