package org.jgpu.internal;

import org.jgpu.Context;
import org.jgpu.ContextOptions;
import java.util.List;
import org.jgpu.BackendSettings;
import org.jgpu.BackendStatus;
import org.jgpu.DeviceTopology;
import org.jgpu.spi.BackendProvider;
import org.jgpu.spi.DeviceBackend;

/** Creates contexts, and holds the shared default one. */
public final class Contexts {
    private static volatile CoreContext shared;

    private Contexts() {
    }

    /**
     * @param options the options
     * @return a new context on the backend the options choose
     * @throws IllegalArgumentException for an unknown backend or an option it cannot honour
     * @throws org.jgpu.BackendUnavailableException if the backend cannot be used
     */
    public static Context create(ContextOptions options) {
        return open(options == null ? ContextOptions.DEFAULT : options, false);
    }

    /**
     * @param options the backend and its settings
     * @return the chosen backend's devices and routes
     * @throws IllegalArgumentException for an unknown backend or settings it cannot honour
     * @throws org.jgpu.BackendUnavailableException if the backend cannot be used
     * @see Context#devices(ContextOptions)
     */
    public static DeviceTopology devices(ContextOptions options) {
        ContextOptions o = options == null ? ContextOptions.DEFAULT : options;
        return chosen(o).topology(o);
    }

    private static CoreContext open(ContextOptions options, boolean isShared) {
        return open(options, chosen(options), isShared, null);
    }

    /**
     * Opens a context on a backend chosen already.
     *
     * @param options the options (the device ordinal among them)
     * @param p the backend
     * @param isShared true for the process-wide default context
     * @param domain the hazard domain it joins, or null for its own
     * @return the context
     */
    static CoreContext open(ContextOptions options, BackendProvider p, boolean isShared, HazardDomain domain) {
        DeviceBackend backend = p.open(options);
        return new CoreContext(backend, options, isShared, domain);
    }

    /**
     * Picks the backend the options ask for and checks that their settings are for it.
     *
     * @param options the options
     * @return the backend
     * @throws IllegalArgumentException for an unknown backend or settings for another one
     * @throws org.jgpu.BackendUnavailableException if the backend cannot be used
     */
    static BackendProvider chosen(ContextOptions options) {
        BackendProvider p = Backends.choose(options);
        boolean auto = Backends.AUTO.equals(Backends.requested(options));
        for (BackendSettings s : options.backendSettings()) {
            // with auto, settings for each backend that might be chosen are expected; a name that
            // no backend has is a mistake either way
            if (!s.backend().equals(p.name()) && (!auto || Backends.find(s.backend()) == null)) {
                throw new IllegalArgumentException("ContextOptions carries settings for the " + s.backend() + " backend ("
                        + s.getClass().getSimpleName() + "), but the " + p.name() + " backend was chosen; select backend(\""
                        + s.backend() + "\") or drop the settings");
            }
        }
        return p;
    }

    /**
     * @return every registered backend, highest priority first, probed now
     * @see Context#backends()
     */
    public static List<BackendStatus> backends() {
        return Backends.providers().stream().map(p -> {
            var a = p.probe();
            return new BackendStatus(p.name(), p.priority(), a.usable(), a.deviceCount(), a.reason());
        }).toList();
    }

    /**
     * @return the shared context, created on first use and closed when the JVM exits
     * @throws org.jgpu.BackendUnavailableException if no backend can be used
     */
    public static Context getDefault() {
        CoreContext c = shared;
        if (c == null) {
            synchronized (Contexts.class) {
                c = shared;
                if (c == null) {
                    c = open(ContextOptions.DEFAULT, true);
                    CoreContext closing = c;
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            closing.closeInternal();
                        } catch (RuntimeException e) {
                            // the JVM is exiting: nobody is left to tell
                        }
                    }, "jgpu-default-context-close"));
                    shared = c;
                }
            }
        }
        return c;
    }
}
