using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Transformer;

/// <summary>
/// ai.onnx.preview FlexAttention (opset 1): Y = prob_mod(softmax(score_mod(Q·Kᵀ·scale)))·V for 4-D
/// [batch, heads, seq, head_size] inputs, scale defaulting to 1/√head_size. score_mod and prob_mod are optional graph
/// attributes taking and returning the whole [batch, q_heads, q_len, kv_len] tensor. Query heads share kv heads in
/// groups (q head h reads kv head h / (q_heads / kv_heads)). Work happens in softmax_precision when given, else in
/// float32 for 16-bit inputs and the input type otherwise; Y has V's element type. A fully masked (all −inf) score row
/// gives zero weights.
/// </summary>
internal sealed class FlexAttention : TensorOp
{
    private const string Op = "FlexAttention";
    private readonly double? _scale;
    private readonly Graph? _scoreMod;
    private readonly Graph? _probMod;
    private readonly Precision? _precision;

    public FlexAttention(OpBuildContext ctx)
    {
        var a = ctx.Attributes;
        _scale = a.Has("scale") ? a.Float("scale") : null;
        _scoreMod = a.Graph("score_mod");
        _probMod = a.Graph("prob_mod");
        _precision = a.Has("softmax_precision") ? Precision.FromCode(a.Int("softmax_precision"), Op) : null;
        foreach (var g in new[] { _scoreMod, _probMod })
            if (g is not null && (g.FeedInputs.Count() != 1 || g.Outputs.Count != 1))
                throw new NotSupportedException($"{Op}: a modifier graph must take one input and produce one output.");
        if (a.Has("mask_mod")) throw new NotSupportedException($"{Op}: the mask_mod attribute is not supported.");
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        Tensor q = inputs.Req(0), k = inputs.Req(1), v = inputs.Req(2);
        foreach (var (t, name) in new[] { (q, "Q"), (k, "K"), (v, "V") })
        {
            FloatBuffers.RequireFloat(t, Op, name);
            FloatBuffers.RequireRank(t, 4, Op, name);
        }
        int batch = q.Shape[0], qHeads = q.Shape[1], qLen = q.Shape[2], size = q.Shape[3];
        int kvHeads = k.Shape[1], kvLen = k.Shape[2], vSize = v.Shape[3];
        if (k.Shape[0] != batch || v.Shape[0] != batch || v.Shape[1] != kvHeads || v.Shape[2] != kvLen || k.Shape[3] != size)
            throw new ShapeMismatchException($"{Op}: Q {q}, K {k} and V {v} do not agree.");
        if (kvHeads == 0 || qHeads % kvHeads != 0)
            throw new ShapeMismatchException($"{Op}: query heads {qHeads} must be a multiple of kv heads {kvHeads}.");

        var p = _precision ?? (q.DataType is DataType.Float16 or DataType.BFloat16
            ? new Precision(DataType.Float)
            : new Precision(q.DataType));
        double scale = _scale ?? 1.0 / Math.Sqrt(size);
        double[] qs = FloatBuffers.Read(q), ks = FloatBuffers.Read(k), vs = FloatBuffers.Read(v);
        p.RoundAll(qs);
        p.RoundAll(ks);
        p.RoundAll(vs);

        int[] scoreShape = [batch, qHeads, qLen, kvLen];
        var scores = FloatBuffers.Allocate((long)batch * qHeads * qLen * kvLen);
        int group = qHeads / kvHeads;
        for (int b = 0; b < batch; b++)
        for (int h = 0; h < qHeads; h++)
        {
            var kHead = ks.AsSpan((b * kvHeads + h / group) * kvLen * size, kvLen * size);
            for (int i = 0; i < qLen; i++)
            {
                var qRow = qs.AsSpan(((b * qHeads + h) * qLen + i) * size, size);
                var row = scores.AsSpan(((b * qHeads + h) * qLen + i) * kvLen, kvLen);
                for (int j = 0; j < kvLen; j++)
                    row[j] = p.Round(p.Round(AttentionMath.Dot(qRow, kHead.Slice(j * size, size))) * scale);
            }
        }
        if (_scoreMod is not null) scores = Modify(ctx, _scoreMod, scores, scoreShape, p);
        for (int r = 0; r < batch * qHeads * qLen; r++) AttentionMath.Softmax(scores.AsSpan(r * kvLen, kvLen), p);
        if (_probMod is not null) scores = Modify(ctx, _probMod, scores, scoreShape, p);

        var y = FloatBuffers.Allocate((long)batch * qHeads * qLen * vSize);
        for (int b = 0; b < batch; b++)
        for (int h = 0; h < qHeads; h++)
        {
            var vHead = vs.AsSpan((b * kvHeads + h / group) * kvLen * vSize, kvLen * vSize);
            for (int i = 0; i < qLen; i++)
            {
                int r = (b * qHeads + h) * qLen + i;
                var o = y.AsSpan(r * vSize, vSize);
                AttentionMath.WeightedRows(scores.AsSpan(r * kvLen, kvLen), vHead, vSize, o);
                p.RoundAll(o);
            }
        }
        return [FloatBuffers.Write(y, [batch, qHeads, qLen, vSize], v.DataType)];
    }

    /// <summary>Runs a modifier graph on the whole score tensor; its output must keep the shape.</summary>
    private static double[] Modify(OpContext ctx, Graph graph, double[] data, int[] shape, Precision p)
    {
        var input = FloatBuffers.Write(data, shape, p.Type);
        var result = ctx.RunSubgraph(graph, [input]);
        if (result.Length != 1 || result[0] is not Tensor t || !t.Shape.AsSpan().SequenceEqual(shape) || !DataTypes.IsFloatingPoint(t.DataType))
            throw new ShapeMismatchException($"{Op}: a modifier graph must return one float tensor of shape {ShapeUtil.Format(shape)}.");
        var r = FloatBuffers.Read(t);
        p.RoundAll(r);
        return r;
    }
}
