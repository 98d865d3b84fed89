/**
 * The backend SPI: what a device backend implements so that jgpu's API runs on it.
 *
 * <p>A backend is a {@link org.jgpu.spi.BackendProvider} registered with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/org.jgpu.spi.BackendProvider}). It
 * implements raw device primitives only; argument checks, lifetimes, leak reports and hazard
 * detection live above it, shared by every backend, so a backend never sees a closed object, an
 * out-of-range offset, a mismatched kernel argument or a kernel declaration that disagrees with
 * its PTX: modules' entries are read and kernels' signatures resolved there too
 * ({@link org.jgpu.spi.ResolvedKernel}).
 */
package org.jgpu.spi;
