using System.Runtime.CompilerServices;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Transformer;

/// <summary>
/// ONNX Attention (opsets 23 and 24): Y = softmax(softcap(Q·Kᵀ·scale) + bias)·V per head, for 4-D inputs
/// [batch, heads, seq, head_size] or 3-D inputs [batch, seq, heads·head_size] (q_num_heads/kv_num_heads given).
/// K and V are appended to past_key/past_value (present_key/present_value outputs, always 4-D). Query heads share
/// key/value heads in groups (GQA: query head h reads kv head h / (q_heads / kv_heads)). The bias combines attn_mask
/// (bool: false masks; float: added; a last dim shorter than the total kv length is padded as masked), the causal mask
/// (key j visible to query i iff j ≤ i + offset, offset = past length, else nonpad_kv_seqlen[b] − q_len, else 0) and
/// the padding mask from nonpad_kv_seqlen (keys at or past it are masked). A fully masked row yields zero weights.
/// qk_matmul_output is the scores after the matmul (mode 0), softcap (1), bias (2) or softmax (3).
/// </summary>
internal sealed class Attention : TensorOp
{
    private const string Op = "Attention";
    private readonly bool _causal;
    private readonly int _qHeads;
    private readonly int _kvHeads;
    private readonly int _mode;
    private readonly double? _scale;
    private readonly double _softcap;
    private readonly Precision? _softmaxPrecision;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Attention(OpBuildContext ctx)
    {
        var a = ctx.Attributes;
        _causal = a.Int("is_causal", 0) != 0;
        _qHeads = checked((int)a.Int("q_num_heads", 0));
        _kvHeads = checked((int)a.Int("kv_num_heads", 0));
        _mode = (int)a.Int("qk_matmul_output_mode", 0);
        if (_mode is < 0 or > 3)
            throw new NotSupportedException($"{Op}: qk_matmul_output_mode {_mode} is not one of 0, 1, 2, 3.");
        _scale = a.Has("scale") ? a.Float("scale") : null;
        _softcap = a.Float("softcap", 0f);
        _softmaxPrecision = a.Has("softmax_precision") ? Precision.FromCode(a.Int("softmax_precision"), Op) : null;
        foreach (var unsupported in new[] { "left_window_size", "right_window_size" })
            if (a.Has(unsupported)) throw new NotSupportedException($"{Op}: attribute '{unsupported}' is not supported.");
        if (_qHeads < 0 || _kvHeads < 0) throw new ArgumentException($"{Op}: head counts must not be negative.");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        Tensor q = inputs.Req(0), k = inputs.Req(1), v = inputs.Req(2);
        Tensor? mask = inputs.Opt(3), pastKey = inputs.Opt(4), pastValue = inputs.Opt(5), nonpad = inputs.Opt(6);
        FloatBuffers.RequireFloat(q, Op, "Q");
        FloatBuffers.RequireFloat(k, Op, "K");
        FloatBuffers.RequireFloat(v, Op, "V");
        if (q.Rank != k.Rank || q.Rank != v.Rank || q.Rank is not (3 or 4))
            throw new ShapeMismatchException($"{Op}: Q, K and V must all be 3-D or all 4-D, got {q}, {k}, {v}.");
        if ((pastKey is null) != (pastValue is null))
            throw new ArgumentException($"{Op}: past_key and past_value must be given together.");

        var g = Geometry.Of(q, k, v, _qHeads, _kvHeads);
        int past = 0;
        if (pastKey is not null)
        {
            FloatBuffers.RequireRank(pastKey, 4, Op, "past_key");
            FloatBuffers.RequireRank(pastValue!, 4, Op, "past_value");
            past = pastKey.Shape[2];
            if (pastKey.Shape[0] != g.Batch || pastKey.Shape[1] != g.KvHeads || pastKey.Shape[3] != g.HeadSize
                || pastValue!.Shape[0] != g.Batch || pastValue.Shape[1] != g.KvHeads || pastValue.Shape[2] != past
                || pastValue.Shape[3] != g.VHeadSize)
                throw new ShapeMismatchException(
                    $"{Op}: past_key {pastKey} / past_value {pastValue} do not match batch {g.Batch}, kv heads {g.KvHeads}, head sizes {g.HeadSize}/{g.VHeadSize}.");
        }
        int total = checked(past + g.KvSeq);

        var qType = new Precision(q.DataType);
        double scale = _scale ?? 1.0 / Math.Sqrt(g.HeadSize);
        double rootScale = Math.Sqrt(scale);

        double[] qs = Heads(q, g.Batch, g.QHeads, g.QSeq, g.HeadSize, 0, g.QSeq);
        double[] keys = Concat(pastKey, k, g.Batch, g.KvHeads, past, g.KvSeq, g.HeadSize);
        double[] values = Concat(pastValue, v, g.Batch, g.KvHeads, past, g.KvSeq, g.VHeadSize);
        var presentKey = FloatBuffers.Write(keys, [g.Batch, g.KvHeads, total, g.HeadSize], k.DataType);
        var presentValue = FloatBuffers.Write(values, [g.Batch, g.KvHeads, total, g.VHeadSize], v.DataType);
        for (int i = 0; i < qs.Length; i++) qs[i] = qType.Round(qs[i] * rootScale);
        var kType = new Precision(k.DataType);
        for (int i = 0; i < keys.Length; i++) keys[i] = kType.Round(keys[i] * rootScale);

        var bias = new AttentionBias(mask, nonpad, g, total, _causal, past, pastKey is not null);
        var softmaxType = _softmaxPrecision ?? qType;
        var outType = Precision.Wider(softmaxType, new Precision(v.DataType));

        bool wantScores = ctx.OutputRequested(3);
        double[]? scores = wantScores ? FloatBuffers.Allocate((long)g.Batch * g.QHeads * g.QSeq * total) : null;
        double[] y = FloatBuffers.Allocate((long)g.Batch * g.QHeads * g.QSeq * g.VHeadSize);
        var row = new double[total];
        var yRow = new double[g.VHeadSize];
        int group = g.QHeads / g.KvHeads;
        for (int b = 0; b < g.Batch; b++)
        for (int h = 0; h < g.QHeads; h++)
        {
            int kvh = h / group;
            var kHead = keys.AsSpan((b * g.KvHeads + kvh) * total * g.HeadSize, total * g.HeadSize);
            var vHead = values.AsSpan((b * g.KvHeads + kvh) * total * g.VHeadSize, total * g.VHeadSize);
            for (int i = 0; i < g.QSeq; i++)
            {
                var qRow = qs.AsSpan(((b * g.QHeads + h) * g.QSeq + i) * g.HeadSize, g.HeadSize);
                for (int j = 0; j < total; j++)
                    row[j] = qType.Round(AttentionMath.Dot(qRow, kHead.Slice(j * g.HeadSize, g.HeadSize)));
                var scoreOut = scores is null ? Span<double>.Empty : scores.AsSpan(((b * g.QHeads + h) * g.QSeq + i) * total, total);
                if (_mode == 0 && wantScores) row.CopyTo(scoreOut);
                for (int j = 0; j < total; j++) row[j] = AttentionMath.SoftCap(row[j], _softcap, qType);
                if (_mode == 1 && wantScores) row.CopyTo(scoreOut);
                bias.AddTo(row, b, h, i, qType);
                if (_mode == 2 && wantScores) row.CopyTo(scoreOut);
                softmaxType.RoundAll(row);
                AttentionMath.Softmax(row, softmaxType);
                if (_mode == 3 && wantScores) row.CopyTo(scoreOut);
                AttentionMath.WeightedRows(row, vHead, g.VHeadSize, yRow);
                outType.RoundAll(yRow);
                int yOff = g.Rank3
                    ? ((b * g.QSeq + i) * g.QHeads + h) * g.VHeadSize
                    : ((b * g.QHeads + h) * g.QSeq + i) * g.VHeadSize;
                yRow.CopyTo(y.AsSpan(yOff, g.VHeadSize));
            }
        }

        int[] yShape = g.Rank3 ? [g.Batch, g.QSeq, g.QHeads * g.VHeadSize] : [g.Batch, g.QHeads, g.QSeq, g.VHeadSize];
        var result = new Tensor?[ctx.OutputCount];
        result[0] = FloatBuffers.Write(y, yShape, q.DataType);
        if (result.Length > 1) result[1] = presentKey;
        if (result.Length > 2) result[2] = presentValue;
        if (result.Length > 3 && scores is not null)
            result[3] = FloatBuffers.Write(scores, [g.Batch, g.QHeads, g.QSeq, total], q.DataType);
        return result;
    }

    /// <summary>
    /// A 3-D [B, S, H·D] or 4-D [B, H, S, D] tensor as a [B, H, rows, D] buffer, written at sequence offset
    /// <paramref name="seqOffset"/> of a buffer with <paramref name="rows"/> rows per head.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[] Heads(Tensor t, int batch, int heads, int seq, int size, int seqOffset, int rows, double[]? into = null)
    {
        var src = FloatBuffers.Read(t);
        var dst = into ?? FloatBuffers.Allocate((long)batch * heads * rows * size);
        bool rank3 = t.Rank == 3;
        for (int b = 0; b < batch; b++)
        for (int h = 0; h < heads; h++)
        for (int s = 0; s < seq; s++)
        {
            int from = rank3 ? ((b * seq + s) * heads + h) * size : ((b * heads + h) * seq + s) * size;
            int to = ((b * heads + h) * rows + seqOffset + s) * size;
            Array.Copy(src, from, dst, to, size);
        }
        return dst;
    }

    /// <summary>past (4-D, may be null) followed by the new keys or values, as [B, H, past + seq, D].</summary>
    private static double[] Concat(Tensor? pastT, Tensor fresh, int batch, int heads, int past, int seq, int size)
    {
        int total = past + seq;
        var dst = FloatBuffers.Allocate((long)batch * heads * total * size);
        if (pastT is not null) Heads(pastT, batch, heads, past, size, 0, total, dst);
        return Heads(fresh, batch, heads, seq, size, past, total, dst);
    }

    /// <summary>The head layout of one call, from Q/K/V shapes and the head-count attributes.</summary>
    internal sealed record Geometry(bool Rank3, int Batch, int QHeads, int KvHeads, int QSeq, int KvSeq, int HeadSize, int VHeadSize)
    {
        public static Geometry Of(Tensor q, Tensor k, Tensor v, int qHeadsAttr, int kvHeadsAttr)
        {
            int batch = q.Shape[0];
            if (k.Shape[0] != batch || v.Shape[0] != batch)
                throw new ShapeMismatchException($"{Op}: Q, K and V must share the batch size, got {q}, {k}, {v}.");
            Geometry g;
            if (q.Rank == 3)
            {
                if (qHeadsAttr <= 0 || kvHeadsAttr <= 0)
                    throw new ArgumentException($"{Op}: 3-D inputs need positive q_num_heads and kv_num_heads attributes.");
                if (q.Shape[2] % qHeadsAttr != 0 || k.Shape[2] % kvHeadsAttr != 0 || v.Shape[2] % kvHeadsAttr != 0)
                    throw new ShapeMismatchException(
                        $"{Op}: hidden sizes of {q}, {k}, {v} are not divisible by {qHeadsAttr} / {kvHeadsAttr} heads.");
                if (k.Shape[1] != v.Shape[1])
                    throw new ShapeMismatchException($"{Op}: K and V must share the sequence length, got {k}, {v}.");
                g = new Geometry(true, batch, qHeadsAttr, kvHeadsAttr, q.Shape[1], k.Shape[1], q.Shape[2] / qHeadsAttr, v.Shape[2] / kvHeadsAttr);
                if (k.Shape[2] / kvHeadsAttr != g.HeadSize)
                    throw new ShapeMismatchException($"{Op}: Q and K head sizes differ ({q}, {k}).");
            }
            else
            {
                if (k.Shape[1] != v.Shape[1] || k.Shape[2] != v.Shape[2] || k.Shape[3] != q.Shape[3])
                    throw new ShapeMismatchException($"{Op}: K {k} and V {v} do not fit Q {q}.");
                g = new Geometry(false, batch, q.Shape[1], k.Shape[1], q.Shape[2], k.Shape[2], q.Shape[3], v.Shape[3]);
            }
            if (g.KvHeads == 0 || g.QHeads % g.KvHeads != 0)
                throw new ShapeMismatchException($"{Op}: q_num_heads {g.QHeads} must be a multiple of kv_num_heads {g.KvHeads}.");
            return g;
        }
    }
}
