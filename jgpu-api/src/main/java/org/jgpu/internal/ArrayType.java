package org.jgpu.internal;

import java.nio.ByteBuffer;

/**
 * The Java array types that move to and from buffers, each with its element size and its bulk
 * copies between an array range and memory in the device's (native) byte order.
 */
enum ArrayType {
    FLOAT(4, "float") {
        @Override
        void put(ByteBuffer to, Object from, int offset, int length) {
            to.asFloatBuffer().put((float[]) from, offset, length);
        }

        @Override
        void get(ByteBuffer from, Object to, int offset, int length) {
            from.asFloatBuffer().get((float[]) to, offset, length);
        }

        @Override
        Object newArray(int length) {
            return new float[length];
        }
    },
    INT(4, "int") {
        @Override
        void put(ByteBuffer to, Object from, int offset, int length) {
            to.asIntBuffer().put((int[]) from, offset, length);
        }

        @Override
        void get(ByteBuffer from, Object to, int offset, int length) {
            from.asIntBuffer().get((int[]) to, offset, length);
        }

        @Override
        Object newArray(int length) {
            return new int[length];
        }
    },
    LONG(8, "long") {
        @Override
        void put(ByteBuffer to, Object from, int offset, int length) {
            to.asLongBuffer().put((long[]) from, offset, length);
        }

        @Override
        void get(ByteBuffer from, Object to, int offset, int length) {
            from.asLongBuffer().get((long[]) to, offset, length);
        }

        @Override
        Object newArray(int length) {
            return new long[length];
        }
    },
    DOUBLE(8, "double") {
        @Override
        void put(ByteBuffer to, Object from, int offset, int length) {
            to.asDoubleBuffer().put((double[]) from, offset, length);
        }

        @Override
        void get(ByteBuffer from, Object to, int offset, int length) {
            from.asDoubleBuffer().get((double[]) to, offset, length);
        }

        @Override
        Object newArray(int length) {
            return new double[length];
        }
    },
    BYTE(1, "byte") {
        @Override
        void put(ByteBuffer to, Object from, int offset, int length) {
            to.put((byte[]) from, offset, length);
        }

        @Override
        void get(ByteBuffer from, Object to, int offset, int length) {
            from.get((byte[]) to, offset, length);
        }

        @Override
        Object newArray(int length) {
            return new byte[length];
        }
    };

    /** Bytes per element. */
    final int bytes;
    /** e.g. {@code float}, for messages. */
    final String element;
    /** Host-access names for hazard messages, made once: e.g. {@code write float[]}. */
    final String writeOp;
    final String readOp;

    ArrayType(int bytes, String element) {
        this.bytes = bytes;
        this.element = element;
        this.writeOp = "write " + element + "[]";
        this.readOp = "read " + element + "[]";
    }

    /**
     * Copies {@code from[offset, offset + length)} to the start of {@code to}, which has room.
     *
     * @param to memory in native order, positioned at its first byte
     * @param from an array of this type
     * @param offset first element of the array
     * @param length elements
     */
    abstract void put(ByteBuffer to, Object from, int offset, int length);

    /**
     * Copies the start of {@code from} into {@code to[offset, offset + length)}.
     *
     * @param from memory in native order, positioned at its first byte
     * @param to an array of this type
     * @param offset first element of the array
     * @param length elements
     */
    abstract void get(ByteBuffer from, Object to, int offset, int length);

    /** @return a new array of this type */
    abstract Object newArray(int length);

    /** @return the bytes of {@code elements} elements (at most {@code 8 * Integer.MAX_VALUE}: no overflow) */
    long bytesOf(int elements) {
        return (long) elements * bytes;
    }
}
