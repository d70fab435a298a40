using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// MeanVarianceNormalization: Y = (X − mean) / (sqrt(var) + 1e-9), mean and population variance taken over
/// <c>axes</c> (default [0, 2, 3]).
/// </summary>
internal sealed class MeanVarianceNormalization(OpBuildContext ctx) : FloatOp(Op)
{
    private const string Op = "MeanVarianceNormalization";
    private const double Epsilon = 1e-9;
    private readonly long[] _axes = ctx.Attributes.Ints("axes") ?? [0, 2, 3];

    protected override Tensor Run<T>(Tensor x, Tensor?[] inputs)
    {
        var plan = ReducePlan.Create(x.Shape, _axes, keepDims: true, Op);
        var xs = FloatWork.As<T>(x).Span;
        var mean = Moments.Mean(xs, plan);
        var variance = Moments.MeanSquare(xs, plan, mean);
        var y = new Tensor<T>(x.Shape);
        ReduceDriver.Map(xs, y.Span, plan, mean, variance, new Standardize<T>(T.CreateTruncating(Epsilon)));
        return y;
    }

    private readonly struct Standardize<T>(T epsilon) : IStatMap<T> where T : IFloatingPointIeee754<T>
    {
        public T Map(T x, T mean, T variance) => (x - mean) / (T.Sqrt(variance) + epsilon);
    }
}
