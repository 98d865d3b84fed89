package org.jgpu.spi;

import org.jgpu.KernelSignature;

/**
 * A kernel as the core resolved it before a backend looks it up: the caller's declaration and
 * what the module states have been found and checked against each other, so a backend only
 * finds the kernel's code and, if it runs its own implementation, checks that one.
 *
 * @param name the kernel's name: an entry of the module, or any name for a cubin or fatbin,
 *        which lists none
 * @param declared the caller's declaration, or null; it agrees with the module's PTX or
 *        contract where the module states one
 * @param ptxEntry the PTX {@code .entry} of that name when the module was loaded from PTX text,
 *        else null
 * @param signature what launches are checked against: the declaration, else the bundled
 *        kernel's contract, else the PTX entry; null for an undeclared kernel of a cubin or
 *        fatbin, whose parameters only a backend with its own implementation can know
 */
public record ResolvedKernel(String name, KernelSignature declared, KernelSignature ptxEntry, KernelSignature signature) {
}
