namespace NativeInfer.Ops.Reduce;

/// <summary>
/// Hardmax: 1 at the first maximal element along an axis, 0 elsewhere (see <see cref="SoftmaxOpBase"/> for axis rules).
/// </summary>
internal sealed class Hardmax(OpBuildContext ctx) : SoftmaxOpBase(ctx)
{
    protected override void Apply<T>(ReadOnlySpan<T> x, Span<T> y, ReducePlan plan, int axis)
    {
        if (plan.ReducedCount == 0) return;
        var winners = ArgIndex.Indices<T, ArgMax.First>(x, plan).Span;
        var (_, n, inner) = ReducePlan.Split(plan.InputShape, axis);
        for (int o = 0; o < winners.Length; o++)
        {
            int outer = o / inner, j = o % inner;
            y[(outer * n + (int)winners[o]) * inner + j] = T.One;
        }
    }
}
