package org.jgpu;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * How to create a {@link Context}: backend, device, hazard mode, callback executor.
 *
 * <pre>{@code
 * Context ctx = Context.create(ContextOptions.builder()
 *         .backend("host").hazardMode(HazardMode.AUTO).build());
 * }</pre>
 *
 * <p>The backend is, in order: {@link Builder#backend(String)}, the {@value #BACKEND_PROPERTY}
 * system property, the {@value #BACKEND_ENV} environment variable, else {@code auto} (CUDA when
 * a device is usable, otherwise the host backend, with one INFO line saying which and why).
 * Settings that only one backend understands come as {@link BackendSettings} objects
 * ({@link Builder#configure(BackendSettings)}).
 *
 * @param backend {@code "auto"}, {@code "host"}, {@code "cuda"} or another registered name;
 *                null means: ask the system property, then the environment
 * @param deviceOrdinal which device of the backend
 * @param hazardMode what to do about racing operations
 * @param callbackExecutor where {@code onComplete()} futures complete and callbacks run; null for
 *                         the common fork-join pool
 * @param backendSettings settings for particular backends, at most one per backend; empty for
 *                        their defaults. With a backend named, settings for another backend
 *                        fail at {@link Context#create(ContextOptions)}; with {@code auto}, those
 *                        for a registered backend that was not chosen are left unused, and those
 *                        for a backend that is not registered fail.
 * @param defaultStream what {@link Context#defaultStream()} is
 * @param diagnostics extra bookkeeping for clearer errors; none by default
 */
public record ContextOptions(String backend, int deviceOrdinal, HazardMode hazardMode,
        Executor callbackExecutor, List<BackendSettings> backendSettings, DefaultStreamMode defaultStream,
        Set<Diagnostic> diagnostics) {
    /** The system property that names the backend when the options do not. */
    public static final String BACKEND_PROPERTY = "jgpu.backend";
    /** The environment variable that names the backend when neither options nor property do. */
    public static final String BACKEND_ENV = "JGPU_BACKEND";
    /** Everything chosen automatically. */
    public static final ContextOptions DEFAULT = builder().build();

    /**
     * Checks the components.
     *
     * @param backend {@code "auto"}, {@code "host"}, {@code "cuda"} or another registered name; null
     *         means: ask the system property, then the environment
     * @param deviceOrdinal which device of the backend
     * @param hazardMode what to do about racing operations
     * @param callbackExecutor where {@code onComplete()} futures complete and callbacks run; null for
     *         the common fork-join pool
     * @param backendSettings settings for particular backends, at most one per backend; empty for
     *         their defaults. With a backend named, settings for another backend fail at {@link
     *         Context#create(ContextOptions)}; with {@code auto}, those for a registered backend that was not
     *         chosen are left unused, and those for a backend that is not registered fail.
     * @param defaultStream what {@link Context#defaultStream()} is
     * @param diagnostics extra bookkeeping for clearer errors; none by default
     * @throws IllegalArgumentException if the ordinal is negative, a mode or set is null, or two
     *         settings are for the same backend
     */
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
        if (backendSettings == null) {
            throw new IllegalArgumentException("backendSettings must not be null (use an empty list)");
        }
        for (BackendSettings s : backendSettings) {
            if (s == null || s.backend() == null) {
                throw new IllegalArgumentException("backendSettings must hold settings that name their backend, got " + s);
            }
        }
        backendSettings = List.copyOf(backendSettings);
        for (int i = 0; i < backendSettings.size(); i++) {
            String name = backendSettings.get(i).backend();
            for (int j = 0; j < i; j++) {
                if (backendSettings.get(j).backend().equals(name)) {
                    throw new IllegalArgumentException("two settings for the " + name + " backend: "
                            + backendSettings.get(j) + " and " + backendSettings.get(i) + "; give one");
                }
            }
        }
    }

    /**
     * @param backend a backend name
     * @return the settings for that backend, or null for its defaults
     */
    public BackendSettings settingsFor(String backend) {
        for (BackendSettings s : backendSettings) {
            if (s.backend().equals(backend)) {
                return s;
            }
        }
        return null;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from these options */
    public Builder toBuilder() {
        return new Builder().backend(backend).deviceOrdinal(deviceOrdinal).hazardMode(hazardMode)
                .callbackExecutor(callbackExecutor).configureAll(backendSettings).defaultStream(defaultStream)
                .diagnostics(diagnostics);
    }

    /** Builds {@link ContextOptions}. */
    public static final class Builder {
        private String backend;
        private int deviceOrdinal;
        private HazardMode hazardMode = HazardMode.CHECK;
        private Executor callbackExecutor;
        private final List<BackendSettings> backendSettings = new ArrayList<>();
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
         * Sets a backend's settings, replacing earlier ones for the same backend.
         *
         * @param settings e.g. the host backend's {@link org.jgpu.sim.EngineModel}
         * @return this builder
         * @throws IllegalArgumentException if settings is null or names no backend
         */
        public Builder configure(BackendSettings settings) {
            if (settings == null || settings.backend() == null) {
                throw new IllegalArgumentException("settings must not be null and must name their backend");
            }
            backendSettings.removeIf(s -> s.backend().equals(settings.backend()));
            backendSettings.add(settings);
            return this;
        }

        private Builder configureAll(List<BackendSettings> all) {
            all.forEach(this::configure);
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException if a value is out of range
         */
        public ContextOptions build() {
            return new ContextOptions(backend, deviceOrdinal, hazardMode, callbackExecutor, backendSettings, defaultStream,
                    diagnostics);
        }
    }
}
