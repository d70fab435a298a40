using System.Numerics;
using NativeInfer.IR;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// The shared contract of ArgMax/ArgMin: the int64 index of the winning element along <c>axis</c> (default 0),
/// keepdims (default 1) keeping the axis as size 1. Ties go to the first index, or the last with select_last_index
/// (opset 12). A NaN wins over numbers (the first NaN). The reduced axis must not be empty.
/// </summary>
internal abstract class ArgReduceOp<TFirst, TLast> : TensorOp where TFirst : IArgOrder where TLast : IArgOrder
{
    private readonly string _op;
    private readonly long _axis;
    private readonly bool _keepDims;
    private readonly bool _selectLast;
    private readonly bool _max;

    protected ArgReduceOp(OpBuildContext ctx, bool max)
    {
        _max = max;
        _op = ctx.Node.OpType;
        _axis = ctx.Attributes.Int("axis", 0);
        _keepDims = ctx.Attributes.Int("keepdims", 1) != 0;
        _selectLast = ctx.Attributes.Int("select_last_index", 0) != 0;
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var plan = ReducePlan.Create(x.Shape, [_axis], _keepDims, _op);
        if (plan.ReducedCount == 0) throw new ArgumentException($"{_op}: cannot pick an index along an empty axis of {x}.");
        if (x.DataType == DataType.Float) return [FloatIndices(x.As<float>(), plan)];
        return [_selectLast ? NumericWork.Apply(x, new Run<TLast>(plan), _op, allowBool: true)
                            : NumericWork.Apply(x, new Run<TFirst>(plan), _op, allowBool: true)];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs)
    {
        if (inputs.Length == 0 || inputs[0] is not { Shape: { } shape }) return null;
        if (_axis < -shape.Length || _axis >= shape.Length) return null;
        int axis = (int)(_axis < 0 ? _axis + shape.Length : _axis);
        var dims = _keepDims ? shape.Select((d, i) => i == axis ? Dim.Known(1) : d) : shape.Where((_, i) => i != axis);
        return [TypeInfo.Tensor(DataType.Int64, dims.ToArray())];
    }

    /// <summary>The float32 path: a vector search per row (last axis) or a vector compare across columns (other axes).</summary>
    private Tensor<long> FloatIndices(Tensor<float> x, ReducePlan plan)
    {
        int axis = ShapeUtil.NormalizeAxis(_axis, x.Rank);
        var (outer, n, inner) = ReducePlan.Split(x.Shape, axis);
        var y = Tensor<long>.Uninitialized(plan.OutputShape);
        var xs = x.Span;
        var ys = y.Span;
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++) ys[o] = ReduceKernels.ArgExtreme(xs.Slice(o * n, n), _max, _selectLast);
            return y;
        }
        var best = new float[inner];
        for (int o = 0; o < outer; o++)
            ReduceKernels.ArgExtremeColumns(xs.Slice(o * n * inner, n * inner), n, inner, _max, _selectLast, best, ys.Slice(o * inner, inner));
        return y;
    }

    private readonly struct Run<TOrder>(ReducePlan plan) : ITensorFunc where TOrder : IArgOrder
    {
        public Tensor Invoke<T>(Tensor<T> x) where T : unmanaged, INumber<T> => ArgIndex.Indices<T, TOrder>(x.Span, plan);
    }
}
