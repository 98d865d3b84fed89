package org.jgpu.sim;

import org.jgpu.BackendSettings;
import org.jgpu.sim.internal.SimEngine;

/**
 * The engine model of the host backend: how long each operation takes in simulated time.
 *
 * <p>The host backend keeps CUDA's stream and event semantics and runs kernels as Java twins,
 * but it is a simulator: an operation occupies its engine for the time this model gives, or for
 * as long as its Java work (a twin's {@link KernelTwin#run run}, a copy's memcpy, a fill) really
 * took, measured on {@link System#nanoTime()}, the clock timing events use, whichever is longer.
 * So overlap, or its absence, shows in wall time, and timing events, timelines and pipeline
 * reports agree with wall time. Copies take {@code copyLatencyNanos + bytes / bandwidth}; a
 * kernel takes its twin's modelled time times {@code kernelTimeScale}, plus {@code launchNanos};
 * a twin that models less than its Java code takes (a matrix product computed on one core)
 * shows the Java code's time, not the model's.
 *
 * <p>It simulates {@code devices} devices, each with its own engines and memory, linked as
 * {@code interconnect} says: a copy between two of them holds the copying stream's device's peer
 * link ({@link org.jgpu.trace.Engine#COPY_PEER}) for {@link #peerCopyNanos}.
 *
 * <pre>{@code
 * EngineModel slowPcie = EngineModel.builder().h2dBytesPerSecond(6e9).d2hBytesPerSecond(6e9).build();
 * Context ctx = Context.create(ContextOptions.builder().backend("host").configure(slowPcie).build());
 *
 * EngineModel fourGpus = EngineModel.builder().devices(4).interconnect(Interconnect.NVLINK).build();
 * DeviceGroup g = DeviceGroup.open(ContextOptions.builder().backend("host").configure(fourGpus).build(), 4);
 * }</pre>
 *
 * @param concurrentKernels kernels that may run at once on the compute engine
 * @param copyEngines 2: one copy engine per direction (copies in both directions overlap);
 *                    1: one engine shared by both directions
 * @param h2dBytesPerSecond host-to-device copy bandwidth
 * @param d2hBytesPerSecond device-to-host copy bandwidth
 * @param deviceBytesPerSecond device memory bandwidth (device-to-device copies, fills, the
 *                             modelled time of memory-bound twins)
 * @param copyLatencyNanos fixed cost of each copy
 * @param launchNanos fixed cost of each kernel
 * @param kernelTimeScale multiplies every kernel's modelled time
 * @param memoryBytes simulated device memory, of each device
 * @param devices how many devices the host backend simulates (ordinals {@code 0 .. devices - 1})
 * @param interconnect how the devices are linked: directly ({@link Interconnect#NVLINK},
 *                     {@link Interconnect#PCIE}) or through host memory ({@link Interconnect#HOST})
 * @param peerBytesPerSecond bandwidth of the direct link between two devices, each way (not
 *                           used with {@link Interconnect#HOST})
 */
public record EngineModel(int concurrentKernels, int copyEngines, double h2dBytesPerSecond,
        double d2hBytesPerSecond, double deviceBytesPerSecond, long copyLatencyNanos, long launchNanos,
        double kernelTimeScale, long memoryBytes, int devices, Interconnect interconnect, double peerBytesPerSecond)
        implements BackendSettings {

    /** The name of the backend this model is for. */
    public static final String BACKEND = "host";

    /**
     * The defaults: one device, one kernel at a time, two copy engines, 12 GB/s copies each way
     * (PCIe 3.0 x16 as measured in practice; also slow enough that Java's own memory copies, which
     * do the data movement, keep up with the model), 1 TB/s device memory; devices linked by
     * {@link Interconnect#PCIE} peer-to-peer.
     */
    public static final EngineModel DEFAULT = builder().build();

    /** @return {@value #BACKEND}: the host backend is the one that runs this model */
    @Override
    public String backend() {
        return BACKEND;
    }

    /**
     * Checks the components.
     *
     * @param concurrentKernels kernels that may run at once on the compute engine
     * @param copyEngines 2: one copy engine per direction (copies in both directions overlap); 1: one
     *         engine shared by both directions
     * @param h2dBytesPerSecond host-to-device copy bandwidth
     * @param d2hBytesPerSecond device-to-host copy bandwidth
     * @param deviceBytesPerSecond device memory bandwidth (device-to-device copies, fills, the
     *         modelled time of memory-bound twins)
     * @param copyLatencyNanos fixed cost of each copy
     * @param launchNanos fixed cost of each kernel
     * @param kernelTimeScale multiplies every kernel's modelled time
     * @param memoryBytes simulated device memory, of each device
     * @param devices how many devices the host backend simulates
     * @param interconnect how the devices are linked
     * @param peerBytesPerSecond bandwidth of the direct link between two devices, each way
     * @throws IllegalArgumentException naming the field that is out of range
     */
    public EngineModel {
        require(concurrentKernels >= 1, "concurrentKernels must be >= 1, got " + concurrentKernels);
        require(copyEngines == 1 || copyEngines == 2, "copyEngines must be 1 or 2, got " + copyEngines);
        require(h2dBytesPerSecond > 0, "h2dBytesPerSecond must be > 0, got " + h2dBytesPerSecond);
        require(d2hBytesPerSecond > 0, "d2hBytesPerSecond must be > 0, got " + d2hBytesPerSecond);
        require(deviceBytesPerSecond > 0, "deviceBytesPerSecond must be > 0, got " + deviceBytesPerSecond);
        require(copyLatencyNanos >= 0, "copyLatencyNanos must be >= 0, got " + copyLatencyNanos);
        require(launchNanos >= 0, "launchNanos must be >= 0, got " + launchNanos);
        require(kernelTimeScale >= 0, "kernelTimeScale must be >= 0, got " + kernelTimeScale);
        require(memoryBytes >= 1, "memoryBytes must be >= 1, got " + memoryBytes);
        require(devices >= 1, "devices must be >= 1, got " + devices);
        require(interconnect != null, "interconnect must not be null (NVLINK, PCIE or HOST)");
        require(peerBytesPerSecond > 0, "peerBytesPerSecond must be > 0, got " + peerBytesPerSecond);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * @param bytes bytes copied
     * @param bytesPerSecond the direction's bandwidth
     * @return modelled nanoseconds of the copy
     */
    public long copyNanos(long bytes, double bytesPerSecond) {
        return SimEngine.later(copyLatencyNanos, (long) (bytes * 1e9 / bytesPerSecond));
    }

    /**
     * @param bytes bytes read and written by a memory-bound operation
     * @return modelled nanoseconds at device bandwidth
     */
    public long deviceNanos(long bytes) {
        return (long) (bytes * 1e9 / deviceBytesPerSecond);
    }

    /**
     * The modelled time of a copy between the memories of two different devices: over the direct
     * link, {@code copyLatencyNanos + bytes / peerBytesPerSecond}; through the host
     * ({@link Interconnect#HOST}), the device-to-host leg and then the host-to-device leg, each
     * with its latency.
     *
     * @param bytes bytes copied
     * @return modelled nanoseconds of the copy
     */
    public long peerCopyNanos(long bytes) {
        if (interconnect.peerAccess()) {
            return copyNanos(bytes, peerBytesPerSecond);
        }
        return SimEngine.later(copyNanos(bytes, d2hBytesPerSecond), copyNanos(bytes, h2dBytesPerSecond));
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from this model. A peer bandwidth that is its interconnect's default
     * stays "the interconnect's default", so that choosing another interconnect on the builder
     * brings that one's bandwidth.
     *
     * @return a builder starting from this model
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.concurrentKernels = concurrentKernels;
        b.copyEngines = copyEngines;
        b.h2d = h2dBytesPerSecond;
        b.d2h = d2hBytesPerSecond;
        b.device = deviceBytesPerSecond;
        b.copyLatency = copyLatencyNanos;
        b.launch = launchNanos;
        b.kernelTimeScale = kernelTimeScale;
        b.memory = memoryBytes;
        b.devices = devices;
        b.interconnect = interconnect;
        b.peer = peerBytesPerSecond == interconnect.bytesPerSecond() ? null : peerBytesPerSecond;
        return b;
    }

    /** Builds a {@link EngineModel}. */
    public static final class Builder {
        private int concurrentKernels = 1;
        private int copyEngines = 2;
        private double h2d = 12e9;
        private double d2h = 12e9;
        private double device = 1000e9;
        private long copyLatency = 2_000;
        private long launch = 2_000;
        private double kernelTimeScale = 1.0;
        private long memory = 8L << 30;
        private int devices = 1;
        private Interconnect interconnect = Interconnect.PCIE;
        /** Null for the interconnect's default. */
        private Double peer;

        private Builder() {
        }

        /**
         * @param v kernels at once
         * @return this builder
         */
        public Builder concurrentKernels(int v) {
            concurrentKernels = v;
            return this;
        }

        /**
         * @param v 1 or 2
         * @return this builder
         */
        public Builder copyEngines(int v) {
            copyEngines = v;
            return this;
        }

        /**
         * @param v bytes per second
         * @return this builder
         */
        public Builder h2dBytesPerSecond(double v) {
            h2d = v;
            return this;
        }

        /**
         * @param v bytes per second
         * @return this builder
         */
        public Builder d2hBytesPerSecond(double v) {
            d2h = v;
            return this;
        }

        /**
         * @param v bytes per second
         * @return this builder
         */
        public Builder deviceBytesPerSecond(double v) {
            device = v;
            return this;
        }

        /**
         * @param v nanoseconds
         * @return this builder
         */
        public Builder copyLatencyNanos(long v) {
            copyLatency = v;
            return this;
        }

        /**
         * @param v nanoseconds
         * @return this builder
         */
        public Builder launchNanos(long v) {
            launch = v;
            return this;
        }

        /**
         * @param v factor
         * @return this builder
         */
        public Builder kernelTimeScale(double v) {
            kernelTimeScale = v;
            return this;
        }

        /**
         * @param v bytes
         * @return this builder
         */
        public Builder memoryBytes(long v) {
            memory = v;
            return this;
        }

        /**
         * @param v how many devices to simulate, at least 1
         * @return this builder
         */
        public Builder devices(int v) {
            devices = v;
            return this;
        }

        /**
         * @param v how the devices are linked; unless {@link #peerBytesPerSecond} is given, the
         *          peer bandwidth is {@code v}'s {@linkplain Interconnect#bytesPerSecond() default}
         * @return this builder
         */
        public Builder interconnect(Interconnect v) {
            interconnect = v;
            return this;
        }

        /**
         * @param v bytes per second of the direct link between two devices, each way
         * @return this builder
         */
        public Builder peerBytesPerSecond(double v) {
            peer = v;
            return this;
        }

        /**
         * @return the model
         * @throws IllegalArgumentException naming a field out of range
         */
        public EngineModel build() {
            // a null interconnect has no default bandwidth: the constructor names the field
            double peerBandwidth = peer != null ? peer
                    : interconnect == null ? Double.NaN : interconnect.bytesPerSecond();
            return new EngineModel(concurrentKernels, copyEngines, h2d, d2h, device, copyLatency, launch,
                    kernelTimeScale, memory, devices, interconnect, peerBandwidth);
        }
    }
}
