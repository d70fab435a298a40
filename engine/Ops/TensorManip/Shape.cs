using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// Shape: the input's dims as a 1-D int64 tensor. From opset 15, start/end (negative counts from the back, both clamped
/// to [0, rank]) select a sub-range; an empty range gives an empty tensor.
/// </summary>
internal sealed class Shape(long start, long? end) : TensorOp
{
    public static Shape Create(OpBuildContext ctx) =>
        new(ctx.Attributes.Int("start", 0), ctx.Attributes.Has("end") ? ctx.Attributes.Int("end") : null);

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var (from, to) = Range(x.Rank);
        var dims = new long[to - from];
        for (int i = 0; i < dims.Length; i++) dims[i] = x.Shape[from + i];
        return [new Tensor<long>(dims, [dims.Length])];
    }

    private (int From, int To) Range(int rank)
    {
        static int Clamp(long v, int rank) => (int)Math.Clamp(v < 0 ? v + rank : v, 0, rank);
        int from = Clamp(start, rank), to = Clamp(end ?? rank, rank);
        return (from, Math.Max(from, to));
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs)
    {
        if (inputs.Length == 0 || inputs[0]?.Shape is not { } s) return [TypeInfo.Tensor(DataType.Int64, [Dim.Unknown])];
        var (from, to) = Range(s.Length);
        return [TypeInfo.Tensor(DataType.Int64, [Dim.Known(to - from)])];
    }
}
