package org.jgpu.sim;

import org.jgpu.KernelSignature;

/**
 * The Java twin of a device kernel: the same name, the same parameters, the same results, run
 * by the host backend in place of the PTX.
 *
 * <p>Register a twin with {@link KernelTwins#register(KernelTwin)}, or list it in
 * {@code META-INF/services/org.jgpu.sim.KernelTwin}. Then a module holding a kernel of that
 * name runs on the host backend too.
 *
 * <pre>{@code
 * KernelTwins.register(new KernelTwin() {
 *     public KernelSignature signature() {
 *         return KernelSignature.of("negate", KernelParam.pointer("x", Access.READ_WRITE),
 *                 KernelParam.scalar("n", ParamType.B32));
 *     }
 *     public void run(KernelCall call) {
 *         FloatBuffer x = call.floats(0);
 *         for (int i = 0; i < call.intArg(1); i++) x.put(i, -x.get(i));
 *     }
 *     public long modelledNanos(KernelCall call, EngineModel model) {
 *         return model.deviceNanos(8L * call.intArg(1));
 *     }
 * });
 * }</pre>
 */
public interface KernelTwin {

    /**
     * What {@link #modelledNanos} returns for a twin that paces itself in real time (a job that
     * polls a cancel flag, say): the kernel then holds its compute lane for as long as
     * {@link #run} takes.
     */
    long SELF_TIMED = -1;

    /** @return the kernel's name, parameters and buffer access */
    KernelSignature signature();

    /**
     * Does the kernel's work.
     *
     * @param call configuration and arguments
     * @throws RuntimeException reported asynchronously, as the kernel's failure, at the next
     *         synchronize or query of its stream
     */
    void run(KernelCall call);

    /**
     * How long the kernel takes on the simulated device, before {@code kernelTimeScale}.
     *
     * @param call configuration and arguments
     * @param model the device model
     * @return nanoseconds, at least 0, or {@link #SELF_TIMED}
     */
    long modelledNanos(KernelCall call, EngineModel model);
}
