package org.jgpu.conformance;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jgpu.Access;
import org.jgpu.Context;
import org.jgpu.Kernel;
import org.jgpu.KernelParam;
import org.jgpu.KernelSignature;
import org.jgpu.ModuleSource;
import org.jgpu.ParamType;
import org.jgpu.sim.EngineModel;
import org.jgpu.sim.KernelTwins;
import org.jgpu.sim.KernelCall;
import org.jgpu.sim.KernelTwin;

/**
 * A kernel that counts its runs where the test can see them even after its context is gone:
 * {@code stress_probe(const void* x, int counter)}. On the host backend its twin adds one to a
 * Java counter each time it runs, so a test can tell whether every launch that was accepted
 * had run by the time a close returned. On a GPU it does nothing (its PTX is an empty kernel),
 * and {@link #counts(String)} says so.
 */
final class StressProbe {
    static final String NAME = "stress_probe";
    static final KernelSignature SIGNATURE = KernelSignature.of(NAME, KernelParam.pointer("x", Access.READ),
            KernelParam.scalar("counter", ParamType.B32));
    private static final String PTX = ".version 7.0\n.target sm_50\n.address_size 64\n\n"
            + ".visible .entry stress_probe(\n\t.param .u64 stress_probe_param_0,\n\t.param .u32 stress_probe_param_1\n)\n"
            + "{\n\tret;\n}\n";
    private static final AtomicLongArray RUNS = new AtomicLongArray(1 << 16);
    private static final AtomicInteger NEXT = new AtomicInteger();

    static {
        KernelTwins.register(new KernelTwin() {
            @Override
            public KernelSignature signature() {
                return SIGNATURE;
            }

            @Override
            public void run(KernelCall call) {
                RUNS.incrementAndGet(call.intArg(1));
            }

            @Override
            public long modelledNanos(KernelCall call, EngineModel model) {
                return 1_000;
            }
        });
    }

    private StressProbe() {
    }

    /** @return the probe kernel, loaded into {@code ctx} */
    static Kernel load(Context ctx) {
        return ctx.loadModule(ModuleSource.ptx(PTX)).kernel(NAME, SIGNATURE);
    }

    /** @return a counter of its own for one experiment */
    static int newCounter() {
        int i = Math.floorMod(NEXT.getAndIncrement(), RUNS.length());
        RUNS.set(i, 0);
        return i;
    }

    /** @return how many probe launches with {@code counter} have run */
    static long runs(int counter) {
        return RUNS.get(counter);
    }

    /** @return whether runs are counted on this backend (on a GPU the probe runs but counts nothing) */
    static boolean counts(String backend) {
        return backend.equals("host");
    }
}
