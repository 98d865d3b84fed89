package org.jgpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.jgpu.AsyncOperationException;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.CudaException;
import org.jgpu.DeviceBuffer;
import org.jgpu.DeviceInfo;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What only a real device can show: properties, sticky errors, and recovery after them. */
class CudaBackendTest {

    @BeforeEach
    void needsADevice() {
        var a = new CudaBackendProvider().probe();
        assumeTrue(a.usable(), () -> "cuda backend skipped: " + a.reason());
    }

    private static Context cuda() {
        return Context.create(ContextOptions.builder().backend("cuda").build());
    }

    @Test
    void deviceInfoComesFromTheDriver() {
        try (Context ctx = cuda()) {
            DeviceInfo d = ctx.device();
            assertEquals("cuda", d.backend());
            assertTrue(!d.simulated() && d.totalMemoryBytes() > 0 && d.maxThreadsPerBlock() >= 1024, d.toString());
            assertTrue(d.computeCapability().matches("\\d+\\.\\d+"), d.computeCapability());
            assertTrue(ctx.memoryInfo().freeBytes() > 0);
        }
    }

    @Test
    void anIllegalAddressLosesTheContextNamesTheLaunchAndANewContextWorks() {
        Context ctx = cuda();
        // the PTX itself, not the contract: its .u64 parameter takes a raw address
        Kernel scale = ctx.loadModule(ModuleSource.resource(getClass().getClassLoader(), BundledKernels.PTX_RESOURCE))
                .kernel(BundledKernels.SCALE);
        Stream s = ctx.createStream(StreamOptions.builder().name("faulty").build());
        s.launch(scale, LaunchConfig.forElements(1 << 20), 16L, 2f, 1 << 20);   // address 16: not ours
        AsyncOperationException e = assertThrows(AsyncOperationException.class, s::synchronize);
        assertTrue(e.getMessage().contains("launch scale") && e.getMessage().contains("'faulty'"), e.getMessage());
        CudaException cause = (CudaException) e.getCause();
        assertTrue(cause.isSticky(), cause.getMessage());
        CudaException fast = assertThrows(CudaException.class, () -> ctx.allocDevice(16));
        assertTrue(fast.getMessage().contains("lost"), fast.getMessage());
        try {
            ctx.close();
        } catch (RuntimeException expected) {
            // closing a lost context reports its error once more; it is released all the same
        }
        try (Context again = cuda(); DeviceBuffer d = again.allocDevice(64)) {
            again.defaultStream().fill(d, 1f);
            again.synchronize();
        }
    }

    @Test
    void pageableCopiesAndPrioritiesWork() {
        try (Context ctx = cuda(); DeviceBuffer d = ctx.allocDevice(16)) {
            Stream high = ctx.createStream(StreamOptions.builder().priority(-1000).build());
            assertTrue(high.priority() <= 0, "clamped into the device's range: " + high.priority());
            float[] in = {1, 2, 3, 4};
            float[] out = new float[4];
            high.copy(in, d);
            high.copy(d, out);
            assertEquals(3f, out[2]);
        }
    }
}
