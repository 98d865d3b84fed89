package org.jgpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.DeviceInfo;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What only a real device can show: properties, copies, priorities, and a sticky error (in a JVM of its own). */
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

    /**
     * A sticky error makes CUDA unusable for the rest of the process, so the scenario
     * ({@link StickyErrorScenario}) runs in a JVM of its own, started here with this test's class
     * path: under Maven or a console runner alike, nothing else in this JVM depends on it.
     */
    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void anIllegalAddressLosesTheDeviceForEveryContextAndFailsFastInItsOwnJvm() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", childClassPath(),
                StickyErrorScenario.class.getName()).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the process ended; what was read is the report
            }
        }, "scenario-output");
        reader.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            reader.join(5_000);
            fail("the scenario did not end within 120 s:\n" + out.toString(StandardCharsets.UTF_8));
        }
        reader.join(10_000);
        String report = out.toString(StandardCharsets.UTF_8);
        assumeTrue(p.exitValue() != StickyErrorScenario.UNUSABLE, () -> "cuda unusable in the child JVM: " + report);
        assertEquals(StickyErrorScenario.PASSED, p.exitValue(), report);
    }

    @Test
    void closingOneContextLeavesTheOthersOnTheDeviceWorking() {
        try (Context keep = cuda(); DeviceBuffer d = keep.allocDevice(16)) {
            keep.defaultStream().fill(d, 2f);
            try (Context other = cuda(); DeviceBuffer o = other.allocDevice(16)) {
                other.defaultStream().fill(o, 1f);
                other.synchronize();
            }
            float[] out = new float[4];
            keep.defaultStream().copy(d, out);
            assertEquals(2f, out[3], "the primary context and its memory outlive the other context");
        }
    }

    @Test
    void jgpuCallsGoToItsContextWhateverContextTheThreadMadeCurrentMeanwhile() {
        try (Context ctx = cuda(); DeviceBuffer d = ctx.allocDevice(16)) {
            ctx.defaultStream().fill(d, 1f);
            ctx.synchronize();   // jgpu's context is now current on this thread
            CUdevice dev = new CUdevice();
            assertEquals(0, JCudaDriver.cuDeviceGet(dev, 0));
            CUcontext mine = new CUcontext();
            assertEquals(0, JCudaDriver.cuCtxCreate(mine, 0, dev), "cuCtxCreate");   // and current
            try {
                try (DeviceBuffer e = ctx.allocDevice(16)) {
                    ctx.defaultStream().copy(d, e);
                    float[] out = new float[4];
                    ctx.defaultStream().copy(e, out);
                    assertEquals(1f, out[2]);
                }
            } finally {
                JCudaDriver.cuCtxDestroy(mine);
            }
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

    /**
     * @return this JVM's classes as one class path for a child: the class path and module path
     *         (the tests may run on either), plus the test classes
     */
    private static String childClassPath() throws java.net.URISyntaxException {
        StringBuilder cp = new StringBuilder(System.getProperty("java.class.path"));
        String modules = System.getProperty("jdk.module.path");
        if (modules != null && !modules.isEmpty()) {
            cp.append(java.io.File.pathSeparator).append(modules);
        }
        cp.append(java.io.File.pathSeparator)
                .append(Path.of(StickyErrorScenario.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        return cp.toString();
    }
}
