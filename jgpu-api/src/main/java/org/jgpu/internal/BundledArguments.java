package org.jgpu.internal;

import java.math.BigInteger;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.jgpu.Arg;
import org.jgpu.Buffer;
import org.jgpu.BundledKernels;
import org.jgpu.KernelArgumentException;
import org.jgpu.KernelParam;
import org.jgpu.KernelSignature;
import org.jgpu.ModuleSource;
import org.jgpu.ParamType;
import org.jgpu.spi.DevicePointer;

/**
 * The rules of the bundled kernels' scalar and buffer arguments, checked before a launch is
 * enqueued, the same on every backend: counts are not negative, {@code topk_smallest}'s k is in
 * [1, {@value BundledKernels#TOPK_MAX}], every buffer holds what the counts make the kernel touch,
 * and every buffer starts at a multiple of its element size.
 *
 * <p>On a GPU these kernels cannot check buffer sizes: an overrun corrupts memory or loses the
 * context ({@code CUDA_ERROR_ILLEGAL_ADDRESS} is sticky), and a misaligned {@code float*} faults
 * with {@code CUDA_ERROR_MISALIGNED_ADDRESS}. The host twins would throw at run time, later and
 * differently; this turns both into a {@link KernelArgumentException} at the launch call.
 */
final class BundledArguments {
    /** The description {@link ModuleSource#bundled()} gives its modules; no other source has it. */
    private static final String BUNDLED_MODULE = ModuleSource.bundled().description();

    /**
     * A buffer parameter's extent: elements of {@code elementBytes} that the kernel reads or
     * writes, as a function of the arguments, with the formula for messages; 0 when the
     * kernel's total work is 0, since it then touches no buffer.
     */
    private record Extent(int param, String element, int elementBytes, String formula, ToLongFunction<Object[]> elements) {
    }

    /**
     * One kernel's rules.
     *
     * @param counts indexes of int parameters that must not be negative
     * @param extents its buffer parameters
     */
    record Rules(int[] counts, Extent[] extents) {
    }

    private static final Map<String, Rules> RULES = Map.of(
            BundledKernels.VECTOR_ADD, new Rules(new int[] {3},
                    new Extent[] {floats(0, "n", a -> i(a, 3)), floats(1, "n", a -> i(a, 3)), floats(2, "n", a -> i(a, 3))}),
            BundledKernels.ACCUMULATE, new Rules(new int[] {2},
                    new Extent[] {floats(0, "n", a -> i(a, 2)), floats(1, "n", a -> i(a, 2))}),
            BundledKernels.SAXPY, new Rules(new int[] {3},
                    new Extent[] {floats(1, "n", a -> i(a, 3)), floats(2, "n", a -> i(a, 3))}),
            BundledKernels.SCALE, new Rules(new int[] {2}, new Extent[] {floats(0, "n", a -> i(a, 2))}),
            // iters is no count: the kernel's loop runs no step for a negative one, as for 0
            BundledKernels.FMA_LOOP, new Rules(new int[] {1}, new Extent[] {floats(0, "n", a -> i(a, 1))}),
            // one thread per (q, b) pair: with no pair the kernel reads no query and no base row
            BundledKernels.L2_DISTANCES, new Rules(new int[] {3, 4, 5},
                    new Extent[] {floats(0, "nq * dim", a -> i(a, 3) * i(a, 4) == 0 ? 0 : i(a, 3) * i(a, 5)),
                        floats(1, "nb * dim", a -> i(a, 3) * i(a, 4) == 0 ? 0 : i(a, 4) * i(a, 5)),
                        floats(2, "nq * nb", a -> i(a, 3) * i(a, 4))}),
            BundledKernels.TOPK_SMALLEST, new Rules(new int[] {3, 4},
                    new Extent[] {floats(0, "nq * nb", a -> i(a, 3) * i(a, 4)),
                        new Extent(1, "int", 4, "nq * k", a -> i(a, 3) * i(a, 5)), floats(2, "nq * k", a -> i(a, 3) * i(a, 5))}),
            BundledKernels.BIAS_RELU, new Rules(new int[] {2, 3},
                    new Extent[] {floats(0, "rows * cols", a -> i(a, 2) * i(a, 3)),
                        floats(1, "cols", a -> i(a, 2) * i(a, 3) == 0 ? 0 : i(a, 3))}),
            BundledKernels.PROGRESS_LOOP, new Rules(new int[0],
                    new Extent[] {new Extent(0, "unsigned long long", 8, "1", a -> 1), new Extent(1, "int", 4, "1", a -> 1)}));

    private BundledArguments() {
    }

    private static Extent floats(int param, String formula, ToLongFunction<Object[]> elements) {
        return new Extent(param, "float", 4, formula, elements);
    }

    /**
     * An int argument widened, so a product of two counts (at most 2^62) cannot overflow; the
     * product times an element size can, so {@link #check} compares by division.
     */
    private static long i(Object[] args, int index) {
        return (Integer) args[index];
    }

    /**
     * The rules for a kernel of a module, or null when it is not a bundled kernel launched by
     * its contract: a kernel of the user's own module (even one named {@code saxpy}) or one
     * declared with other parameter types is checked only against its signature.
     *
     * @param moduleName the module's description
     * @param signature the signature launches are checked against
     * @return the rules, or null
     */
    static Rules of(String moduleName, KernelSignature signature) {
        KernelSignature contract = BundledKernels.contract(signature.name());
        if (!BUNDLED_MODULE.equals(moduleName) || contract == null || !sameTypes(signature, contract)) {
            return null;
        }
        return RULES.get(signature.name());
    }

    private static boolean sameTypes(KernelSignature s, KernelSignature contract) {
        if (s.params().size() != contract.params().size()) {
            return false;
        }
        for (int i = 0; i < s.params().size(); i++) {
            if (s.params().get(i).type() != contract.params().get(i).type()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks prepared arguments (already of the signature's types) against the rules.
     *
     * @param sig the kernel's signature
     * @param rules its rules
     * @param given the arguments as the caller gave them, for names in messages
     * @param args the prepared arguments: boxed scalars and {@link DevicePointer}s
     * @throws KernelArgumentException if a count is negative, k is out of range, or a buffer is
     *     too small or misaligned for the kernel
     */
    static void check(KernelSignature sig, Rules rules, Object[] given, Object[] args) {
        for (int c : rules.counts) {
            if ((Integer) args[c] < 0) {
                throw fail(sig, c, "is " + args[c] + ", a negative count: pass 0 or more");
            }
        }
        if (rules == RULES.get(BundledKernels.TOPK_SMALLEST)) {
            int k = (Integer) args[5];
            if (k < 1 || k > BundledKernels.TOPK_MAX) {
                throw fail(sig, 5, "is " + k + ", outside [1, " + BundledKernels.TOPK_MAX + "] (BundledKernels.TOPK_MAX: "
                        + "the kernel keeps the best k of a row in per-thread arrays of that size): pass k from 1 to "
                        + BundledKernels.TOPK_MAX);
            }
        }
        for (Extent e : rules.extents) {
            DevicePointer p = (DevicePointer) args[e.param];
            if (p.offset() % e.elementBytes != 0) {
                throw fail(sig, e.param, ": " + bufferName(given[e.param]) + " starts at byte " + p.offset()
                        + " of its allocation, not a multiple of " + e.elementBytes + " (the size of a " + e.element
                        + "): on a GPU the kernel's loads fault with CUDA_ERROR_MISALIGNED_ADDRESS; slice at a multiple of "
                        + e.elementBytes + " bytes");
            }
            // compared by division: elements * elementBytes can pass Long.MAX_VALUE (two counts
            // of Integer.MAX_VALUE make 2^62 elements) and wrap to a size that fits
            long elements = e.elements.applyAsLong(args);
            if (elements > p.length() / e.elementBytes) {
                BigInteger need = BigInteger.valueOf(elements).multiply(BigInteger.valueOf(e.elementBytes));
                throw fail(sig, e.param, ": " + bufferName(given[e.param]) + " holds " + p.length() / e.elementBytes + " "
                        + e.element + "s (" + p.length() + " bytes), but " + e.formula + " = " + elements
                        + " makes the kernel touch " + need + " bytes: on a GPU that overruns the buffer; pass a buffer of at"
                        + " least " + need + " bytes or smaller counts");
            }
        }
    }

    private static String bufferName(Object given) {
        Object b = given instanceof Arg arg ? arg.buffer() : given;
        return b instanceof Buffer buffer ? "buffer '" + buffer.name() + "'" : String.valueOf(b);
    }

    private static KernelArgumentException fail(KernelSignature sig, int param, String what) {
        KernelParam p = sig.params().get(param);
        return new KernelArgumentException(sig.name(), param, "kernel '" + sig.name() + "' parameter " + param + " ('"
                + p.name() + "', " + (p.type() == ParamType.POINTER ? "pointer" : p.type().javaType()) + ")"
                + (what.startsWith(":") ? "" : " ") + what);
    }
}
