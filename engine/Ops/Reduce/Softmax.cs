using System.Numerics;

namespace NativeInfer.Ops.Reduce;

/// <summary>Softmax: exp(x − max) / Σ exp(x − max) along an axis (see <see cref="SoftmaxOpBase"/> for axis rules).</summary>
internal sealed class Softmax(OpBuildContext ctx) : SoftmaxOpBase(ctx)
{
    /// <summary>In place over X (float path: the row passes read X before writing Y at each index).</summary>
    public override IReadOnlyList<int> InPlaceInputs => [0];

    protected override bool? FloatLog => false;

    protected override void Apply<T>(ReadOnlySpan<T> x, Span<T> y, ReducePlan plan, int axis)
    {
        var (max, sum) = MaxAndSumExp(x, plan);
        ReduceDriver.Map(x, y, plan, max, sum, new Normalize<T>());
    }

    private readonly struct Normalize<T> : IStatMap<T> where T : IFloatingPointIeee754<T>
    {
        public T Map(T x, T max, T sum) => T.Exp(x - max) / sum;
    }
}
