using System.Numerics;
using System.Runtime.CompilerServices;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// LayerNormalization (opset 17): standardizes X over the axes from <c>axis</c> (default -1) to the last, then
/// Y = norm · Scale + B (Scale and B broadcast to the normalized shape, or to X). epsilon defaults to 1e-5. Optional
/// outputs Mean and InvStdDev have X's leading dims followed by 1s and the stash_type element type (default float).
/// </summary>
internal sealed class LayerNormalization : TensorOp
{
    private const string Op = "LayerNormalization";
    private readonly long _axis;
    private readonly double _epsilon;
    private readonly DataType _stashType;

    public LayerNormalization(OpBuildContext ctx)
    {
        _axis = ctx.Attributes.Int("axis", -1);
        _epsilon = ctx.Attributes.Float("epsilon", 1e-5f);
        _stashType = (DataType)ctx.Attributes.Int("stash_type", 1);
        if (!DataTypes.IsFloatingPoint(_stashType))
            throw new NotSupportedException($"{Op}: stash_type {(int)_stashType} is not a supported floating-point type.");
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        int axis = RowNorm.Axis(_axis, x, Op);
        return FloatWork.IsDouble(x, Op) ? Run<double>(ctx, x, inputs, axis) : Run<float>(ctx, x, inputs, axis);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Tensor?[] Run<T>(OpContext ctx, Tensor x, Tensor?[] inputs, int axis) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return RunFloat(ctx, x, inputs, axis);
        var xs = FloatWork.As<T>(x).Span;
        var plan = ReducePlan.Trailing(x.Shape, axis, keepDims: true);
        var (mean, inv) = Moments.Standardize(xs, plan, _epsilon);
        var scale = new RowNorm.Param<T>(inputs.Req(1), x.Shape, axis, Op, "Scale");
        var bias = inputs.Opt(2) is { } b ? new RowNorm.Param<T>(b, x.Shape, axis, Op, "B") : default;
        var y = new Tensor<T>(x.Shape);
        var ys = y.Span;
        int cols = plan.ReducedCount;
        for (int r = 0; r < mean.Length; r++)
        {
            var s = scale.Row(r);
            var bs = bias.Row(r);
            for (int c = 0, i = r * cols; c < cols; c++, i++)
            {
                T v = (xs[i] - mean[r]) * inv[r] * s[c];
                ys[i] = bs.IsEmpty ? v : v + bs[c];
            }
        }
        return
        [
            FloatWork.To(y, x.DataType),
            ctx.OutputRequested(1) ? Moments.ToTensor(mean, plan.OutputShape, _stashType) : null,
            ctx.OutputRequested(2) ? Moments.ToTensor(inv, plan.OutputShape, _stashType) : null,
        ];
    }

    /// <summary>The float32 path (float16/bfloat16 widened): the vectorized row kernel.</summary>
    private Tensor?[] RunFloat(OpContext ctx, Tensor x, Tensor?[] inputs, int axis)
    {
        var xs = FloatWork.As<float>(x).Span;
        var plan = ReducePlan.Trailing(x.Shape, axis, keepDims: true);
        int rows = ShapeUtil.ElementCount(x.Shape.AsSpan(0, axis)), cols = ShapeUtil.ElementCount(x.Shape.AsSpan(axis));
        var scale = new RowNorm.Param<float>(inputs.Req(1), x.Shape, axis, Op, "Scale");
        var bias = inputs.Opt(2) is { } b ? new RowNorm.Param<float>(b, x.Shape, axis, Op, "B") : default;
        var mean = ctx.OutputRequested(1) ? new float[rows] : null;
        var inv = ctx.OutputRequested(2) ? new float[rows] : null;
        var y = Tensor<float>.Uninitialized(x.Shape);
        NormalizationKernels.LayerNorm(xs, y.Span, rows, cols, scale.Values, scale.RowStride, bias.Values, bias.RowStride,
            (float)_epsilon, mean, inv);
        return
        [
            FloatWork.To(y, x.DataType),
            mean is null ? null : Moments.ToTensor(mean, plan.OutputShape, _stashType),
            inv is null ? null : Moments.ToTensor(inv, plan.OutputShape, _stashType),
        ];
    }
}
