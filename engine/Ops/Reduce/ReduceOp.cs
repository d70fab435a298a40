using System.Numerics;
using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// The shared contract of the Reduce* ops: reduce input 0 over <c>axes</c> (an attribute before
/// <paramref name="axesInputSince"/>, the optional input 1 from then on) with <typeparamref name="TR"/>. No axes reduce
/// every axis, unless noop_with_empty_axes is set, in which case each element is reduced alone. keepdims (default 1)
/// keeps reduced axes as size 1. An empty reduced set yields the reduction's identity element.
/// </summary>
internal abstract class ReduceOp<TR> : TensorOp where TR : IReduction
{
    private readonly string _op;
    private readonly long[]? _axesAttribute;
    private readonly bool _axesFromInput;
    private readonly bool _keepDims;
    private readonly bool _noopWithEmptyAxes;
    private readonly bool _allowBool;
    private readonly FloatReduceKind? _float;

    protected ReduceOp(OpBuildContext ctx, int axesInputSince, bool allowBool = false, FloatReduceKind? floatPath = null)
    {
        _float = floatPath;
        _op = ctx.Node.OpType;
        _axesFromInput = ctx.Opset >= axesInputSince;
        _axesAttribute = _axesFromInput ? null : ctx.Attributes.Ints("axes");
        _keepDims = ctx.Attributes.Int("keepdims", 1) != 0;
        _noopWithEmptyAxes = ctx.Attributes.Int("noop_with_empty_axes", 0) != 0;
        _allowBool = allowBool;
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var plan = Plan(x.Shape, _axesFromInput ? inputs.Opt(1) : null);
        if (_float is { } kind && FloatReduce.Handles(x.DataType)) return [FloatReduce.Run(x, plan, kind)];
        return [NumericWork.Apply(x, new Run(plan), _op, _allowBool)];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs)
    {
        if (inputs.Length == 0 || inputs[0] is not { Shape: { } shape } x) return null;
        long[] axes;
        if (_axesFromInput)
        {
            if (node.HasInput(1) && node.ConstantInput(1) is not { } constant) return null;
            axes = node.ConstantInput(1)?.ToInt64Array() ?? [];
        }
        else axes = _axesAttribute ?? [];
        if (axes.Length == 0 && _noopWithEmptyAxes) return [x];
        var reduced = new bool[shape.Length];
        foreach (long a in axes)
        {
            if (a < -shape.Length || a >= shape.Length) return null;
            reduced[a < 0 ? a + shape.Length : a] = true;
        }
        var dims = new List<Dim>();
        for (int d = 0; d < shape.Length; d++)
        {
            bool r = axes.Length == 0 || reduced[d];
            if (!r) dims.Add(shape[d]);
            else if (_keepDims) dims.Add(Dim.Known(1));
        }
        return [x with { Shape = dims.ToArray() }];
    }

    private ReducePlan Plan(int[] shape, Tensor? axesInput)
    {
        long[] axes;
        if (axesInput is not null)
        {
            if (!DataTypes.IsInteger(axesInput.DataType) || axesInput.Rank > 1)
                throw new ArgumentException($"{_op}: axes must be a 1-D integer tensor, got {axesInput}.");
            axes = axesInput.ToInt64Array();
        }
        else axes = _axesAttribute ?? [];
        if (axes.Length > 0) return ReducePlan.Create(shape, axes, _keepDims, _op);
        return _noopWithEmptyAxes ? ReducePlan.Create(shape, [], _keepDims, _op) : ReducePlan.All(shape, _keepDims);
    }

    private readonly struct Run(ReducePlan plan) : ITensorFunc
    {
        public Tensor Invoke<T>(Tensor<T> x) where T : unmanaged, INumber<T> => ReduceDriver.Reduce<T, TR>(x, plan);
    }
}
