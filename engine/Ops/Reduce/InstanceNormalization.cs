using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// InstanceNormalization: standardizes each (n, c) slice of X [N, C, spatial...] over its spatial dims, then applies the
/// per-channel scale and B: y = scale[c] · (x − mean) / sqrt(var + epsilon) + B[c]; epsilon defaults to 1e-5.
/// </summary>
internal sealed class InstanceNormalization(OpBuildContext ctx) : FloatOp(Op)
{
    private const string Op = "InstanceNormalization";
    private readonly double _epsilon = ctx.Attributes.Float("epsilon", 1e-5f);

    protected override Tensor Run<T>(Tensor x, Tensor?[] inputs)
    {
        var (n, channels, spatial) = ChannelNorm.Dims(x, Op);
        var scale = ChannelNorm.Vector<T>(inputs.Req(1), channels, Op, "scale");
        var bias = ChannelNorm.Vector<T>(inputs.Req(2), channels, Op, "B");
        var xs = FloatWork.As<T>(x).Span;
        var (mean, inv) = Moments.Standardize(xs, ReducePlan.Trailing(x.Shape, 2, keepDims: true), _epsilon);
        var y = new Tensor<T>(x.Shape);
        ChannelNorm.Affine(xs, y.Span, n, channels, spatial, perSample: true, mean, inv, scale, bias);
        return y;
    }
}
