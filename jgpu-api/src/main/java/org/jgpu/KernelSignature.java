package org.jgpu;

import java.util.List;

/**
 * A kernel's entry name and parameters, as PTX declares them or as a kernel's contract states.
 *
 * @param name the entry name
 * @param params the parameters, in order
 */
public record KernelSignature(String name, List<KernelParam> params) {
    /**
     * Checks the components.
     *
     * @param name the entry name
     * @param params the parameters, in order
     * @throws IllegalArgumentException if name or params is null
     */
    public KernelSignature {
        if (name == null || params == null) {
            throw new IllegalArgumentException("name and params must not be null");
        }
        params = List.copyOf(params);
    }

    /**
     * @param name the entry name
     * @param params the parameters, in order
     * @return the signature
     */
    public static KernelSignature of(String name, KernelParam... params) {
        return new KernelSignature(name, List.of(params));
    }

    /**
     * Whether a PTX declaration of this kernel agrees with this signature: same name, same
     * number of parameters, same sizes and kinds (a {@link ParamType#POINTER} matches a PTX
     * {@code .u64}).
     *
     * @param ptx the signature read from PTX
     * @return true if a launch valid for one is valid for the other
     */
    public boolean matchesPtx(KernelSignature ptx) {
        if (!name.equals(ptx.name) || params.size() != ptx.params.size()) {
            return false;
        }
        for (int i = 0; i < params.size(); i++) {
            ParamType mine = params.get(i).type();
            ParamType theirs = ptx.params.get(i).type();
            boolean ok = mine == theirs || (mine == ParamType.POINTER && theirs == ParamType.B64);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append('(');
        for (int i = 0; i < params.size(); i++) {
            KernelParam p = params.get(i);
            sb.append(i == 0 ? "" : ", ").append(p.type().name().toLowerCase()).append(' ').append(p.name());
        }
        return sb.append(')').toString();
    }
}
