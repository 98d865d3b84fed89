package org.jgpu;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jgpu.sim.EngineModel;

/**
 * How to create a {@link Context}: backend, device, hazard mode, callback executor.
 *
 * <pre>{@code
 * Context ctx = Context.create(ContextOptions.builder()
 *         .backend("host").hazardMode(HazardMode.AUTO).build());
 * }</pre>
 *
 * <p>The backend is, in order: {@link Builder#backend(String)}, the {@code jgpu.backend}
 * system property, the {@code JGPU_BACKEND} environment variable, else {@code auto} (CUDA when a
 * device is usable, otherwise the host backend, with one INFO line saying which and why).
 *
 * @param backend {@code "auto"}, {@code "host"}, {@code "cuda"} or another registered name;
 *                null means: ask the system property, then the environment
 * @param deviceOrdinal which device of the backend
 * @param hazardMode what to do about racing operations
 * @param callbackExecutor where {@code onComplete()} futures complete and callbacks run; null for
 *                         the common fork-join pool
 * @param hostModel the engine model of the host backend; null for its defaults. Setting it
 *                  for any other backend fails at {@link Context#create(ContextOptions)}.
 * @param defaultStream what {@link Context#defaultStream()} is
 * @param diagnostics extra bookkeeping for clearer errors; none by default
 */
public record ContextOptions(String backend, int deviceOrdinal, HazardMode hazardMode,
        Executor callbackExecutor, EngineModel hostModel, DefaultStreamMode defaultStream,
        Set<Diagnostic> diagnostics) {
    /** Everything chosen automatically. */
    public static final ContextOptions DEFAULT = builder().build();

    /** @throws IllegalArgumentException if the ordinal is negative or the mode is null */
    public ContextOptions {
        if (deviceOrdinal < 0) {
            throw new IllegalArgumentException("deviceOrdinal must be >= 0, got " + deviceOrdinal);
        }
        if (hazardMode == null) {
            throw new IllegalArgumentException("hazardMode must not be null");
        }
        if (defaultStream == null) {
            throw new IllegalArgumentException("defaultStream must not be null");
        }
        if (diagnostics == null) {
            throw new IllegalArgumentException("diagnostics must not be null (use an empty set)");
        }
        diagnostics = diagnostics.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(diagnostics));
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from these options */
    public Builder toBuilder() {
        return new Builder().backend(backend).deviceOrdinal(deviceOrdinal).hazardMode(hazardMode)
                .callbackExecutor(callbackExecutor).hostModel(hostModel).defaultStream(defaultStream)
                .diagnostics(diagnostics);
    }

    /** Builds {@link ContextOptions}. */
    public static final class Builder {
        private String backend;
        private int deviceOrdinal;
        private HazardMode hazardMode = HazardMode.CHECK;
        private Executor callbackExecutor;
        private EngineModel hostModel;
        private DefaultStreamMode defaultStream = DefaultStreamMode.LEGACY;
        private Set<Diagnostic> diagnostics = Set.of();

        private Builder() {
        }

        /**
         * @param diagnostics e.g. {@code EnumSet.of(Diagnostic.CALLER_FRAMES)}
         * @return this builder
         */
        public Builder diagnostics(Set<Diagnostic> diagnostics) {
            this.diagnostics = diagnostics;
            return this;
        }

        /**
         * @param mode legacy (one stream that orders with blocking streams) or per-thread
         * @return this builder
         */
        public Builder defaultStream(DefaultStreamMode mode) {
            this.defaultStream = mode;
            return this;
        }

        /**
         * @param backend {@code "auto"}, {@code "host"}, {@code "cuda"}, or null to ask the system
         *                property and environment
         * @return this builder
         */
        public Builder backend(String backend) {
            this.backend = backend;
            return this;
        }

        /**
         * @param ordinal the device ordinal
         * @return this builder
         */
        public Builder deviceOrdinal(int ordinal) {
            this.deviceOrdinal = ordinal;
            return this;
        }

        /**
         * @param mode the hazard mode
         * @return this builder
         */
        public Builder hazardMode(HazardMode mode) {
            this.hazardMode = mode;
            return this;
        }

        /**
         * @param executor where futures complete and callbacks run
         * @return this builder
         */
        public Builder callbackExecutor(Executor executor) {
            this.callbackExecutor = executor;
            return this;
        }

        /**
         * @param model the host backend's engine model
         * @return this builder
         */
        public Builder hostModel(EngineModel model) {
            this.hostModel = model;
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException if a value is out of range
         */
        public ContextOptions build() {
            return new ContextOptions(backend, deviceOrdinal, hazardMode, callbackExecutor, hostModel, defaultStream,
                    diagnostics);
        }
    }
}
