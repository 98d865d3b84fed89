package org.jgpu.cuda;

import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import org.jgpu.cuda.driver.Graphs;
import org.jgpu.spi.NativeGraph;
import org.jgpu.spi.NativeStream;

/** A captured CUDA graph and its executable form, instantiated once. */
final class CudaGraph implements NativeGraph {
    private final CudaDevice device;
    private final CUgraph graph;
    private final CUgraphExec exec;

    private CudaGraph(CudaDevice device, CUgraph graph, CUgraphExec exec) {
        this.device = device;
        this.graph = graph;
        this.exec = exec;
    }

    /**
     * Makes a captured graph launchable. If that fails the graph is destroyed, and the failure
     * goes through the device's classification (a sticky one loses the device).
     *
     * @param device the device
     * @param graph the captured graph, owned from here on
     * @return the launchable graph
     * @throws CudaException if it cannot be instantiated
     */
    static CudaGraph instantiate(CudaDevice device, CUgraph graph) {
        try {
            return new CudaGraph(device, graph, Graphs.instantiate(graph));
        } catch (CudaException e) {
            try {
                Graphs.destroy(graph, null);
            } catch (CudaException x) {
                e.addSuppressed(x);
            }
            throw device.failed(e, "instantiation of a captured graph");
        }
    }

    @Override
    public void launch(NativeStream stream) {
        device.enter();
        CudaStream s = (CudaStream) stream;
        try {
            s.inOrder(() -> Graphs.launch(exec, s.handle, s));
        } catch (CudaException e) {
            throw device.failed(e, "launch of a captured graph on " + s);
        }
    }

    @Override
    public void destroy() {
        if (!device.isLost()) {
            device.bind();
            Graphs.destroy(graph, exec);
        }
    }
}
