using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// AffineGrid (opset 20): from affine matrices <c>theta</c> (N, 2, 3) or (N, 3, 4) and an output <c>size</c>
/// (N, C, H, W) or (N, C, D, H, W), the sampling grid (N, H, W, 2) or (N, D, H, W, 3) for GridSample: each point is
/// theta · (x, y[, z], 1) where x, y, z are normalized pixel-centre coordinates of the innermost-first axes
/// (align_corners puts ±1 on the corner pixel centres).
/// </summary>
internal sealed class AffineGridOp : TensorOp
{
    private readonly bool _alignCorners;

    public AffineGridOp(OpBuildContext ctx) => _alignCorners = ctx.Attributes.Int("align_corners", 0) != 0;

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [MiscTypes.ElementType(inputs, 0) is { } t ? TypeInfo.Tensor(t) : null];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var theta = inputs.Req(0);
        var size = inputs.Req(1).ToInt64Array();
        if (size.Length is not (4 or 5))
            throw new ShapeMismatchException($"AffineGrid: size must have 4 or 5 values, got {size.Length}.");
        int k = size.Length - 2;
        if (theta.Rank != 3 || theta.Shape[1] != k || theta.Shape[2] != k + 1 || theta.Shape[0] != size[0])
            throw new ShapeMismatchException(
                $"AffineGrid: theta must have shape [{size[0]},{k},{k + 1}], got {ShapeUtil.Format(theta.Shape)}.");
        var dims = ShapeUtil.FromInt64(size.AsSpan(2));
        int n = theta.Shape[0];
        int points = ShapeUtil.ElementCount(dims);
        var outShape = new int[k + 2];
        outShape[0] = n;
        dims.CopyTo(outShape, 1);
        outShape[^1] = k;
        long total = (long)n * points * k;
        TensorLimits.CheckAllocation(total, DataType.Double);

        // Normalized coordinate of every index, per spatial axis.
        var axisCoords = new double[k][];
        for (int d = 0; d < k; d++)
        {
            int len = dims[d];
            axisCoords[d] = new double[len];
            for (int i = 0; i < len; i++)
                axisCoords[d][i] = _alignCorners ? (len == 1 ? -1 : -1 + 2.0 * i / (len - 1)) : (2.0 * i + 1) / len - 1;
        }

        var th = MiscTensors.ToDoubles(theta);
        var result = new double[total];
        var index = new int[k];
        var homo = new double[k + 1];
        homo[k] = 1;
        for (int p = 0; p < points; p++)
        {
            // homo lists the innermost axis first: (x, y[, z], 1).
            for (int d = 0; d < k; d++) homo[d] = axisCoords[k - 1 - d][index[k - 1 - d]];
            for (int b = 0; b < n; b++)
                for (int row = 0; row < k; row++)
                {
                    double s = 0;
                    for (int col = 0; col <= k; col++) s += th[(b * k + row) * (k + 1) + col] * homo[col];
                    result[((long)b * points + p) * k + row] = s;
                }
            for (int d = k - 1; d >= 0 && ++index[d] == dims[d]; d--) index[d] = 0;
        }
        return [MiscTensors.FromDoubles(result, theta.DataType, outShape)];
    }
}
