using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// ReverseSequence: for each batch entry b, reverses the first sequence_lens[b] steps along time_axis and keeps the
/// rest; batch_axis/time_axis are 0 and 1 in either order (defaults 1 and 0).
/// </summary>
internal sealed class ReverseSequence(int batchAxis, int timeAxis) : TensorOp
{
    public static ReverseSequence Create(OpBuildContext ctx)
    {
        long batch = ctx.Attributes.Int("batch_axis", 1), time = ctx.Attributes.Int("time_axis", 0);
        if (!(batch == 0 && time == 1 || batch == 1 && time == 0))
            throw new NotSupportedException($"ReverseSequence needs batch_axis/time_axis 0 and 1, got {batch} and {time}.");
        return new((int)batch, (int)time);
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        if (x.Rank < 2) throw new ShapeMismatchException("ReverseSequence input must have rank 2 or more.");
        var lens = inputs.Req(1).ToInt64Array();
        int batch = x.Shape[batchAxis], time = x.Shape[timeAxis];
        if (lens.Length != batch)
            throw new ShapeMismatchException($"ReverseSequence has {lens.Length} sequence lengths for a batch of {batch}.");
        foreach (long l in lens)
            if (l < 0 || l > time) throw new ArgumentOutOfRangeException("sequence_lens", $"Sequence length {l} is outside [0, {time}].");
        int inner = IndexMath.Product(x.Shape, 2, x.Rank);
        int d1 = x.Shape[1];
        var starts = new int[x.Shape[0] * d1];
        for (int i0 = 0; i0 < x.Shape[0]; i0++)
            for (int i1 = 0; i1 < d1; i1++)
            {
                int b = batchAxis == 0 ? i0 : i1, t = timeAxis == 0 ? i0 : i1;
                int src = t < lens[b] ? (int)lens[b] - 1 - t : t;
                starts[i0 * d1 + i1] = ((timeAxis == 0 ? src * d1 + i1 : i0 * d1 + src)) * inner;
            }
        var y = Tensor.Create(x.DataType, (int[])x.Shape.Clone());
        TensorCopy.Gather(x, starts, inner, y);
        return [y];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) => [TypeRules.At(inputs, 0)];
}
