using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// The shared contract of CumSum and CumProd: running folds of <typeparamref name="TR"/> along the axis given by the
/// scalar (or 1-element) integer input 1. exclusive=1 leaves each element out of its own result (the first result
/// is the identity); reverse=1 runs from the end of the axis. The output has the input's shape and type.
/// </summary>
internal abstract class CumulativeOp<TR> : TensorOp where TR : IReduction
{
    private readonly string _op;
    private readonly bool _exclusive;
    private readonly bool _reverse;

    protected CumulativeOp(OpBuildContext ctx)
    {
        _op = ctx.Node.OpType;
        _exclusive = ctx.Attributes.Int("exclusive", 0) != 0;
        _reverse = ctx.Attributes.Int("reverse", 0) != 0;
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var axisInput = inputs.Req(1);
        if (!DataTypes.IsInteger(axisInput.DataType) || axisInput.Length != 1 || axisInput.Rank > 1)
            throw new ArgumentException($"{_op}: axis must be an integer scalar, got {axisInput}.");
        if (x.Rank == 0) throw new ArgumentException($"{_op}: the input must have rank ≥ 1.");
        long axis = axisInput.ToInt64Array()[0];
        if (axis < -x.Rank || axis >= x.Rank)
            throw new ArgumentOutOfRangeException(nameof(inputs), $"{_op}: axis {axis} is out of range for {x}.");
        var (outer, n, inner) = ReducePlan.Split(x.Shape, (int)(axis < 0 ? axis + x.Rank : axis));
        return [NumericWork.Apply(x, new Run(outer, n, inner, _exclusive, _reverse), _op)];
    }

    private readonly struct Run(int outer, int n, int inner, bool exclusive, bool reverse) : ITensorFunc
    {
        public Tensor Invoke<T>(Tensor<T> x) where T : unmanaged, INumber<T>
        {
            var y = new Tensor<T>(x.Shape);
            var xs = x.Span;
            var ys = y.Span;
            var acc = new Acc<T>[inner];
            for (int o = 0; o < outer; o++)
            {
                acc.AsSpan().Fill(TR.Init<T>());
                for (int step = 0; step < n; step++)
                {
                    int k = reverse ? n - 1 - step : step;
                    int row = (o * n + k) * inner;
                    for (int j = 0; j < inner; j++)
                    {
                        if (exclusive) ys[row + j] = TR.Finish(in acc[j], step);
                        TR.Step(ref acc[j], xs[row + j]);
                        if (!exclusive) ys[row + j] = TR.Finish(in acc[j], step + 1);
                    }
                }
            }
            return y;
        }
    }
}
