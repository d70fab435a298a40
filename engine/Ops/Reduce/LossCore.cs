using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// The negative log-likelihood shared by NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss: for log-probabilities
/// [N, C, d...] and targets [N, d...], loss = −w[t] · logp[n, t, d...] with w the optional class weights (1 without)
/// and 0 where the target equals ignore_index. reduction "none" keeps the target's shape, "sum" adds the losses,
/// "mean" divides the sum by the total weight of the non-ignored targets.
/// </summary>
internal sealed class LossCore
{
    private readonly string _op;
    private readonly string _reduction;
    private readonly long? _ignoreIndex;

    public LossCore(OpBuildContext ctx)
    {
        _op = ctx.Node.OpType;
        _reduction = ctx.Attributes.String("reduction", "mean");
        if (_reduction is not ("none" or "sum" or "mean"))
            throw new NotSupportedException($"{_op}: reduction '{_reduction}' is not one of none, sum, mean.");
        _ignoreIndex = ctx.Attributes.Has("ignore_index") ? ctx.Attributes.Int("ignore_index") : null;
    }

    /// <summary>Validates the [N, C, d...] input against the [N, d...] target.</summary>
    public void CheckShapes(Tensor input, Tensor target)
    {
        bool ok = input.Rank >= 2 && target.Rank == input.Rank - 1 && target.Shape[0] == input.Shape[0]
                  && target.Shape.AsSpan(1).SequenceEqual(input.Shape.AsSpan(2));
        if (!ok) throw new ShapeMismatchException($"{_op}: input {input} [N, C, d...] does not match target {target} [N, d...].");
        if (target.DataType is not (DataType.Int32 or DataType.Int64))
            throw new NotSupportedException($"{_op}: target must be int32 or int64, got {DataTypes.Name(target.DataType)}.");
    }

    /// <summary>The loss tensor (shape of the target for "none", a scalar otherwise).</summary>
    public Tensor<T> Compute<T>(ReadOnlySpan<T> logProb, int[] inputShape, Tensor target, Tensor? weight)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = inputShape[0], classes = inputShape[1];
        int inner = ShapeUtil.ElementCount(inputShape.AsSpan(2));
        var labels = target.ToInt64Array();
        T[]? w = weight is null ? null : ChannelNorm.Vector<T>(weight, classes, _op, "weight");
        var losses = new T[labels.Length];
        T weightSum = T.Zero;
        for (int b = 0, i = 0; b < n; b++)
            for (int d = 0; d < inner; d++, i++)
            {
                long t = labels[i];
                if (t == _ignoreIndex) continue;
                if (t < 0 || t >= classes)
                    throw new ArgumentOutOfRangeException(nameof(target), $"{_op}: target {t} is outside [0, {classes}).");
                T wt = w is null ? T.One : w[t];
                losses[i] = -logProb[(b * classes + (int)t) * inner + d] * wt;
                weightSum += wt;
            }
        if (_reduction == "none") return new Tensor<T>(losses, (int[])target.Shape.Clone());
        T sum = T.Zero;
        foreach (T v in losses) sum += v;
        return Tensor<T>.Scalar(_reduction == "sum" ? sum : sum / weightSum);
    }
}
