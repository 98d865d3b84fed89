package org.jgpu.internal;

import org.jgpu.spi.OpKind;

/**
 * An operation's name for hazard messages and timelines, e.g. {@code launch saxpy}: the kind and
 * what it acts on, joined only when a message needs it.
 *
 * @param kind what the operation is
 * @param subject what it acts on (a kernel's name, a graph), named by its {@code toString()}
 */
record OpName(OpKind kind, Object subject) {
    @Override
    public String toString() {
        return kind.label() + " " + subject;
    }
}
