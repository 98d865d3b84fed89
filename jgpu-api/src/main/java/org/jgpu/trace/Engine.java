package org.jgpu.trace;

/**
 * The engines of a device that work can occupy: a copy engine per direction and the compute
 * engine, as on a GPU with two copy engines, the link to other devices, plus the host's CPU
 * for pipeline stages.
 * {@link Span#engine()} holds the {@link #label() label}.
 */
public enum Engine {
    /** The copy engine that moves host memory to the device. */
    COPY_H2D("copy H2D"),
    /** The compute engine: kernels, fills, device-to-device copies, library calls. */
    COMPUTE("compute"),
    /** The copy engine that moves device memory to the host. */
    COPY_D2H("copy D2H"),
    /** The link to other devices: copies from or to another device's memory. */
    COPY_PEER("copy peer"),
    /** The host's CPU: pipeline stages that prepare or consume data. */
    CPU("cpu");

    private final String label;

    Engine(String label) {
        this.label = label;
    }

    /** @return the name shown in timelines, Gantt charts and traces, e.g. {@code copy H2D} */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
