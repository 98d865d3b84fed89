package org.jgpu.spi;

/**
 * Whether a backend can be used on this machine, and why not.
 *
 * @param usable true if a context can be opened
 * @param deviceCount devices found
 * @param reason a one-line explanation, e.g. {@code "no CUDA driver (libcuda.so.1 not found)"}
 */
public record Availability(boolean usable, int deviceCount, String reason) {
    /**
     * @param deviceCount devices found
     * @param reason what was found
     * @return a usable availability
     */
    public static Availability usable(int deviceCount, String reason) {
        return new Availability(true, deviceCount, reason);
    }

    /**
     * @param reason why the backend cannot be used
     * @return an unusable availability
     */
    public static Availability unusable(String reason) {
        return new Availability(false, 0, reason);
    }
}
