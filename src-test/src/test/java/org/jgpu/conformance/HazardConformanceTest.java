package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgpu.Arg;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.HazardException;
import org.jgpu.HazardMode;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The classic double-buffering bugs, in each hazard mode: CHECK throws naming everything, AUTO
 * inserts the missing wait and gets the right answer, OFF lets them through.
 */
class HazardConformanceTest {
    private static final int N = 1 << 16;

    private static Stream named(Context ctx, String name) {
        return ctx.createStream(StreamOptions.builder().name(name).build());
    }

    /** Upload, then scale on another stream without waitFor: a read-after-write race on the device buffer. */
    private static void crossStreamReadWithoutWait(Context ctx, float[] result) {
        Kernel scale = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SCALE);
        Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
        Stream upload = named(ctx, "upload");
        Stream compute = named(ctx, "compute");
        float[] ones = new float[N];
        java.util.Arrays.fill(ones, 1f);
        try (HostBuffer h = ctx.allocHost(4L * N, "pinned"); DeviceBuffer d = ctx.allocDevice(4L * N, "batch")) {
            h.write(0, ones);
            upload.launch(spin, LaunchConfig.forElements(1), 20_000_000L);   // the upload is late
            upload.copy(h, d);
            compute.launch(scale, LaunchConfig.forElements(N), d, 3f, N);     // missing compute.waitFor(...)
            compute.copy(d, result);
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void checkModeRejectsAReadOnAnotherStreamWithoutWaitForAndNamesEverything(String backend) {
        try (Context ctx = Backend.open(backend, HazardMode.CHECK)) {
            HazardException e = assertThrows(HazardException.class, () -> crossStreamReadWithoutWait(ctx, new float[N]));
            assertEquals("device buffer 'batch'", e.buffer());
            assertEquals("upload", e.earlierStream());
            assertEquals("copy H2D", e.earlierOp());
            assertEquals("compute", e.laterStream());
            assertEquals("launch scale", e.laterOp());
            assertTrue(e.getMessage().contains("compute.waitFor(upload.record())"), e.getMessage());
            ctx.synchronize();   // nothing was enqueued for the rejected launch; the context still works
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void autoModeInsertsTheMissingWaitAndGetsTheRightAnswer(String backend) {
        try (Context ctx = Backend.open(backend, HazardMode.AUTO)) {
            float[] result = new float[N];
            crossStreamReadWithoutWait(ctx, result);
            float[] want = new float[N];
            java.util.Arrays.fill(want, 3f);
            assertArrayEquals(want, result);
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void offModeLetsTheRaceThrough(String backend) {
        try (Context ctx = Backend.open(backend, HazardMode.OFF)) {
            float[] result = new float[N];
            assertDoesNotThrow(() -> crossStreamReadWithoutWait(ctx, result));
            ctx.synchronize();
        }
    }

    /** Refill the pinned buffer while its upload may still be reading it. */
    private static float[] refillDuringUpload(Context ctx) {
        Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
        Stream upload = named(ctx, "upload");
        float[] first = new float[N];
        float[] second = new float[N];
        java.util.Arrays.fill(first, 1f);
        java.util.Arrays.fill(second, 2f);
        try (HostBuffer h = ctx.allocHost(4L * N, "staging"); DeviceBuffer d = ctx.allocDevice(4L * N, "batch")) {
            h.write(0, first);
            upload.launch(spin, LaunchConfig.forElements(1), 20_000_000L);
            upload.copy(h, d);
            h.write(0, second);                     // missing upload.synchronize()
            float[] got = new float[N];
            upload.copy(d, got);
            return got;
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void checkModeRejectsRefillingAHostBufferStillBeingUploaded(String backend) {
        try (Context ctx = Backend.open(backend, HazardMode.CHECK)) {
            HazardException e = assertThrows(HazardException.class, () -> refillDuringUpload(ctx));
            assertEquals("host buffer 'staging'", e.buffer());
            assertEquals("upload", e.earlierStream());
            assertEquals("host", e.laterStream());
            assertTrue(e.getMessage().contains("upload.synchronize()"), e.getMessage());
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void autoModeWaitsForTheUploadBeforeTheRefill(String backend) {
        try (Context ctx = Backend.open(backend, HazardMode.AUTO)) {
            float[] got = refillDuringUpload(ctx);
            float[] want = new float[N];
            java.util.Arrays.fill(want, 1f);
            assertArrayEquals(want, got, "the device got the first contents, not the refill");
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void offModeDoesNotCheckHostAccess(String backend) {
        try (Context ctx = Backend.open(backend, HazardMode.OFF)) {
            assertDoesNotThrow(() -> refillDuringUpload(ctx));
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void checkModeRejectsReadingADownloadNotYetSeenToFinish(String backend) {
        try (Context ctx = Backend.open(backend, HazardMode.CHECK)) {
            Stream down = named(ctx, "download");
            try (HostBuffer h = ctx.allocHost(64, "result"); DeviceBuffer d = ctx.allocDevice(64)) {
                down.copy(d, h);
                HazardException e = assertThrows(HazardException.class, () -> h.getFloat(0));
                assertEquals("copy D2H", e.earlierOp());
                down.synchronize();
                assertDoesNotThrow(() -> h.getFloat(0));
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void orderingByEventJoinOrQueryIsEnough(String backend) {
        try (Context ctx = Backend.open(backend, HazardMode.CHECK)) {
            Kernel scale = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SCALE);
            Stream a = named(ctx, "a");
            Stream b = named(ctx, "b");
            try (DeviceBuffer d = ctx.allocDevice(4L * N); HostBuffer h = ctx.allocHost(4L * N)) {
                a.fill(d, 1f);
                b.waitFor(a.record());
                b.launch(scale, LaunchConfig.forElements(N), d, 2f, N);
                a.join(b);
                a.copy(d, h);
                while (!a.query()) {
                    Thread.onSpinWait();
                }
                assertEquals(2f, h.getFloat(N - 1));
                b.launch(scale, LaunchConfig.forElements(N), Arg.in(d.slice(0, 16)), 2f, 4);
                a.fill(d.slice(64, 64), 0);   // a disjoint range: no hazard
                ctx.synchronize();
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void concurrentReadsOnTwoStreamsAreNotAHazard(String backend) {
        try (Context ctx = Backend.open(backend, HazardMode.CHECK)) {
            Kernel add = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.VECTOR_ADD);
            Stream a = named(ctx, "a");
            Stream b = named(ctx, "b");
            try (DeviceBuffer x = ctx.allocDevice(4L * N); DeviceBuffer ya = ctx.allocDevice(4L * N);
                    DeviceBuffer yb = ctx.allocDevice(4L * N)) {
                ctx.defaultStream().fill(x, 1f);
                ctx.defaultStream().synchronize();
                a.launch(add, LaunchConfig.forElements(N), x, x, ya, N);
                b.launch(add, LaunchConfig.forElements(N), x, x, yb, N);
                ctx.synchronize();
            }
        }
    }
}
