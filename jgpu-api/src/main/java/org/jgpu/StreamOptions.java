package org.jgpu;

import java.util.EnumSet;
import java.util.Set;

/**
 * How to create a {@link Stream}: name, priority and flags.
 *
 * <pre>{@code
 * Stream s = ctx.createStream(StreamOptions.builder().name("upload").priority(-1)
 *         .flags(EnumSet.of(StreamFlag.NON_BLOCKING)).build());
 * }</pre>
 *
 * @param name a name for messages and traces, or null for a generated one
 * @param priority lower numbers are higher priority, as in CUDA; clamped to the device's range as
 *                 CUDA clamps it ({@link Stream#priority()} gives the result; the host backend
 *                 has one level, 0)
 * @param flags stream flags
 */
public record StreamOptions(String name, int priority, Set<StreamFlag> flags) {
    /** The defaults: generated name, priority 0, blocking. */
    public static final StreamOptions DEFAULT = new StreamOptions(null, 0, EnumSet.noneOf(StreamFlag.class));

    /**
     * Checks the components.
     *
     * @param name a name for messages and traces, or null for a generated one
     * @param priority lower numbers are higher priority, as in CUDA; clamped to the device's range as
     *         CUDA clamps it ({@link Stream#priority()} gives the result; the host backend has one level, 0)
     * @param flags stream flags
     * @throws IllegalArgumentException if flags is null
     */
    public StreamOptions {
        if (flags == null) {
            throw new IllegalArgumentException("flags must not be null (use an empty set)");
        }
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return true if {@link StreamFlag#NON_BLOCKING} is set */
    public boolean nonBlocking() {
        return flags.contains(StreamFlag.NON_BLOCKING);
    }

    /** Builds {@link StreamOptions}. */
    public static final class Builder {
        private String name;
        private int priority;
        private Set<StreamFlag> flags = EnumSet.noneOf(StreamFlag.class);

        private Builder() {
        }

        /**
         * @param name the stream's name
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * @param priority lower is higher priority
         * @return this builder
         */
        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        /**
         * @param flags the flags
         * @return this builder
         */
        public Builder flags(Set<StreamFlag> flags) {
            this.flags = flags;
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException if flags is null
         */
        public StreamOptions build() {
            return new StreamOptions(name, priority, flags);
        }
    }
}
