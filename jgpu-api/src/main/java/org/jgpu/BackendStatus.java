package org.jgpu;

/**
 * A registered backend and whether it can be used here, as {@link Context#backends()} finds it.
 *
 * @param name the name to select it by, e.g. {@code "cuda"}
 * @param priority its rank when the backend is chosen automatically: higher wins among usable ones
 * @param usable whether a context can be opened on it now
 * @param deviceCount how many devices it found (0 when not usable)
 * @param reason what was found, or why it cannot be used and what to do
 */
public record BackendStatus(String name, int priority, boolean usable, int deviceCount, String reason) {
}
