using System.Runtime.CompilerServices;
using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Transformer;

/// <summary>
/// ONNX RotaryEmbedding (opset 23): rotates the first rotary_embedding_dim (default head_size) features of every head
/// by position-dependent angles: with x1/x2 the two halves (or the even/odd features when interleaved),
/// out1 = cos·x1 − sin·x2 and out2 = sin·x1 + cos·x2; the other features pass through. Input is 4-D
/// [batch, heads, seq, head_size] or 3-D [batch, seq, heads·head_size] (num_heads given). cos/sin rows come from
/// cos_cache[position_ids[b, s]] ([max_pos, dim/2] caches) or, without position_ids, from [batch, seq, dim/2] caches.
/// </summary>
internal sealed class RotaryEmbedding : TensorOp
{
    private const string Op = "RotaryEmbedding";
    private readonly bool _interleaved;
    private readonly int _numHeads;
    private readonly int _rotaryDim;

    public RotaryEmbedding(OpBuildContext ctx)
    {
        var a = ctx.Attributes;
        _interleaved = a.Int("interleaved", 0) != 0;
        _numHeads = checked((int)a.Int("num_heads", 0));
        _rotaryDim = checked((int)a.Int("rotary_embedding_dim", 0));
        if (_numHeads < 0 || _rotaryDim < 0)
            throw new ArgumentException($"{Op}: num_heads and rotary_embedding_dim must not be negative.");
    }

    /// <summary>The output has the type and shape of the first input.</summary>
    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        inputs.Length > 0 && inputs[0] is { } x ? [x] : null;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        Tensor x = inputs.Req(0), cosCache = inputs.Req(1), sinCache = inputs.Req(2);
        Tensor? positions = inputs.Opt(3);
        FloatBuffers.RequireFloat(x, Op, "input");
        int batch, heads, seq, headSize;
        bool rank3 = x.Rank == 3;
        if (rank3)
        {
            if (_numHeads == 0 || x.Shape[2] % _numHeads != 0)
                throw new ShapeMismatchException($"{Op}: a 3-D input {x} needs num_heads dividing its hidden size.");
            (batch, seq, heads, headSize) = (x.Shape[0], x.Shape[1], _numHeads, x.Shape[2] / _numHeads);
        }
        else if (x.Rank == 4) (batch, heads, seq, headSize) = (x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]);
        else throw new ShapeMismatchException($"{Op}: input must be 3-D or 4-D, got {x}.");

        int rot = _rotaryDim == 0 ? headSize : _rotaryDim;
        if (rot > headSize || rot % 2 != 0)
            throw new ShapeMismatchException($"{Op}: rotary_embedding_dim {rot} must be even and at most the head size {headSize}.");
        int half = rot / 2;
        if (!cosCache.Shape.AsSpan().SequenceEqual(sinCache.Shape) || cosCache.Rank == 0 || cosCache.Shape[^1] != half)
            throw new ShapeMismatchException($"{Op}: cos_cache {cosCache} and sin_cache {sinCache} must match, with last dim {half}.");

        long[]? pos = null;
        if (positions is not null)
        {
            if (positions.Rank != 2 || positions.Shape[0] != batch || positions.Shape[1] != seq || cosCache.Rank != 2)
                throw new ShapeMismatchException(
                    $"{Op}: position_ids {positions} must be [{batch},{seq}] with 2-D caches (got {cosCache}).");
            pos = positions.ToInt64Array();
            foreach (long p in pos)
                if (p < 0 || p >= cosCache.Shape[0])
                    throw new ArgumentOutOfRangeException(nameof(inputs), $"{Op}: position id {p} is outside the cache of {cosCache.Shape[0]} rows.");
        }
        else if (cosCache.Rank != 3 || cosCache.Shape[0] != batch || cosCache.Shape[1] != seq)
            throw new ShapeMismatchException($"{Op}: without position_ids the caches must be [{batch},{seq},{half}], got {cosCache}.");

        var data = FloatBuffers.Read(x);
        var cos = FloatBuffers.Read(cosCache);
        var sin = FloatBuffers.Read(sinCache);
        var p16 = new Precision(x.DataType);
        for (int b = 0; b < batch; b++)
        for (int s = 0; s < seq; s++)
        {
            int row = (int)(pos is null ? b * seq + s : pos[b * seq + s]) * half;
            for (int h = 0; h < heads; h++)
            {
                int off = rank3 ? ((b * seq + s) * heads + h) * headSize : ((b * heads + h) * seq + s) * headSize;
                for (int i = 0; i < half; i++)
                {
                    int i1 = off + (_interleaved ? 2 * i : i), i2 = off + (_interleaved ? 2 * i + 1 : i + half);
                    double c = cos[row + i], sn = sin[row + i], x1 = data[i1], x2 = data[i2];
                    data[i1] = p16.Round(p16.Round(c * x1) - p16.Round(sn * x2));
                    data[i2] = p16.Round(p16.Round(sn * x1) + p16.Round(c * x2));
                }
            }
        }
        return [FloatBuffers.Write(data, (int[])x.Shape.Clone(), x.DataType)];
    }
}
