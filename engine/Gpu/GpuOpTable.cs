using NativeInfer.IR;
using NativeInfer.Kernels.Gpu.Runtime;
using NativeInfer.Ops;

namespace NativeInfer.Gpu;

/// <summary>What a <see cref="GpuOpFactory"/> sees: the node (attributes, constant inputs), inferred types, the device.</summary>
public sealed class GpuOpBuildContext
{
    public required OpBuildContext Build { get; init; }
    public required TypeInfo?[] InputTypes { get; init; }
    public required TypeInfo?[] OutputTypes { get; init; }
    public required GpuDevice Device { get; init; }
    public Node Node => Build.Node;
    public Attributes Attributes => Build.Attributes;

    /// <summary>True when input i is present and known to be a tensor of <paramref name="type"/>.</summary>
    public bool InputIs(int i, Tensors.DataType type) =>
        Build.HasInput(i) && i < InputTypes.Length && InputTypes[i] is { Kind: ValueKind.Tensor } t && t.ElementType == type;

    /// <summary>True when every present input is a float32 tensor (and at least <paramref name="min"/> are present).</summary>
    public bool AllInputsFloat(int min = 1)
    {
        if (Build.InputCount < min) return false;
        for (int i = 0; i < Build.InputCount; i++)
            if (Build.HasInput(i) && !InputIs(i, Tensors.DataType.Float)) return false;
        return true;
    }
}

/// <summary>Builds the GPU op of a node, or returns null when the node has no GPU kernel (it then runs on the CPU).</summary>
public delegate GpuOp? GpuOpFactory(GpuOpBuildContext ctx);

/// <summary>
/// The GPU ops by (domain, op type): the one table to add a GPU kernel to. An entry covers every opset of the op type;
/// the factory checks opset, attributes and element types and returns null for what it does not handle.
/// </summary>
public sealed class GpuOpTable
{
    private readonly Dictionary<(string Domain, string OpType), GpuOpFactory> _factories = new();

    /// <summary>The table with every built-in GPU op.</summary>
    public static GpuOpTable Default { get; } = CreateDefault();

    public static GpuOpTable CreateDefault()
    {
        var t = new GpuOpTable();
        Ops.GpuElementwiseOps.Register(t);
        Ops.GpuFusedElementwiseOp.Register(t);
        Ops.GpuMatMulOps.Register(t);
        Ops.GpuFusedGemmOp.Register(t);
        Ops.GpuShapeOps.Register(t);
        Ops.GpuConvOps.Register(t);
        Ops.GpuConvTransposeOp.Register(t);
        Ops.GpuNormalizationOps.Register(t);
        Ops.GpuDataOps.Register(t);
        Ops.GpuIndexOps.Register(t);
        Ops.GpuTypedOps.Register(t);
        Ops.GpuReduceOps.Register(t);
        Ops.GpuHostOps.Register(t);
        Ops.GpuMiscOps.Register(t);
        Ops.GpuResizeOps.Register(t);
        return t;
    }

    public void Register(string domain, string opType, GpuOpFactory factory) =>
        _factories[(OpRegistry.NormalizeDomain(domain), opType)] = factory;

    public void Register(string opType, GpuOpFactory factory) => Register("", opType, factory);

    /// <summary>
    /// Adds a factory for an op type that may already have one: the existing factory is asked first and
    /// <paramref name="factory"/> only when it returns null (e.g. the float32 kernels first, then the any-type ones).
    /// </summary>
    public void RegisterAfter(string opType, GpuOpFactory factory)
    {
        if (_factories.TryGetValue(("", opType), out var first)) _factories[("", opType)] = ctx => first(ctx) ?? factory(ctx);
        else _factories[("", opType)] = factory;
    }

    public bool Knows(string domain, string opType) => _factories.ContainsKey((OpRegistry.NormalizeDomain(domain), opType));

    /// <summary>The op types with an entry (for listings).</summary>
    public IEnumerable<string> OpTypes => _factories.Keys.Select(k => k.Domain.Length == 0 ? k.OpType : $"{k.Domain}:{k.OpType}").Order();

    /// <summary>The GPU op for a node, or null.</summary>
    public GpuOp? TryCreate(GpuOpBuildContext ctx) =>
        _factories.TryGetValue((OpRegistry.NormalizeDomain(ctx.Node.Domain), ctx.Node.OpType), out var f) ? f(ctx) : null;
}
