using System.Numerics;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// Col2Im: rearranges column blocks X [N, C·∏block, L] into an image [N, C, image_shape...], summing overlapping
/// entries; L must equal the number of block positions the image (with pads, strides, dilations) holds.
/// </summary>
internal sealed class Col2Im(ConvAttributes attrs) : TensorOp
{
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var image = ShapeUtil.FromInt64(inputs.Req(1).ToInt64Array());
        var block = ShapeUtil.FromInt64(inputs.Req(2).ToInt64Array());
        int rank = image.Length;
        if (block.Length != rank || rank == 0) throw new ShapeMismatchException("Col2Im image_shape and block_shape must have the same non-zero length.");
        if (x.Rank != 3) throw new ShapeMismatchException($"Col2Im input must be 3-D, got {ShapeUtil.Format(x.Shape)}.");
        int blockSize = ShapeUtil.ElementCount(block);
        if (blockSize == 0 || x.Shape[1] % blockSize != 0)
            throw new ShapeMismatchException($"Col2Im input dim 1 ({x.Shape[1]}) is not a multiple of the block size {blockSize}.");
        var window = attrs.Resolve(image, block);
        if (window.Geometry.OutputSize != x.Shape[2])
            throw new ShapeMismatchException($"Col2Im input has {x.Shape[2]} blocks but the image holds {window.Geometry.OutputSize}.");
        var type = x.DataType;
        var y = Dispatch.Numeric<Scatter, Tensor>(FloatWidening.IsNarrow(type) ? DataType.Float : type,
            new Scatter(FloatWidening.Widen(x), window.Geometry, x.Shape[1] / blockSize));
        return [FloatWidening.Narrow(y, type)];
    }

    private readonly struct Scatter(Tensor x, SpatialGeometry g, int channels) : INumericFunc<Tensor>
    {
        public Tensor Invoke<T>() where T : unmanaged, INumber<T>
        {
            int n = x.Shape[0];
            var y = new Tensor<T>([n, channels, .. g.Input]);
            int colSize = channels * g.KernelSize * g.OutputSize, imgSize = channels * g.InputSize;
            var src = x.As<T>().Memory;
            for (int b = 0; b < n; b++)
                Im2Col.Accumulate<T>(src.Span.Slice(b * colSize, colSize), channels, g, y.Span.Slice(b * imgSize, imgSize));
            return y;
        }
    }
}
