using System.Numerics;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// The shared contract of Softmax, LogSoftmax and Hardmax on floating-point tensors: before opset 13 the input is
/// coerced to 2-D at <c>axis</c> (default 1) and the op runs along the flattened trailing dims; from opset 13 it runs
/// along the single axis (default -1). The output has the input's shape and type.
/// </summary>
internal abstract class SoftmaxOpBase : FloatOp
{
    private readonly bool _coerce2D;
    private readonly long _axis;

    protected SoftmaxOpBase(OpBuildContext ctx) : base(ctx.Node.OpType)
    {
        _coerce2D = ctx.Opset < 13;
        _axis = ctx.Attributes.Int("axis", _coerce2D ? 1 : -1);
    }

    protected override Tensor Run<T>(Tensor x, Tensor?[] inputs)
    {
        if (x.Rank == 0 || _axis < -x.Rank || _axis >= x.Rank)
            throw new ArgumentOutOfRangeException(nameof(inputs), $"{OpName}: axis {_axis} is out of range for {x}.");
        int axis = (int)(_axis < 0 ? _axis + x.Rank : _axis);
        int[] shape = x.Shape;
        if (_coerce2D)
        {
            shape = [ShapeUtil.ElementCount(x.Shape.AsSpan(0, axis)), ShapeUtil.ElementCount(x.Shape.AsSpan(axis))];
            axis = 1;
        }
        if (typeof(T) == typeof(float) && FloatLog is { } log)
        {
            // float32 path (float16/bfloat16 widened): the vectorized kernel over [outer, n, inner]
            int outer = ShapeUtil.ElementCount(shape.AsSpan(0, axis)), inner = ShapeUtil.ElementCount(shape.AsSpan(axis + 1));
            var yf = Tensor<float>.Uninitialized(x.Shape);
            SoftmaxKernels.Softmax(FloatWork.As<float>(x).Span, yf.Span, outer, shape[axis], inner, log);
            return yf;
        }
        var plan = ReducePlan.Create(shape, [axis], keepDims: true, OpName);
        var y = new Tensor<T>(x.Shape);
        Apply(FloatWork.As<T>(x).Span, y.Span, plan, axis);
        return y;
    }

    /// <summary>
    /// False for softmax, true for log-softmax: the op has the vectorized float kernel
    /// (<see cref="SoftmaxKernels"/>); null for ops without one.
    /// </summary>
    protected virtual bool? FloatLog => null;

    /// <summary>Writes the op's result for <paramref name="x"/> (shape plan.InputShape, reduced along <paramref name="axis"/>).</summary>
    protected abstract void Apply<T>(ReadOnlySpan<T> x, Span<T> y, ReducePlan plan, int axis) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Per row: the maximum and Σ exp(x − max).</summary>
    internal static (T[] Max, T[] SumExp) MaxAndSumExp<T>(ReadOnlySpan<T> x, ReducePlan plan) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var max = new T[plan.OutputCount];
        ReduceDriver.Reduce<T, ReduceMax.Kernel>(x, plan, max, default);
        var sum = new T[plan.OutputCount];
        ReduceDriver.Reduce<T, SumExp>(x, plan, sum, max);
        return (max, sum);
    }

    private struct SumExp : IReduction
    {
        public static Acc<T> Init<T>() where T : unmanaged, INumber<T> => default;
        public static void Step<T>(ref Acc<T> acc, T x) where T : unmanaged, INumber<T> =>
            acc.Value += NumericLimits.Exp(x);
        public static T Finish<T>(in Acc<T> acc, int count) where T : unmanaged, INumber<T> => acc.Value;
    }
}
