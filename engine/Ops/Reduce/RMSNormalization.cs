using System.Numerics;
using System.Runtime.CompilerServices;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// RMSNormalization (opset 23): Y = X / sqrt(mean(X²) + epsilon) · Scale, the mean taken over the axes from
/// <c>axis</c> (default -1) to the last; Scale broadcasts to the normalized shape (or to X). epsilon defaults to 1e-5.
/// </summary>
internal sealed class RMSNormalization : FloatOp
{
    private const string Op = "RMSNormalization";
    private readonly long _axis;
    private readonly double _epsilon;

    public RMSNormalization(OpBuildContext ctx) : base(Op)
    {
        _axis = ctx.Attributes.Int("axis", -1);
        _epsilon = ctx.Attributes.Float("epsilon", 1e-5f);
        var stash = (DataType)ctx.Attributes.Int("stash_type", 1);
        if (!DataTypes.IsFloatingPoint(stash))
            throw new NotSupportedException($"{Op}: stash_type {(int)stash} is not a supported floating-point type.");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override Tensor Run<T>(Tensor x, Tensor?[] inputs)
    {
        int axis = RowNorm.Axis(_axis, x, Op);
        if (typeof(T) == typeof(float))
        {
            // float32 path (float16/bfloat16 widened): the vectorized row kernel
            int rowCount = ShapeUtil.ElementCount(x.Shape.AsSpan(0, axis)), n = ShapeUtil.ElementCount(x.Shape.AsSpan(axis));
            var fs = new RowNorm.Param<float>(inputs.Req(1), x.Shape, axis, Op, "scale");
            var yf = Tensor<float>.Uninitialized(x.Shape);
            NormalizationKernels.RmsNorm(FloatWork.As<float>(x).Span, yf.Span, rowCount, n, fs.Values, fs.RowStride, (float)_epsilon);
            return yf;
        }
        var xs = FloatWork.As<T>(x).Span;
        var plan = ReducePlan.Trailing(x.Shape, axis, keepDims: true);
        var inv = Moments.InvStd(Moments.MeanSquare(xs, plan, default), _epsilon);
        var scale = new RowNorm.Param<T>(inputs.Req(1), x.Shape, axis, Op, "scale");
        var y = new Tensor<T>(x.Shape);
        var ys = y.Span;
        int cols = plan.ReducedCount;
        for (int r = 0; r < inv.Length; r++)
        {
            var s = scale.Row(r);
            for (int c = 0, i = r * cols; c < cols; c++, i++) ys[i] = xs[i] * inv[r] * s[c];
        }
        return y;
    }
}
