package org.jgpu.blas;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** The {@link BlasProvider}s on the class path, found once. */
final class BlasProviders {
    private static volatile List<BlasProvider> providers;

    private BlasProviders() {
    }

    /** @return every registered provider, in the order the class path lists them */
    private static List<BlasProvider> all() {
        List<BlasProvider> p = providers;
        if (p == null) {
            List<BlasProvider> found = new ArrayList<>();
            ServiceLoader.load(BlasProvider.class, BlasProviders.class.getClassLoader()).forEach(found::add);
            providers = p = List.copyOf(found);
        }
        return p;
    }

    /**
     * @param backend a backend name
     * @return the first provider serving it, or null
     */
    static BlasProvider find(String backend) {
        for (BlasProvider p : all()) {
            if (p.backend().equals(backend)) {
                return p;
            }
        }
        return null;
    }

    /**
     * @param backend a backend no provider serves
     * @return why there is no BLAS there, for messages
     */
    static String noProvider(String backend) {
        return "no BLAS for the " + backend + " backend: no org.jgpu.blas.BlasProvider on the class path serves it"
                + " (jgpu-api serves host, jgpu-cuda serves cuda)";
    }
}
