package org.jgpu.sim.internal;

import org.jgpu.sim.KernelTwin;
import org.jgpu.sim.KernelCall;
import org.jgpu.sim.KernelTwins;
import org.jgpu.sim.EngineModel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import org.jgpu.Access;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.GpuException;
import org.jgpu.KernelParam;
import org.jgpu.KernelSignature;
import org.jgpu.LaunchConfig;
import org.jgpu.KernelModule;
import org.jgpu.ModuleSource;
import org.jgpu.ParamType;
import org.jgpu.Stream;
import org.junit.jupiter.api.Test;

/** A user's PTX runs on the host backend through a registered twin, and fails clearly without one. */
class KernelTwinTest {
    private static final String PTX = ".version 9.0\n.target sm_75\n.address_size 64\n"
            + ".visible .entry negate(\n.param .u64 negate_param_0,\n.param .u32 negate_param_1\n)\n{\nret;\n}\n"
            + ".visible .entry untwinned(\n.param .u32 p\n)\n{\nret;\n}\n"
            + ".visible .entry mismatched(\n.param .f64 p\n)\n{\nret;\n}\n";

    private static Context host() {
        return Context.create(ContextOptions.builder().backend("host").build());
    }

    private static KernelTwin negate() {
        return new KernelTwin() {
            @Override
            public KernelSignature signature() {
                return KernelSignature.of("negate", KernelParam.pointer("x", Access.READ_WRITE),
                        KernelParam.scalar("n", ParamType.B32));
            }

            @Override
            public void run(KernelCall call) {
                FloatBuffer x = call.floats(0);
                for (int i = 0; i < call.intArg(1); i++) {
                    x.put(i, -x.get(i));
                }
            }

            @Override
            public long modelledNanos(KernelCall call, EngineModel model) {
                return model.deviceNanos(8L * call.intArg(1));
            }
        };
    }

    @Test
    void aRegisteredTwinRunsTheUsersPtxKernel() {
        KernelTwins.register(negate());
        try (Context ctx = host(); DeviceBuffer d = ctx.allocDevice(16)) {
            KernelModule m = ctx.loadModule(ModuleSource.ptx(PTX));
            Stream s = ctx.createStream();
            s.copy(new float[] {1, -2, 3, 0}, d);
            s.launch(m.kernel("negate"), LaunchConfig.forElements(4), d, 4);
            float[] out = new float[4];
            s.copy(d, out);
            assertArrayEquals(new float[] {-1, 2, -3, -0f}, out);
        }
    }

    @Test
    void aKernelWithoutATwinFailsSayingHowToRegisterOne() {
        try (Context ctx = host()) {
            KernelModule m = ctx.loadModule(ModuleSource.ptx(PTX));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.kernel("untwinned"));
            assertTrue(e.getMessage().contains("'untwinned'") && e.getMessage().contains("KernelTwins.register"),
                    e.getMessage());
        }
    }

    @Test
    void aTwinWhoseParametersDisagreeWithThePtxIsRejected() {
        KernelTwins.register(new KernelTwin() {
            @Override
            public KernelSignature signature() {
                return KernelSignature.of("mismatched", KernelParam.scalar("p", ParamType.F32));
            }

            @Override
            public void run(KernelCall call) {
            }

            @Override
            public long modelledNanos(KernelCall call, EngineModel model) {
                return 0;
            }
        });
        try (Context ctx = host()) {
            KernelModule m = ctx.loadModule(ModuleSource.ptx(PTX));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.kernel("mismatched"));
            assertTrue(e.getMessage().contains("f64") && e.getMessage().contains("f32"), e.getMessage());
        }
    }

    @Test
    void ptxWithAnUnsupportedParameterFailsToLoadNamingIt() {
        try (Context ctx = host()) {
            GpuException e = assertThrows(GpuException.class, () -> ctx.loadModule(
                    ModuleSource.ptx(".entry k(.param .align 8 .b8 k_param_0[24])\n{\n}")));
            assertTrue(e.getMessage().contains("k_param_0"), e.getMessage());
        }
    }
}
