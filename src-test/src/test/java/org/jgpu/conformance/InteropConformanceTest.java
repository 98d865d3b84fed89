package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.HazardException;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.jgpu.StreamOwnership;
import org.jgpu.StreamPriorityRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Streams made elsewhere, used as borrowed jgpu streams: hazard-tracked like any other, never
 * destroyed by jgpu. The owner here is another context on the same device (on CUDA both share
 * the device's primary context, as CuPy's or PyTorch's streams would).
 */
class InteropConformanceTest {

    private static float[] read(Stream s, DeviceBuffer b) {
        float[] v = new float[(int) (b.size() / 4)];
        s.copy(b, v);
        return v;
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void workOnABorrowedStreamIsHazardTracked(String backend) {
        try (Context owner = Backend.open(backend); Context ctx = Backend.open(backend)) {
            Stream native1 = owner.createStream(StreamOptions.builder().name("theirs").build());
            Stream borrowed = ctx.borrowStream(native1.nativeHandle(), "borrowed");
            assertEquals(StreamOwnership.BORROWED, borrowed.ownership());
            assertEquals(StreamOwnership.OWNED, native1.ownership());
            assertEquals(StreamOwnership.DEFAULT, ctx.defaultStream().ownership());
            assertEquals("borrowed", borrowed.name());
            assertEquals(native1.nativeHandle(), borrowed.nativeHandle());
            Stream mine = ctx.createStream(StreamOptions.builder().name("mine").build());
            DeviceBuffer x = ctx.allocDevice(256, "x");
            mine.fill(x, 1f);
            HazardException h = assertThrows(HazardException.class, () -> borrowed.fill(x, 2f));
            assertEquals("mine", h.earlierStream());
            borrowed.waitFor(mine.record());
            borrowed.fill(x, 2f);
            mine.waitFor(borrowed.record());
            assertEquals(2f, read(mine, x)[63]);
            borrowed.close();
            assertFalse(borrowed.isOpen());
            assertThrows(IllegalStateException.class, borrowed::nativeHandle);
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void closingTheBorrowedStreamOrItsContextLeavesTheNativeStreamToItsOwner(String backend) {
        try (Context owner = Backend.open(backend)) {
            Stream theirs = owner.createStream(StreamOptions.builder().name("theirs").build());
            long handle = theirs.nativeHandle();
            DeviceBuffer y = owner.allocDevice(64, "y");
            try (Context ctx = Backend.open(backend)) {
                DeviceBuffer x = ctx.allocDevice(64, "x");
                try (Stream b = ctx.borrowStream(handle, "b")) {
                    b.fill(x, 3f);
                }
                // detached, not destroyed: its owner uses it, and it can be borrowed again
                theirs.fill(y, 4f);
                theirs.synchronize();
                Stream again = ctx.borrowStream(handle, "again");
                again.fill(x, 5f);
                assertEquals(5f, read(again, x)[0]);
            }   // closing the borrowing context detaches from it too
            theirs.fill(y, 6f);
            assertEquals(6f, read(theirs, y)[15]);
            try (Context third = Backend.open(backend); Stream b = third.borrowStream(handle, "third")) {
                b.synchronize();
            }
            theirs.close();
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void handlesThatNameNoStreamToBorrowAreRefusedByName(String backend) {
        try (Context owner = Backend.open(backend); Context ctx = Backend.open(backend)) {
            Stream own = ctx.createStream(StreamOptions.builder().name("own").build());
            IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
                    () -> ctx.borrowStream(own.nativeHandle(), "twice"));
            assertTrue(same.getMessage().contains("'own'") && same.getMessage().contains("already"), same.getMessage());
            long defaultHandle = owner.defaultStream().nativeHandle();
            IllegalArgumentException def = assertThrows(IllegalArgumentException.class,
                    () -> ctx.borrowStream(defaultHandle, "default"));
            assertTrue(def.getMessage().contains("defaultStream()"), def.getMessage());
            IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> ctx.borrowStream(0, "zero"));
            assertTrue(zero.getMessage().contains("handle 0"), zero.getMessage());
            if (backend.equals("host")) {
                // on CUDA a handle that names no stream is a dangling pointer the driver may crash on
                Stream closed = owner.createStream();
                long h = closed.nativeHandle();
                closed.close();
                IllegalArgumentException gone = assertThrows(IllegalArgumentException.class,
                        () -> ctx.borrowStream(h, "gone"));
                assertTrue(gone.getMessage().contains("handle " + h) && gone.getMessage().contains("'gone'"),
                        gone.getMessage());
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void ofThreadsBorrowingOneHandleAtOnceExactlyOneSucceeds(String backend) throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        // the owner's stream is held open: dropped, the leak cleaner would close it mid-test
        try (Context owner = Backend.open(backend); Context ctx = Backend.open(backend);
                Stream theirs = owner.createStream(StreamOptions.builder().name("theirs").build())) {
            long handle = theirs.nativeHandle();
            for (int round = 0; round < 1000; round++) {
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Stream>> tries = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String n = "b" + round + "-" + t;
                    tries.add(pool.submit(() -> {
                        start.await();
                        try {
                            return ctx.borrowStream(handle, n);
                        } catch (IllegalArgumentException refused) {
                            assertTrue(refused.getMessage().contains("already"), refused.getMessage());
                            return null;
                        }
                    }));
                }
                List<Stream> borrowed = new ArrayList<>();
                for (Future<Stream> f : tries) {
                    Stream b = f.get(20, TimeUnit.SECONDS);
                    if (b != null) {
                        borrowed.add(b);
                    }
                }
                borrowed.forEach(Stream::close);
                assertEquals(1, borrowed.size(), "round " + round + ": borrows of one handle that succeeded");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void thePriorityRangeIsSaneAndCreateStreamClampsIntoIt(String backend) {
        try (Context ctx = Backend.open(backend)) {
            StreamPriorityRange r = ctx.streamPriorityRange();
            assertTrue(r.greatest() <= r.least(), r.toString());
            assertTrue(r.contains(0), "0 is a priority every device honours: " + r);
            try (Stream high = ctx.createStream(StreamOptions.builder().priority(r.greatest() - 10).build());
                    Stream low = ctx.createStream(StreamOptions.builder().priority(r.least() + 10).build())) {
                assertEquals(r.greatest(), high.priority());
                assertEquals(r.least(), low.priority());
                assertEquals(r.clamp(r.greatest() - 10), high.priority());
            }
            ctx.close();
            assertThrows(IllegalStateException.class, ctx::streamPriorityRange);
        }
    }
}
