using System.Numerics;
using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// MaxUnpool: scatters X into a zero tensor at the flattened positions given by I (MaxPool's Indices). The output
/// shape is the optional output_shape input, else (in−1)·stride + kernel − pads per spatial dim.
/// </summary>
internal sealed class MaxUnpool(ConvAttributes attrs) : TensorOp
{
    public static MaxUnpool Create(OpBuildContext ctx)
    {
        var attrs = new ConvAttributes(ctx.Attributes);
        if (attrs.KernelShape is null) throw new NotSupportedException("MaxUnpool requires kernel_shape.");
        return new MaxUnpool(attrs);
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var indices = inputs.Req(1);
        var outShapeInput = inputs.Opt(2);
        if (x.Rank < 3) throw new ShapeMismatchException($"MaxUnpool input must have rank 3 or more, got {ShapeUtil.Format(x.Shape)}.");
        if (!indices.Shape.AsSpan().SequenceEqual(x.Shape))
            throw new ShapeMismatchException($"MaxUnpool indices {ShapeUtil.Format(indices.Shape)} must have X's shape {ShapeUtil.Format(x.Shape)}.");
        int rank = x.Rank - 2;
        var kernel = attrs.Kernel(rank, default);
        var strides = attrs.StridesFor(rank);
        var (pb, pe) = attrs.ExplicitPads(rank);
        var natural = new int[x.Rank];
        natural[0] = x.Shape[0];
        natural[1] = x.Shape[1];
        for (int i = 0; i < rank; i++)
        {
            long d = (long)(x.Shape[i + 2] - 1) * strides[i] + kernel[i] - pb[i] - pe[i];
            if (d < 0 || d > Array.MaxLength) throw new ShapeMismatchException($"MaxUnpool output dimension {d} is invalid.");
            natural[i + 2] = (int)d;
        }
        var outShape = natural;
        var positions = indices.ToInt64Array();
        if (outShapeInput is not null)
        {
            outShape = ShapeUtil.FromInt64(outShapeInput.ToInt64Array());
            if (outShape.Length != x.Rank) throw new ShapeMismatchException($"MaxUnpool output_shape must have {x.Rank} entries.");
            // Indices address the unpadded (natural) output; keep their coordinates in the requested shape.
            if (!outShape.AsSpan().SequenceEqual(natural)) Remap(positions, natural, outShape);
        }
        var type = x.DataType;
        var y = Dispatch.Numeric<Scatter, Tensor>(FloatWidening.IsNarrow(type) ? DataType.Float : type,
            new Scatter(FloatWidening.Widen(x), positions, outShape));
        return [FloatWidening.Narrow(y, type)];
    }

    private static void Remap(long[] positions, int[] from, int[] to)
    {
        long total = ShapeUtil.ElementCount(from);
        var toStrides = ShapeUtil.Strides(to);
        for (int i = 0; i < positions.Length; i++)
        {
            long p = positions[i];
            if ((ulong)p >= (ulong)total) throw new ArgumentOutOfRangeException(nameof(positions), $"MaxUnpool index {p} is out of range.");
            long r = 0;
            for (int d = from.Length - 1; d >= 0; d--)
            {
                long coord = p % from[d];
                p /= from[d];
                if (coord >= to[d]) throw new ShapeMismatchException($"MaxUnpool output_shape {ShapeUtil.Format(to)} is too small for the indices.");
                r += coord * toStrides[d];
            }
            positions[i] = r;
        }
    }

    private readonly struct Scatter(Tensor x, long[] indices, int[] outShape) : INumericFunc<Tensor>
    {
        public Tensor Invoke<T>() where T : unmanaged, INumber<T>
        {
            var y = new Tensor<T>(outShape);
            var src = x.As<T>().Span;
            var dst = y.Span;
            for (int i = 0; i < indices.Length; i++)
            {
                long at = indices[i];
                if ((ulong)at >= (ulong)dst.Length)
                    throw new ArgumentOutOfRangeException(nameof(indices), $"MaxUnpool index {at} is outside the output of {dst.Length} elements.");
                dst[(int)at] = src[i];
            }
            return y;
        }
    }
}
