using System.Runtime.CompilerServices;
using NativeInfer.IR;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// Concat: joins the inputs along axis (negative counts from the back); all other dims must match. Inputs may be empty
/// along the axis.
/// </summary>
internal sealed class Concat(long axis) : TensorOp
{
    public static Concat Create(OpBuildContext ctx) =>
        new(ctx.Opset < 4 ? ctx.Attributes.Int("axis", 1) : ctx.Attributes.Int("axis"));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        if (inputs.Length == 0) throw new ArgumentException("Concat needs at least one input.");
        var first = inputs.Req(0);
        int rank = first.Rank;
        int a = ShapeUtil.NormalizeAxis(axis, rank);
        if (rank == 0) throw new ShapeMismatchException("Concat inputs must have rank 1 or more.");
        long total = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            var t = inputs.Req(i);
            if (t.DataType != first.DataType) throw new ArgumentException("Concat inputs must share one element type.");
            if (t.Rank != rank) throw new ShapeMismatchException($"Concat input {i} has rank {t.Rank}, expected {rank}.");
            for (int d = 0; d < rank; d++)
                if (d != a && t.Shape[d] != first.Shape[d])
                    throw new ShapeMismatchException(
                        $"Concat input {i} has shape {ShapeUtil.Format(t.Shape)}, incompatible with {ShapeUtil.Format(first.Shape)} on axis {a}.");
            total += t.Shape[a];
        }
        var shape = (int[])first.Shape.Clone();
        shape[a] = checked((int)total);
        bool raw = RawTensor.IsRaw(first.DataType);
        var y = raw ? RawTensor.Uninitialized(first.DataType, shape) : Tensor.Create(first.DataType, shape);
        int outer = IndexMath.Product(shape, 0, a), inner = IndexMath.Product(shape, a + 1, rank);
        int rowOut = shape[a] * inner, offset = 0, es = raw ? DataTypes.SizeOf(first.DataType) : 0;
        foreach (var t in inputs)
        {
            int row = t!.Shape[a] * inner;
            if (row > 0 && outer > 0)
            {
                // each input row lands at its offset in every output row: one block copy per row
                if (raw) CopyKernels.Rows(t.RawBytes(), 0, (long)row * es, y.RawBytes(), (long)offset * es, (long)rowOut * es, outer, (long)row * es);
                else TensorCopy.Copy(t, 0, [row, 1], y, offset, [rowOut, 1], [outer, row]);
            }
            offset += row;
        }
        return [y];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs)
    {
        if (inputs.Length == 0 || inputs.Any(t => t?.Shape is null)) return [TypeRules.Like(inputs, 0)];
        var shape = (Dim[])inputs[0]!.Shape!.Clone();
        int a = ShapeUtil.NormalizeAxis(axis, shape.Length);
        bool known = inputs.All(t => t!.Shape!.Length == shape.Length && t.Shape[a].IsKnown);
        shape[a] = known ? Dim.Known(inputs.Sum(t => t!.Shape![a].Value)) : Dim.Unknown;
        return [TypeRules.Like(inputs, 0, shape)];
    }
}
