package org.jgpu.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.Kernel;
import org.jgpu.KernelArgumentException;
import org.jgpu.KernelArgs;
import org.jgpu.LaunchConfig;
import org.jgpu.KernelModule;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Arguments kept from launch to launch: launched as given, refused as varargs are, no box for a steady value. */
class KernelArgsTest {
    private Context ctx;
    private KernelModule module;
    private Kernel scale;

    @BeforeEach
    void open() {
        ctx = Context.create(ContextOptions.builder().backend("host").build());
        module = ctx.loadModule(ModuleSource.bundled());
        scale = module.kernel(BundledKernels.SCALE);
    }

    @AfterEach
    void close() {
        ctx.close();
    }

    @Test
    void argumentsSetAgainBetweenLaunchesLaunchWithTheirValuesAtEachLaunch() {
        try (Stream s = ctx.createStream(); DeviceBuffer x = ctx.allocDevice(16, "x"); DeviceBuffer y = ctx.allocDevice(16, "y")) {
            s.copy(new float[] {1, 2, 3, 4}, x);
            s.copy(new float[] {1, 1, 1, 1}, y);
            KernelArgs a = scale.args().set(0, x).set(1, 2f).set(2, 4);
            s.launch(scale, LaunchConfig.forElements(4), a);
            s.launch(scale, LaunchConfig.forElements(4), a.set(0, y).set(1, 3f));
            float[] gotX = new float[4];
            float[] gotY = new float[4];
            s.copy(x, gotX);
            s.copy(y, gotY);
            assertArrayEquals(new float[] {2, 4, 6, 8}, gotX);
            assertArrayEquals(new float[] {3, 3, 3, 3}, gotY);
        }
    }

    @Test
    void aScalarSetToTheValueItHoldsKeepsItsBox() {
        CoreKernelArgs a = (CoreKernelArgs) scale.args().set(1, 1000.5f).set(2, 100_000);
        Object factor = a.values()[1];
        Object n = a.values()[2];
        a.set(1, 1000.5f).set(2, 100_000);
        assertSame(factor, a.values()[1]);
        assertSame(n, a.values()[2]);
        a.set(1, -1000.5f);
        assertNotSame(factor, a.values()[1]);
        assertEquals(-1000.5f, a.values()[1]);
    }

    @Test
    void badArgumentsAreRefusedAsVarargsAreAndAnIndexOutsideTheKernelAtOnce() {
        try (Stream s = ctx.createStream(); DeviceBuffer x = ctx.allocDevice(16, "x")) {
            IndexOutOfBoundsException range = assertThrows(IndexOutOfBoundsException.class, () -> scale.args().set(3, 1));
            assertTrue(range.getMessage().contains("kernel 'scale' has 3 parameters") && range.getMessage().contains("index 3"),
                    range.getMessage());
            KernelArgs unset = scale.args().set(0, x).set(2, 4);
            KernelArgumentException e = assertThrows(KernelArgumentException.class,
                    () -> s.launch(scale, LaunchConfig.forElements(4), unset));
            assertTrue(e.getMessage().contains("parameter 1") && e.getMessage().contains("got null"), e.getMessage());
            KernelArgs mistyped = scale.args().set(0, x).set(1, 2).set(2, 4);
            e = assertThrows(KernelArgumentException.class, () -> s.launch(scale, LaunchConfig.forElements(4), mistyped));
            assertTrue(e.getMessage().contains("expects float, got Integer"), e.getMessage());
            Kernel other = module.kernel(BundledKernels.SAXPY);
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                    () -> s.launch(other, LaunchConfig.forElements(4), scale.args().set(0, x).set(1, 2f).set(2, 4)));
            assertTrue(wrong.getMessage().contains("another kernel than 'saxpy'") && wrong.getMessage().contains("kernel.args()"),
                    wrong.getMessage());
        }
    }
}
