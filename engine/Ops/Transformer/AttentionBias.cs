using System.Runtime.CompilerServices;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Transformer;

/// <summary>
/// The additive bias of one Attention call, evaluated row by row: attn_mask broadcast to [batch, q_heads, q_len,
/// total_len] (bool false or a padded column → -inf), the causal frontier and the nonpad_kv_seqlen padding mask.
/// </summary>
internal sealed class AttentionBias
{
    private const string Op = "Attention";
    private readonly double[]? _mask;
    private readonly int[] _maskStrides = new int[4];
    private readonly int _maskColumns;
    private readonly long[]? _nonpad;
    private readonly bool _causal;
    private readonly int _pastLength;
    private readonly bool _hasPast;
    private readonly int _qLength;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public AttentionBias(Tensor? mask, Tensor? nonpad, Attention.Geometry g, int total, bool causal, int pastLength, bool hasPast)
    {
        _causal = causal;
        _pastLength = pastLength;
        _hasPast = hasPast;
        _qLength = g.QSeq;
        if (mask is not null)
        {
            if (mask.Rank is < 1 or > 4)
                throw new ShapeMismatchException($"{Op}: attn_mask must have rank 1 to 4, got {mask}.");
            int[] target = [g.Batch, g.QHeads, g.QSeq, total];
            int off = 4 - mask.Rank;
            var strides = ShapeUtil.Strides(mask.Shape);
            for (int d = 0; d < mask.Rank; d++)
            {
                int size = mask.Shape[d], want = target[off + d];
                bool last = d == mask.Rank - 1;
                if (last ? size > total : size != 1 && size != want)
                    throw new ShapeMismatchException(
                        $"{Op}: attn_mask {mask} does not broadcast to [{g.Batch},{g.QHeads},{g.QSeq},{total}].");
                _maskStrides[off + d] = size == 1 && !last ? 0 : strides[d];
            }
            _maskColumns = mask.Shape[^1];
            if (mask.DataType == DataType.Bool)
            {
                var bits = mask.As<bool>().Span;
                _mask = FloatBuffers.Allocate(bits.Length);
                for (int i = 0; i < bits.Length; i++) _mask[i] = bits[i] ? 0 : double.NegativeInfinity;
            }
            else
            {
                FloatBuffers.RequireFloat(mask, Op, "attn_mask");
                _mask = FloatBuffers.Read(mask);
            }
        }
        if (nonpad is not null)
        {
            if (nonpad.Rank != 1 || nonpad.Shape[0] != g.Batch || !DataTypes.IsInteger(nonpad.DataType))
                throw new ShapeMismatchException($"{Op}: nonpad_kv_seqlen must be an integer tensor of shape [{g.Batch}], got {nonpad}.");
            _nonpad = nonpad.ToInt64Array();
            foreach (long n in _nonpad)
                if (n < 0 || n > total)
                    throw new ArgumentOutOfRangeException(nameof(nonpad), $"{Op}: nonpad_kv_seqlen value {n} is outside [0, {total}].");
        }
    }

    /// <summary>row[j] += bias(b, h, i, j), rounded to <paramref name="p"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddTo(Span<double> row, int b, int h, int i, Precision p)
    {
        if (_mask is null && !_causal && _nonpad is null) return;
        long frontier = long.MaxValue;
        if (_causal)
            frontier = i + (_hasPast ? _pastLength : _nonpad is not null ? _nonpad[b] - _qLength : 0);
        long valid = _nonpad is null ? long.MaxValue : _nonpad[b];
        int maskBase = b * _maskStrides[0] + h * _maskStrides[1] + i * _maskStrides[2];
        for (int j = 0; j < row.Length; j++)
        {
            double bias = 0;
            if (_mask is not null)
                bias = j < _maskColumns ? _mask[maskBase + j * _maskStrides[3]] : double.NegativeInfinity;
            if (j > frontier || j >= valid) bias = double.NegativeInfinity;
            row[j] = p.Round(row[j] + bias);
        }
    }
}
