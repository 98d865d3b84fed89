package org.jgpu.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jgpu.Access;
import org.jgpu.KernelParam;
import org.jgpu.KernelSignature;
import org.jgpu.ParamType;

/**
 * Reads the {@code .entry} declarations of PTX text: kernel names and parameter types.
 *
 * <p>Pointer parameters are {@code .u64} in PTX, indistinguishable from 64-bit integers, so they
 * come back as {@link ParamType#B64} with {@link Access#READ_WRITE}.
 */
public final class PtxEntries {
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+([A-Za-z_$][\\w$]*)\\s*\\(([^)]*)\\)");
    private static final Pattern PARAM = Pattern.compile(
            "\\.param\\s+(?:\\.ptr\\s+)?(?:\\.(?:global|shared|const|local)\\s+)?(?:\\.align\\s+\\d+\\s+)?"
                    + "(\\.[a-z]+\\d+)\\s+(?:\\.ptr\\s+(?:\\.(?:global|shared|const|local)\\s+)?(?:\\.align\\s+\\d+\\s+)?)?"
                    + "([A-Za-z_$][\\w$]*)(\\s*\\[\\s*\\d+\\s*\\])?");

    private PtxEntries() {
    }

    /**
     * @param ptx PTX text
     * @return every entry, in the order declared
     * @throws IllegalArgumentException if an entry has a parameter jgpu cannot pass (an array
     *         or aggregate, or an unknown type); the message names the entry and the parameter
     */
    public static List<KernelSignature> parse(String ptx) {
        String text = stripComments(ptx);
        List<KernelSignature> out = new ArrayList<>();
        Matcher m = ENTRY.matcher(text);
        while (m.find()) {
            String name = m.group(1);
            String body = m.group(2).trim();
            List<KernelParam> params = new ArrayList<>();
            if (!body.isEmpty()) {
                for (String decl : body.split(",")) {
                    Matcher p = PARAM.matcher(decl.trim());
                    if (!p.find()) {
                        throw new IllegalArgumentException("entry " + name + ": cannot read parameter '" + decl.trim() + "'");
                    }
                    if (p.group(3) != null) {
                        throw new IllegalArgumentException("entry " + name + ": parameter " + p.group(2)
                                + " is an aggregate (" + decl.trim() + "); pass structs as separate scalars");
                    }
                    ParamType type;
                    try {
                        type = ParamType.fromPtx(p.group(1));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("entry " + name + ": parameter " + p.group(2) + ": " + e.getMessage(), e);
                    }
                    params.add(new KernelParam(p.group(2), type, type == ParamType.B64 ? Access.READ_WRITE : Access.READ));
                }
            }
            out.add(new KernelSignature(name, params));
        }
        return out;
    }

    /**
     * @param signature a declaration
     * @return it as PTX would state it: pointers become 64-bit words, so it can be compared
     *         with {@link KernelSignature#matchesPtx} and printed as PTX's view
     */
    public static KernelSignature erase(KernelSignature signature) {
        return new KernelSignature(signature.name(), signature.params().stream()
                .map(p -> p.type() == ParamType.POINTER ? new KernelParam(p.name(), ParamType.B64, p.access()) : p)
                .toList());
    }

    private static String stripComments(String ptx) {
        return ptx.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
    }
}
