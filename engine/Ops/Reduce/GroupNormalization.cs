using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// GroupNormalization: splits the C channels of X [N, C, spatial...] into num_groups groups, standardizes each
/// (n, group) over its channels and spatial dims, then y = scale · norm + bias. scale and bias are per group in
/// opset 18 and per channel from opset 21. epsilon defaults to 1e-5.
/// </summary>
internal sealed class GroupNormalization : FloatOp
{
    private const string Op = "GroupNormalization";
    private readonly double _epsilon;
    private readonly int _groups;
    private readonly bool _perChannel;

    public GroupNormalization(OpBuildContext ctx) : base(Op)
    {
        _epsilon = ctx.Attributes.Float("epsilon", 1e-5f);
        _groups = checked((int)ctx.Attributes.Int("num_groups"));
        _perChannel = ctx.Opset >= 21;
        if (_groups <= 0) throw new ArgumentException($"{Op}: num_groups must be positive, got {_groups}.");
        var stash = (DataType)ctx.Attributes.Int("stash_type", 1);
        if (!DataTypes.IsFloatingPoint(stash))
            throw new NotSupportedException($"{Op}: stash_type {(int)stash} is not a supported floating-point type.");
    }

    protected override Tensor Run<T>(Tensor x, Tensor?[] inputs)
    {
        var (n, channels, spatial) = ChannelNorm.Dims(x, Op);
        if (channels % _groups != 0)
            throw new ShapeMismatchException($"{Op}: {channels} channels do not split into {_groups} groups.");
        int perGroup = channels / _groups;
        int paramLength = _perChannel ? channels : _groups;
        var scale = ChannelNorm.Vector<T>(inputs.Req(1), paramLength, Op, "scale");
        var bias = ChannelNorm.Vector<T>(inputs.Req(2), paramLength, Op, "bias");
        if (!_perChannel)
        {
            scale = Enumerable.Range(0, channels).Select(c => scale[c / perGroup]).ToArray();
            bias = Enumerable.Range(0, channels).Select(c => bias[c / perGroup]).ToArray();
        }
        var xs = FloatWork.As<T>(x).Span;
        var plan = ReducePlan.Trailing([n * _groups, perGroup * spatial], 1, keepDims: true);
        var (mean, inv) = Moments.Standardize(xs, plan, _epsilon);
        // Expand the per-(n, group) statistics to per-(n, channel) so the channel affine applies directly.
        var cMean = new T[n * channels];
        var cInv = new T[n * channels];
        for (int i = 0; i < cMean.Length; i++)
        {
            cMean[i] = mean[i / perGroup];
            cInv[i] = inv[i / perGroup];
        }
        var y = new Tensor<T>(x.Shape);
        ChannelNorm.Affine(xs, y.Span, n, channels, spatial, perSample: true, cMean, cInv, scale, bias);
        return y;
    }
}
