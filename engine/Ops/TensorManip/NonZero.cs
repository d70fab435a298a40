using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// NonZero: the coordinates of the nonzero elements (row-major order) as an int64 tensor [rank, count]; for strings,
/// nonempty counts as nonzero.
/// </summary>
internal sealed class NonZero : TensorOp
{
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var hits = new List<int>();
        if (x is Tensor<string> s)
        {
            for (int i = 0; i < s.Length; i++)
                if (s[i].Length > 0) hits.Add(i);
        }
        else
            for (int i = 0; i < x.Length; i++)
                if (x.GetDouble(i) != 0) hits.Add(i);
        int rank = x.Rank, n = hits.Count;
        var y = new Tensor<long>([rank, n]);
        var span = y.Span;
        var strides = ShapeUtil.Strides(x.Shape);
        for (int j = 0; j < n; j++)
        {
            int rest = hits[j];
            for (int d = 0; d < rank; d++)
            {
                span[d * n + j] = rest / strides[d];
                rest %= strides[d];
            }
        }
        return [y];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [TypeInfo.Tensor(DataType.Int64, TypeRules.At(inputs, 0)?.Shape is { } s ? [Dim.Known(s.Length), Dim.Unknown] : null)];
}
