package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.HazardException;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Host buffers read and written by element index for every type, named streams, and
 * {@code Stream.time}.
 */
class StreamConveniencesConformanceTest {

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void everyTypedReadAndWriteOfAHostBufferTakesAnElementIndex(String backend) {
        try (Context ctx = Backend.open(backend); HostBuffer h = ctx.allocHost(64, "h")) {
            h.write(2, new long[] {0x0102030405060708L});           // bytes [16, 24)
            assertEquals(0x0102030405060708L, h.slice(16, 8).toLongArray()[0]);
            h.write(1, new double[] {9.0, 1.5, 2.5}, 1, 2);          // 1.5 at byte 8, 2.5 at byte 16
            assertArrayEquals(new double[] {1.5, 2.5}, h.slice(8, 16).toDoubleArray());
            double[] d = new double[3];
            h.read(1, d, 1, 2);
            assertArrayEquals(new double[] {0, 1.5, 2.5}, d);
            h.write(3, new float[] {7f, 8f, 9f}, 2, 1);             // byte 12
            assertEquals(9f, h.getFloat(3));
            h.write(5, new int[] {4, 5, 6}, 0, 2);                  // bytes [20, 28)
            assertArrayEquals(new int[] {4, 5}, h.slice(20, 8).toIntArray());
            h.write(30, new byte[] {1, 2, 3, 4}, 1, 3);             // bytes 30, 31, 32
            assertArrayEquals(new byte[] {2, 3, 4}, Arrays.copyOfRange(h.toByteArray(), 30, 33));

            long[] l = new long[4];
            Arrays.fill(l, -1);
            // from here on the writes above overlap: read back what the buffer holds now
            h.read(2, l, 1, 2);
            assertEquals(-1, l[0]);
            assertEquals(-1, l[3]);
            assertArrayEquals(h.slice(16, 16).toLongArray(), Arrays.copyOfRange(l, 1, 3));
            float[] f = new float[3];
            h.read(3, f, 2, 1);
            assertEquals(9f, f[2]);
            int[] i = new int[2];
            h.read(5, i, 0, 2);
            assertArrayEquals(new int[] {4, 5}, i);
            byte[] b = new byte[5];
            h.read(30, b, 2, 3);
            assertArrayEquals(new byte[] {0, 0, 2, 3, 4}, b);
            assertEquals(16, h.toFloatArray().length);
            assertEquals(16, h.toIntArray().length);
            assertEquals(8, h.toLongArray().length);
            assertEquals(8, h.toDoubleArray().length);
            assertEquals(64, h.toByteArray().length);
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void badRangesAndSizesOfHostBufferAccessesAreRefusedNamingThem(String backend) {
        try (Context ctx = Backend.open(backend); HostBuffer h = ctx.allocHost(64, "h")) {
            long[] l = new long[4];
            for (Executable bad : new Executable[] {
                () -> h.write(0, l, 3, 2), () -> h.read(0, l, -1, 1), () -> h.write(0, new double[4], 1, 4),
                () -> h.read(0, new byte[4], 5, 0)}) {
                IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, bad);
                assertTrue(e.getMessage().matches(".*(src|dst).*length 4.*"), e.getMessage());
            }
            assertThrows(IndexOutOfBoundsException.class, () -> h.write(7, new long[2]));     // bytes [56, 72)
            assertThrows(IndexOutOfBoundsException.class, () -> h.read(-1, new double[1]));
            assertThrows(IndexOutOfBoundsException.class, () -> h.read(61, new byte[4]));
            HostBuffer odd = h.slice(0, 12);
            assertEquals(3, odd.toFloatArray().length);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, odd::toLongArray);
            assertTrue(e.getMessage().contains("'h") && e.getMessage().contains("12 bytes")
                    && e.getMessage().contains("long"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> h.slice(0, 6).toIntArray());
            h.close();
            IllegalStateException closed = assertThrows(IllegalStateException.class, h::toDoubleArray);
            assertTrue(closed.getMessage().contains("'h'"), closed.getMessage());
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aNamedStreamIsNamedInHazardMessagesAndAnUploadIsOrderedOnlyByAnEvent(String backend) throws Exception {
        try (Context ctx = Backend.open(backend); Stream upload = ctx.createStream("upload");
                Stream compute = ctx.createStream("compute"); DeviceBuffer dev = ctx.allocDevice(4096, "batch")) {
            assertEquals("upload", upload.name());
            assertEquals("upload", upload.options().name());
            Kernel scale = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SCALE);
            upload.upload(new float[1024], dev);
            // long enough for the copy to be done: finishing is not ordering, so the race is still reported
            Thread.sleep(200);
            HazardException e = assertThrows(HazardException.class,
                    () -> compute.launch(scale, LaunchConfig.forElements(1024), dev, 2.0f, 1024));
            assertTrue(e.getMessage().contains("stream 'compute'") && e.getMessage().contains("stream 'upload'")
                    && e.getMessage().contains("'batch'") && e.getMessage().contains("compute.waitFor(upload.record())"),
                    e.getMessage());
            compute.waitFor(upload.record());
            compute.launch(scale, LaunchConfig.forElements(1024), dev, 2.0f, 1024);
            assertEquals(0f, compute.download(dev, new float[1024]).join()[1023]);
            assertThrows(IllegalArgumentException.class, () -> ctx.createStream((String) null));
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void timeGivesTheDeviceTimeOfTheWorkItsBodyEnqueues(String backend) {
        try (Context ctx = Backend.open(backend); Stream s = ctx.createStream("s")) {
            Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            Duration d = s.time(() -> s.launch(spin, LaunchConfig.forElements(1), 20_000_000L));
            assertTrue(d.toNanos() >= 15_000_000L && d.toNanos() < 5_000_000_000L, d.toString());
            assertTrue(s.query(), "time waits for the stop event");
            IllegalArgumentException nul = assertThrows(IllegalArgumentException.class, () -> s.time(null));
            assertTrue(nul.getMessage().contains("body"), nul.getMessage());
            IllegalStateException failure = new IllegalStateException("the body failed");
            assertSame(failure, assertThrows(IllegalStateException.class, () -> s.time(() -> {
                throw failure;
            })));
            assertTrue(s.time(() -> { }).toNanos() >= 0);      // still usable
            s.close();
            IllegalStateException closed = assertThrows(IllegalStateException.class, () -> s.time(() -> { }));
            assertTrue(closed.getMessage().contains("'s'"), closed.getMessage());
        }
    }
}
