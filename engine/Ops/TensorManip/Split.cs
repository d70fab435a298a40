using System.Runtime.CompilerServices;
using NativeInfer.IR;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// Split: cuts the input along axis into one piece per output. Piece sizes come from the split attribute (before
/// opset 13) or input 1 (since), else from num_outputs (opset 18: pieces of ceil(dim/n), the last one smaller), else
/// equal pieces, one per output.
/// </summary>
internal sealed class Split(long axis, long[]? splitAttribute, long numOutputs) : TensorOp
{
    public static Split Create(OpBuildContext ctx)
    {
        long numOutputs = ctx.Opset >= 18 ? ctx.Attributes.Int("num_outputs", 0) : 0;
        if (numOutputs > 0 && numOutputs != ctx.OutputCount)
            throw new NotSupportedException($"Split num_outputs is {numOutputs} but the node has {ctx.OutputCount} outputs.");
        if (numOutputs > 0 && ctx.HasInput(1))
            throw new NotSupportedException("Split takes either the split input or num_outputs, not both.");
        return new(ctx.Attributes.Int("axis", 0), ctx.Opset < 13 ? ctx.Attributes.Ints("split") : null, numOutputs);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        int a = ShapeUtil.NormalizeAxis(axis, x.Rank);
        int dim = x.Shape[a];
        var sizes = Sizes(splitAttribute ?? IndexMath.ReadInts(inputs.Opt(1)), dim, ctx.OutputCount);
        int outer = IndexMath.Product(x.Shape, 0, a), inner = IndexMath.Product(x.Shape, a + 1, x.Rank);
        var outputs = new Tensor?[sizes.Length];
        bool raw = RawTensor.IsRaw(x.DataType);
        int es = raw ? DataTypes.SizeOf(x.DataType) : 0;
        int start = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            var shape = (int[])x.Shape.Clone();
            shape[a] = sizes[i];
            int row = sizes[i] * inner;
            var y = raw ? RawTensor.Uninitialized(x.DataType, shape) : Tensor.Create(x.DataType, shape);
            if (row > 0 && outer > 0)
            {
                if (raw) CopyKernels.Rows(x.RawBytes(), (long)start * inner * es, (long)dim * inner * es, y.RawBytes(), 0, (long)row * es, outer, (long)row * es);
                else TensorCopy.Copy(x, start * inner, [dim * inner, 1], y, 0, [row, 1], [outer, row]);
            }
            outputs[i] = y;
            start += sizes[i];
        }
        return outputs;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int[] Sizes(long[]? split, int dim, int outputs)
    {
        if (split is not null)
        {
            if (split.Length != outputs)
                throw new ArgumentException($"Split lists {split.Length} sizes but the node has {outputs} outputs.");
            if (split.Any(s => s < 0) || split.Sum() != dim)
                throw new ShapeMismatchException($"Split sizes [{string.Join(",", split)}] do not add up to the axis size {dim}.");
            return split.Select(s => (int)s).ToArray();
        }
        if (numOutputs > 0)
        {
            if (numOutputs != outputs)
                throw new ArgumentException($"Split num_outputs is {numOutputs} but the node has {outputs} outputs.");
            int chunk = (int)((dim + numOutputs - 1) / numOutputs);
            var r = new int[outputs];
            for (int i = 0; i < outputs; i++) r[i] = Math.Clamp(dim - i * chunk, 0, chunk);
            return r;
        }
        if (outputs == 0 || dim % outputs != 0)
            throw new ShapeMismatchException($"Axis size {dim} cannot be split into {outputs} equal parts.");
        return Enumerable.Repeat(dim / outputs, outputs).ToArray();
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) => TypeRules.SameElementType(inputs, 0, node.OutputCount);
}
