package org.jgpu.cuda.driver;

import static org.jgpu.cuda.driver.Driver.check;

import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;
import org.jgpu.cuda.CudaException;

/** The thin checked layer for graphs: instantiate, launch, destroy (capture is in {@link Streams}). */
public final class Graphs {
    private Graphs() {
    }

    /**
     * @param g a graph
     * @return its executable form
     * @throws CudaException if it cannot be instantiated
     */
    public static CUgraphExec instantiate(CUgraph g) {
        CUgraphExec e = new CUgraphExec();
        check(JCudaDriver.cuGraphInstantiate(e, g, 0), "cuGraphInstantiate");
        return e;
    }

    /**
     * @param e an executable graph
     * @param s the stream to run it on
     * @param what the stream's name, for messages
     * @throws CudaException if it cannot be launched
     */
    public static void launch(CUgraphExec e, CUstream s, Object what) {
        check(JCudaDriver.cuGraphLaunch(e, s), "cuGraphLaunch", what);
    }

    /**
     * @param g the graph
     * @param e its executable form, or null
     * @throws CudaException if they cannot be destroyed
     */
    public static void destroy(CUgraph g, CUgraphExec e) {
        if (e != null) {
            check(JCudaDriver.cuGraphExecDestroy(e), "cuGraphExecDestroy");
        }
        check(JCudaDriver.cuGraphDestroy(g), "cuGraphDestroy");
    }
}
