package org.jgpu.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.jgpu.BackendUnavailableException;
import org.jgpu.ContextOptions;
import org.jgpu.spi.Availability;
import org.jgpu.spi.BackendProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds backends through {@link ServiceLoader} and picks the one a context runs on. */
final class Backends {
    /** Named for users: one logger, {@code org.jgpu}, says what jgpu decided. */
    private static final Logger LOG = LoggerFactory.getLogger("org.jgpu");
    /** The artifact that brings each backend jgpu-api does not have itself. */
    private static final Map<String, String> ARTIFACTS = Map.of("cuda", "org.jgpu:jgpu-cuda");
    /** The system property that names a backend. */
    static final String PROPERTY = ContextOptions.BACKEND_PROPERTY;
    /** The environment variable that names a backend. */
    static final String ENV = ContextOptions.BACKEND_ENV;
    /** The name that means: CUDA if usable, else the host backend. */
    static final String AUTO = "auto";

    private static volatile List<BackendProvider> providers;
    /** The backend the automatic choice picked last: said at INFO once per process, not per context. */
    private static final AtomicReference<String> CHOSEN = new AtomicReference<>();

    private Backends() {
    }

    /** @return every registered provider, highest priority first */
    static List<BackendProvider> providers() {
        List<BackendProvider> p = providers;
        if (p == null) {
            List<BackendProvider> found = new ArrayList<>();
            ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(found::add);
            found.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
            providers = p = List.copyOf(found);
        }
        return p;
    }

    /**
     * @param name a backend name
     * @return its provider, or null if none is registered under that name
     */
    static BackendProvider find(String name) {
        for (BackendProvider p : providers()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /**
     * The backend name the options ask for: the option, else the system property, else the
     * environment variable, else {@code auto}.
     *
     * @param options the context options
     * @return a lower-case name
     */
    static String requested(ContextOptions options) {
        String name = options.backend();
        if (name == null || name.isBlank()) {
            name = System.getProperty(PROPERTY);
        }
        if (name == null || name.isBlank()) {
            name = System.getenv(ENV);
        }
        if (name == null || name.isBlank()) {
            name = AUTO;
        }
        return name.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Picks the provider for a context, logging one INFO line when the choice was automatic.
     *
     * @param options the context options
     * @return the provider to open
     * @throws IllegalArgumentException if the name is unknown
     * @throws BackendUnavailableException if the named backend cannot be used
     */
    static BackendProvider choose(ContextOptions options) {
        String name = requested(options);
        if (!AUTO.equals(name)) {
            BackendProvider p = find(name);
            if (p == null) {
                String artifact = ARTIFACTS.get(name);
                throw new IllegalArgumentException("unknown backend '" + name + "'"
                        + (artifact == null ? "" : ": add " + artifact + " to the class path for it")
                        + "; registered: "
                        + providers().stream().map(BackendProvider::name).collect(Collectors.joining(", "))
                        + " (or auto)");
            }
            Availability a = p.probe();
            if (!a.usable()) {
                throw new BackendUnavailableException("backend '" + name + "' cannot be used: " + a.reason());
            }
            return p;
        }
        List<String> skipped = new ArrayList<>();
        for (BackendProvider p : providers()) {
            Availability a = p.probe();
            if (a.usable()) {
                announce(p, a, skipped);
                return p;
            }
            skipped.add(p.name() + ": " + a.reason());
        }
        throw new BackendUnavailableException("no usable backend: " + String.join("; ", skipped));
    }

    private static void announce(BackendProvider p, Availability a, List<String> skipped) {
        String why = skipped.isEmpty() ? "" : "; skipped " + String.join("; ", skipped);
        if (isNews(p.name())) {
            LOG.info("jgpu: using the {} backend ({}){}", p.name(), a.reason(), why);
        } else {
            LOG.debug("jgpu: using the {} backend ({}){}", p.name(), a.reason(), why);
        }
    }

    /**
     * @param name the backend the automatic choice picked
     * @return whether that is news: the process's first choice, or another backend than the last
     */
    static boolean isNews(String name) {
        return !name.equals(CHOSEN.getAndSet(name));
    }
}
