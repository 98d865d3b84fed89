/**
 * BLAS on streams: {@link org.jgpu.blas.Blas}, one per stream, over the backend's library
 * (cuBLAS on CUDA, Java twins on the host backend), and the SPI a backend's BLAS implements
 * ({@link org.jgpu.blas.BlasProvider}, {@link org.jgpu.blas.BlasBackend}).
 */
package org.jgpu.blas;
