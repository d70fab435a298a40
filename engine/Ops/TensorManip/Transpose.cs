using System.Runtime.CompilerServices;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>Transpose: output dim i is input dim perm[i]; perm defaults to reversing the axes.</summary>
internal sealed class Transpose(long[]? perm) : TensorOp
{
    public static Transpose Create(OpBuildContext ctx)
    {
        var perm = ctx.Attributes.Ints("perm");
        if (perm is not null && !perm.Order().SequenceEqual(Enumerable.Range(0, perm.Length).Select(i => (long)i)))
            throw new NotSupportedException($"Transpose perm [{string.Join(",", perm)}] is not a permutation of 0..{perm.Length - 1}.");
        return new(perm);
    }

    /// <summary>The node's perm checked against an input of <paramref name="shape"/> (default: the dims reversed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int[] Permutation(long[]? perm, int[] shape)
    {
        int rank = shape.Length;
        var p = new int[rank];
        if (perm is null)
        {
            for (int i = 0; i < rank; i++) p[i] = rank - 1 - i;
            return p;
        }
        if (perm.Length != rank)
            throw new ShapeMismatchException($"Transpose perm has {perm.Length} entries but the input {ShapeUtil.Format(shape)} has rank {rank}.");
        var seen = new bool[rank];
        for (int i = 0; i < rank; i++)
        {
            if (perm[i] < 0 || perm[i] >= rank || seen[perm[i]])
                throw new ArgumentException($"Transpose perm [{string.Join(",", perm)}] is not a permutation of 0..{rank - 1}.");
            seen[perm[i]] = true;
            p[i] = (int)perm[i];
        }
        return p;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        int rank = x.Rank;
        var p = Permutation(perm, x.Shape);
        if (!RawTensor.IsRaw(x.DataType)) return [TensorCopy.Permute(x, x.Shape, p)];
        var shape = new int[rank];
        for (int i = 0; i < rank; i++) shape[i] = x.Shape[p[i]];
        var y = RawTensor.Uninitialized(x.DataType, shape);
        if (y.Length > 0) TransposeKernels.Permute(x.RawBytes(), y.RawBytes(), DataTypes.SizeOf(x.DataType), x.Shape, p);
        return [y];
    }
}
