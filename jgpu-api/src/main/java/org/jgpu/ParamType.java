package org.jgpu;

/**
 * The type of a kernel parameter as PTX declares it, and the Java argument it takes.
 *
 * <p>PTX does not tell a pointer from a 64-bit integer: a {@code .u64} parameter read from PTX
 * takes either a {@link DeviceBuffer} or a {@code long}. A {@code B64} declared with
 * {@link KernelParam#scalar(String, ParamType)} is a number and takes only a {@code long}.
 */
public enum ParamType {
    /** {@code .u8/.s8/.b8}: a {@code byte} */
    B8(1, "byte"),
    /** {@code .u16/.s16/.b16}: a {@code short} */
    B16(2, "short"),
    /** {@code .u32/.s32/.b32}: an {@code int} */
    B32(4, "int"),
    /** {@code .u64/.s64/.b64}: a {@code long}, or (read from PTX, not declared a scalar) a {@link DeviceBuffer} */
    B64(8, "long or DeviceBuffer"),
    /** {@code .f32}: a {@code float} */
    F32(4, "float"),
    /** {@code .f64}: a {@code double} */
    F64(8, "double"),
    /** a pointer known to be one (from a kernel's declared contract): a {@link DeviceBuffer} */
    POINTER(8, "DeviceBuffer");

    private final int bytes;
    private final String javaType;

    ParamType(int bytes, String javaType) {
        this.bytes = bytes;
        this.javaType = javaType;
    }

    /** @return the parameter's size in bytes */
    public int bytes() {
        return bytes;
    }

    /** @return the Java argument type(s) accepted, for messages */
    public String javaType() {
        return javaType;
    }

    /**
     * Maps a PTX type name to a parameter type.
     *
     * @param ptx a PTX type such as {@code .u32} or {@code f32}
     * @return the parameter type
     * @throws IllegalArgumentException if the type is not a scalar PTX type jgpu can pass
     */
    public static ParamType fromPtx(String ptx) {
        String t = ptx.startsWith(".") ? ptx.substring(1) : ptx;
        return switch (t) {
            case "u8", "s8", "b8" -> B8;
            case "u16", "s16", "b16", "f16" -> B16;
            case "u32", "s32", "b32" -> B32;
            case "u64", "s64", "b64" -> B64;
            case "f32" -> F32;
            case "f64" -> F64;
            default -> throw new IllegalArgumentException("unsupported PTX parameter type '" + ptx + "'");
        };
    }
}
