package org.jgpu.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.GpuException;
import org.jgpu.Stream;
import org.junit.jupiter.api.Test;

/** A library's one object per stream: made once, closed with the stream, its close failures reported. */
class AttachmentTest {

    /** Counts its closes, and fails them when told to. */
    static final class Counted implements AutoCloseable {
        final AtomicInteger closes = new AtomicInteger();
        final boolean fail;

        Counted(boolean fail) {
            this.fail = fail;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
            if (fail) {
                throw new IllegalStateException("library handle would not close");
            }
        }
    }

    private static Context host() {
        return Context.create(ContextOptions.builder().backend("host").build());
    }

    @Test
    void oneAttachmentPerStreamAndTypeClosedOnceWithItsStream() {
        try (Context ctx = host()) {
            Stream s = ctx.createStream();
            AtomicInteger made = new AtomicInteger();
            Counted a = Extensions.attachment(s, Counted.class, n -> {
                made.incrementAndGet();
                return new Counted(false);
            });
            assertSame(a, Extensions.attachment(s, Counted.class, n -> new Counted(false)));
            assertEquals(1, made.get());
            s.close();
            assertEquals(1, a.closes.get());
            assertThrows(IllegalStateException.class, () -> Extensions.attachment(s, Counted.class, n -> new Counted(false)));
            assertTrue(!Extensions.detach(s, Counted.class, a), "already closed by the stream");
        }
    }

    @Test
    void aFailedCloseWithTheStreamIsRethrownByTheNextSynchronize() {
        try (Context ctx = host()) {
            Stream s = ctx.createStream();
            Counted a = Extensions.attachment(s, Counted.class, n -> new Counted(true));
            s.close();
            assertEquals(1, a.closes.get());
            GpuException e = assertThrows(GpuException.class, ctx::synchronize);
            assertTrue(String.valueOf(e.getMessage()).contains("would not close")
                    || String.valueOf(e.getCause()).contains("would not close"), e.toString());
        }
    }

    @Test
    void aFailedCloseWithTheContextFailsTheContextsClose() {
        Context ctx = host();
        Stream s = ctx.createStream();
        Counted a = Extensions.attachment(s, Counted.class, n -> new Counted(true));
        IllegalStateException e = assertThrows(IllegalStateException.class, ctx::close);
        assertEquals("library handle would not close", e.getMessage());
        assertEquals(1, a.closes.get());
        assertTrue(!ctx.isOpen());
    }
}
