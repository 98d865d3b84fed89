package org.jgpu.internal;

import java.util.List;
import org.jgpu.Access;
import org.jgpu.Arg;
import org.jgpu.Buffer;
import org.jgpu.HostAllocOption;
import org.jgpu.DeviceBuffer;
import org.jgpu.DeviceInfo;
import org.jgpu.Dim3;
import org.jgpu.HostBuffer;
import org.jgpu.KernelArgumentException;
import org.jgpu.KernelParam;
import org.jgpu.KernelSignature;
import org.jgpu.LaunchConfig;
import org.jgpu.ParamType;
import org.jgpu.internal.hazard.Touch;
import org.jgpu.spi.DevicePointer;

/**
 * Checks launch configurations and arguments against the device and the kernel's parameters.
 *
 * <p>PTX declares pointers as {@code .u64}, so a {@link ParamType#B64} parameter read from PTX
 * (which {@link org.jgpu.spi.PtxEntries} marks {@link Access#READ_WRITE}, as for a bare buffer)
 * takes a buffer or a {@code long}. A {@code B64} parameter declared with
 * {@link KernelParam#scalar} (access {@link Access#READ}, as in the bundled contracts) is a
 * number: a buffer passed there is rejected, never passed on as its address.
 */
final class KernelArguments {
    private KernelArguments() {
    }

    /**
     * Arguments ready for the backend, and what the launch reads and writes.
     *
     * @param args boxed scalars and {@link DevicePointer}s (the buffers themselves)
     * @param touches buffer accesses for the hazard tracker, one per buffer argument
     */
    record Prepared(Object[] args, Touch[] touches) {
    }

    static void checkConfig(String kernel, LaunchConfig c, DeviceInfo d) {
        Dim3 b = c.block();
        if (b.volume() > d.maxThreadsPerBlock()) {
            throw new IllegalArgumentException("launch of '" + kernel + "': block " + b + " has " + b.volume()
                    + " threads, more than the device limit of " + d.maxThreadsPerBlock() + " threads per block");
        }
        checkDims(kernel, "block", b, d.maxBlock());
        checkDims(kernel, "grid", c.grid(), d.maxGrid());
        if (c.sharedMemoryBytes() > d.maxSharedMemoryPerBlock()) {
            throw new IllegalArgumentException("launch of '" + kernel + "': " + c.sharedMemoryBytes()
                    + " bytes of shared memory per block, more than the device limit of " + d.maxSharedMemoryPerBlock());
        }
    }

    private static void checkDims(String kernel, String what, Dim3 v, Dim3 max) {
        if (v.x() > max.x() || v.y() > max.y() || v.z() > max.z()) {
            throw new IllegalArgumentException("launch of '" + kernel + "': " + what + " " + v
                    + " exceeds the device limit " + max);
        }
    }

    /**
     * Checks a launch's arguments against the kernel's signature and, for a bundled kernel, its
     * contract's rules (counts, buffer sizes and alignment: {@link BundledArguments}), and makes
     * the launch: the one object a launch allocates besides its array of touches.
     *
     * @param stream the stream's name, for the tag
     * @param caller the enqueuing frame, or null
     * @throws KernelArgumentException if an argument does not fit
     */
    static TaggedOp.Launch launch(Scope scope, CoreKernel kernel, LaunchConfig config, Object[] given, String stream,
            StackTraceElement caller) {
        KernelSignature sig = kernel.signature();
        Object[] args = checkCount(sig, given);
        Touch[] touches = touchesFor(args);
        Object[] out = convert(scope, sig, args, touches);
        if (kernel.bundledRules != null) {
            BundledArguments.check(sig, kernel.bundledRules, args, out);
        }
        return new TaggedOp.Launch(stream, caller, kernel, config, out, touches);
    }

    /**
     * {@link #launch}'s checks and conversion alone, for a signature.
     *
     * @throws KernelArgumentException if an argument does not fit
     */
    static Prepared prepare(Scope scope, KernelSignature sig, Object[] given) {
        Object[] args = checkCount(sig, given);
        Touch[] touches = touchesFor(args);
        return new Prepared(convert(scope, sig, args, touches), touches);
    }

    private static Object[] checkCount(KernelSignature sig, Object[] given) {
        Object[] args = given == null ? NO_ARGS : given;
        int expected = sig.params().size();
        if (args.length != expected) {
            throw new KernelArgumentException(sig.name(), -1, "kernel '" + sig.name() + "' takes " + expected
                    + " argument" + (expected == 1 ? "" : "s") + " " + sig + ", got " + args.length);
        }
        return args;
    }

    /** @return an array for one touch per argument that is (or wraps) a buffer */
    private static Touch[] touchesFor(Object[] args) {
        int buffers = 0;
        for (Object a : args) {
            if (a instanceof CoreBuffer || a instanceof Arg) {
                buffers++;
            }
        }
        return buffers == 0 ? NO_TOUCHES : new Touch[buffers];
    }

    /**
     * The fast path makes class checks only (interface checks against boxed scalars are slow
     * on HotSpot) and builds no text; whatever it does not accept goes to {@link #refuse},
     * which makes the checks and messages of the full rules.
     *
     * @param touches filled with the buffers' accesses, one per buffer argument
     * @return the backend's arguments: {@code args} itself unless an {@link Arg} needs unwrapping
     */
    private static Object[] convert(Scope scope, KernelSignature sig, Object[] args, Touch[] touches) {
        List<KernelParam> params = sig.params();
        int n = args.length;
        boolean wrapped = false;
        for (Object a : args) {
            if (a instanceof Arg) {
                wrapped = true;
                break;
            }
        }
        // the caller's array goes to the backend as it is unless an Arg needs unwrapping
        Object[] out = wrapped ? new Object[n] : args;
        int t = 0;
        for (int i = 0; i < n; i++) {
            KernelParam p = params.get(i);
            Object a = args[i];
            CoreBuffer b = a instanceof CoreBuffer cb ? cb : a instanceof Arg arg && arg.buffer() instanceof CoreBuffer cb ? cb : null;
            if (b != null && takesPointer(p) && b.isDeviceVisible() && b.scope() == scope) {
                b.ensureOpen();
                Access access = a instanceof Arg arg ? arg.access() : p.access();
                touches[t++] = b.touch(access.reads(), access.writes());
                if (wrapped) {
                    out[i] = b;
                }
            } else if (matches(p.type(), a)) {
                if (wrapped) {
                    out[i] = a;
                }
            } else {
                throw refuse(scope, sig, i, p, a);
            }
        }
        return out;
    }

    private static final Object[] NO_ARGS = {};
    private static final Touch[] NO_TOUCHES = {};

    /** Whether a parameter may take a buffer: a pointer, or a {@code .u64} from PTX. */
    private static boolean takesPointer(KernelParam p) {
        return p.type() == ParamType.POINTER || p.type() == ParamType.B64 && !isDeclaredLong(p);
    }

    /**
     * An argument the fast path did not accept: a buffer of another context or not made by
     * jgpu is refused as such, anything else as a mismatch.
     */
    private static RuntimeException refuse(Scope scope, KernelSignature sig, int i, KernelParam p, Object a) {
        Buffer buffer = a instanceof Arg arg ? arg.buffer() : a instanceof Buffer b ? b : null;
        boolean deviceVisible = buffer instanceof DeviceBuffer
                || buffer instanceof HostBuffer h && h.options().contains(HostAllocOption.MAPPED);
        if (deviceVisible && takesPointer(p)) {
            scope.own(buffer, "argument " + i + " of '" + sig.name() + "'");   // throws, naming the owner
        }
        return mismatch(sig, i, p, a);
    }

    /** Whether a parameter is a 64-bit number by declaration, not a {@code .u64} that may be a pointer. */
    private static boolean isDeclaredLong(KernelParam p) {
        return p.type() == ParamType.B64 && p.access() == Access.READ;
    }

    private static boolean matches(ParamType type, Object a) {
        return switch (type) {
            case B8 -> a instanceof Byte;
            case B16 -> a instanceof Short;
            case B32 -> a instanceof Integer;
            case B64 -> a instanceof Long;
            case F32 -> a instanceof Float;
            case F64 -> a instanceof Double;
            case POINTER -> false;
        };
    }

    private static KernelArgumentException mismatch(KernelSignature sig, int i, KernelParam p, Object a) {
        Object shown = a instanceof Arg arg ? arg.buffer() : a;
        String got = shown == null ? "null" : typeName(shown) + " (" + describe(shown) + ")";
        String expects = isDeclaredLong(p) ? "long" : p.type().javaType();
        String hint = "";
        if (isDeclaredLong(p) && shown instanceof Buffer) {
            hint = "; the parameter is declared a 64-bit number, not a pointer: pass its value as a long"
                    + " (a buffer's address is not a number)";
        } else if (a instanceof HostBuffer || a instanceof Arg arg && arg.buffer() instanceof HostBuffer) {
            hint = "; kernels take device memory: copy the host buffer to a DeviceBuffer first, or allocate it "
                    + "with HostAllocOption.MAPPED";
        } else if (p.type() == ParamType.F32 && a instanceof Number n) {
            hint = "; write it as a float, e.g. " + n.floatValue() + "f";
        } else if (p.type() == ParamType.B64 && a instanceof Integer) {
            hint = "; write it as a long, e.g. " + a + "L";
        } else if (p.type() == ParamType.B32 && a instanceof Long) {
            hint = "; the parameter is 32-bit: pass an int";
        } else if (p.type() == ParamType.POINTER) {
            hint = "; pass a DeviceBuffer (or Arg.in/out/inOut(buffer))";
        }
        return new KernelArgumentException(sig.name(), i, "kernel '" + sig.name() + "' parameter " + i + " ('" + p.name()
                + "', " + p.type().name().toLowerCase() + ") expects " + expects + ", got " + got + hint);
    }

    private static String typeName(Object a) {
        if (a instanceof DeviceBuffer) {
            return "DeviceBuffer";
        }
        return a instanceof HostBuffer ? "HostBuffer" : a.getClass().getSimpleName();
    }

    private static String describe(Object a) {
        if (a instanceof Buffer b) {
            return "'" + b.name() + "'";
        }
        return String.valueOf(a);
    }
}
