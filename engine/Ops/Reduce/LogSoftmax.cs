using System.Numerics;
using System.Runtime.CompilerServices;

namespace NativeInfer.Ops.Reduce;

/// <summary>LogSoftmax: x − max − log Σ exp(x − max) along an axis (see <see cref="SoftmaxOpBase"/> for axis rules).</summary>
internal sealed class LogSoftmax(OpBuildContext ctx) : SoftmaxOpBase(ctx)
{
    /// <summary>In place over X (float path: the row passes read X before writing Y at each index).</summary>
    public override IReadOnlyList<int> InPlaceInputs => [0];

    protected override bool? FloatLog => true;

    protected override void Apply<T>(ReadOnlySpan<T> x, Span<T> y, ReducePlan plan, int axis) => Compute(x, y, plan);

    /// <summary>Log-softmax of <paramref name="x"/> along the plan's reduced axes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Compute<T>(ReadOnlySpan<T> x, Span<T> y, ReducePlan plan) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (max, sum) = MaxAndSumExp(x, plan);
        for (int o = 0; o < max.Length; o++) max[o] += T.Log(sum[o]);
        ReduceDriver.Map(x, y, plan, max, default, new Shift<T>());
    }

    private readonly struct Shift<T> : IStatMap<T> where T : IFloatingPointIeee754<T>
    {
        public T Map(T x, T logSumExp, T unused) => x - logSumExp;
    }
}
