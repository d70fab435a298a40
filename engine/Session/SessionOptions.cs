namespace NativeInfer.Session;

/// <summary>
/// Which kernels run the graph: the managed CPU kernels, or an ILGPU accelerator (CUDA, OpenCL, ILGPU's CPU simulator)
/// served by a registered <see cref="IExecutionBackendProvider"/> (reference NativeInfer.Engine.Gpu and call
/// <c>NativeInfer.Gpu.GpuBackend.Register()</c>). Auto picks the best GPU present, else the CPU.
/// </summary>
public enum ExecutionBackend { Cpu, Auto, Cuda, OpenCL, IlgpuCpu }

/// <summary>Optimizer levels in the style of ONNX Runtime's.</summary>
public enum GraphOptimizationLevel { None = 0, Basic = 1, Extended = 2, All = 3 }

/// <summary>Options for an <c>InferenceSession</c>.</summary>
public sealed class SessionOptions
{
    /// <summary>Threads used inside one op; 0 means one per core.</summary>
    public int IntraOpThreads { get; set; }

    public GraphOptimizationLevel OptimizationLevel { get; set; } = GraphOptimizationLevel.All;

    public ExecutionBackend Backend { get; set; } = ExecutionBackend.Cpu;

    /// <summary>
    /// With a GPU backend: true (default) runs nodes without a GPU kernel on the CPU (copies at partition boundaries);
    /// false makes session creation fail naming every such node.
    /// </summary>
    public bool CpuFallback { get; set; } = true;

    /// <summary>Largest tensor (in bytes) a model may declare or a run may allocate. Default 4 GiB.</summary>
    public long MaxTensorBytes { get; set; } = Tensors.TensorLimits.DefaultMaxTensorBytes;

    /// <summary>Optimizer passes to skip, by name.</summary>
    public HashSet<string> DisabledPasses { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Most bytes of freed intermediate tensor buffers the session keeps for reuse by later tensors (and later runs) of
    /// the same size; 0 turns buffer reuse off. Default 1 GiB.
    /// </summary>
    public long MaxPooledBufferBytes { get; set; } = 1L << 30;

    /// <summary>
    /// Memory planning (needs buffer reuse on): the first run with an input signature records tensor lifetimes, later
    /// runs place node outputs at planned offsets in one arena per element type (see <c>GraphSession.MemoryPlans</c>).
    /// Default on; an arena larger than <see cref="MaxPooledBufferBytes"/> is planned but not used.
    /// </summary>
    public bool MemoryPlanning { get; set; } = true;

    /// <summary>
    /// In-place execution (needs buffer reuse on): an elementwise node whose input dies at it and whose buffer no other
    /// value shares writes its output over that input (see <c>Op.InPlaceInputs</c>), so the pair needs one buffer.
    /// Default on; outputs are the same either way.
    /// </summary>
    public bool InPlaceExecution { get; set; } = true;

    /// <summary>
    /// Memory-aware execution order: the main graph's nodes run in the order, among a few candidates (topological,
    /// the model's node list, depth-first, greedy by bytes allocated net of bytes freed), whose planned activation peak
    /// is estimated lowest from inferred shapes; the topological order unless another is strictly lower. Default on;
    /// outputs are the same either way.
    /// </summary>
    public bool MemoryAwareOrder { get; set; } = true;

    /// <summary>
    /// Release packed weights (CPU backend only): once every op reading a constant float32 weight has packed its own copy
    /// (Conv, Gemm, MatMul and their fused forms), the session drops the original and keeps a data-less stand-in of its
    /// shape (<see cref="ReleasedWeights"/>), so each weight is held once. A weight of a model the session loaded itself
    /// is released in <c>Model</c> too, as are weights the optimizer folded into new ones; a model passed in by the caller
    /// is never changed. Default on; off keeps every initializer readable (e.g. to export the session's graph).
    /// </summary>
    public bool ReleasePackedWeights { get; set; } = true;

    /// <summary>Called before and after every node of every run (null: no cost).</summary>
    public IExecutionObserver? Observer { get; set; }

    public int EffectiveThreads => IntraOpThreads > 0 ? IntraOpThreads : Environment.ProcessorCount;
}
