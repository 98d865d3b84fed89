package org.jgpu.internal;

import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.sim.internal.SimBackendProvider;
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

    private static CoreContext open(ContextOptions options, boolean isShared) {
        BackendProvider p = Backends.choose(options);
        if (options.hostModel() != null && !SimBackendProvider.NAME.equals(p.name())) {
            throw new IllegalArgumentException("ContextOptions.hostModel is only honoured by the host backend, but the "
                    + p.name() + " backend was chosen; select backend(\"host\") or drop the model");
        }
        DeviceBackend backend = p.open(options);
        return new CoreContext(backend, options, isShared);
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
