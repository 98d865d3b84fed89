package org.jgpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import org.jgpu.Access;
import org.jgpu.KernelParam;
import org.jgpu.KernelSignature;
import org.jgpu.ParamType;
import org.jgpu.cuda.driver.Modules;
import org.junit.jupiter.api.Test;

/**
 * Kernel arguments are laid out in one direct buffer, each at an offset aligned to its size, and
 * a launch writes the values there (needs no driver: nothing is launched).
 */
class CudaModuleArgumentsTest {

    @Test
    void eachParameterHasAnAlignedSlotAndMarshalWritesItsValueThere() {
        KernelSignature sig = KernelSignature.of("k", KernelParam.scalar("b", ParamType.B8),
                KernelParam.scalar("f", ParamType.F32), KernelParam.scalar("s", ParamType.B16),
                KernelParam.scalar("l", ParamType.B64), KernelParam.scalar("i", ParamType.B32),
                KernelParam.pointer("p", Access.READ), KernelParam.scalar("d", ParamType.F64));
        CudaModule.Function f = new CudaModule.Function(new CUfunction(), sig);
        int[] expected = {0, 4, 8, 16, 24, 32, 40};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], f.offset(i), "offset of parameter " + i);
        }
        CudaModule.Function.Fields fields = f.marshal(new Object[] {(byte) -3, 1.5f, (short) 700, 1L << 40, -9, 5L, 2.25});
        ByteBuffer v = fields.values();
        assertEquals(-3, v.get(0));
        assertEquals(1.5f, v.getFloat(4));
        assertEquals(700, v.getShort(8));
        assertEquals(1L << 40, v.getLong(16));
        assertEquals(-9, v.getInt(24));
        assertEquals(5L, v.getLong(32), "a raw address passed as a long for a .u64 parameter");
        assertEquals(2.25, v.getDouble(40));
        assertEquals(true, v.isDirect(), "a direct buffer: JCuda passes its address, no critical region");
    }

    @Test
    void launchesInFlightTogetherHaveBuffersOfTheirOwnAndAReleasedBufferServesTheNext() {
        KernelSignature sig = KernelSignature.of("k", KernelParam.scalar("i", ParamType.B32));
        CudaModule.Function f = new CudaModule.Function(new CUfunction(), sig);
        CudaModule.Function.Fields first = f.marshal(new Object[] {1});
        CudaModule.Function.Fields second = f.marshal(new Object[] {2});
        assertNotSame(first, second, "a launch on another stream, made while the first is in flight");
        assertEquals(1, first.values().getInt(0), "the first launch's argument is not overwritten by the second");
        assertEquals(2, second.values().getInt(0));
        f.release(first);
        assertSame(first, f.marshal(new Object[] {3}), "released, it is reused: steady launching allocates none");
    }

    @Test
    void aDevicePointersAddressIncludesItsByteOffset() {
        assertEquals(48L, Modules.address((CUdeviceptr) new CUdeviceptr().withByteOffset(48)));
    }
}
