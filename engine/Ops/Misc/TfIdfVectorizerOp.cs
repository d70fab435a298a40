using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// TfIdfVectorizer (opset 9): counts, per row of X ([C] or [N, C], int32/int64/string), the n-grams of the pool
/// (pool_int64s or pool_strings; ngram_counts gives where each n-gram length starts, ngram_indexes the output slot of
/// each n-gram) for n in [min_gram_length, max_gram_length], letting the items of an n-gram (n ≥ 2) be up to
/// max_skip_count positions apart (the same gap between each pair). mode TF outputs counts, IDF outputs weight where the
/// count is non-zero, TFIDF count·weight (weights default to 1). Output: float [max(ngram_indexes)+1] or [N, ...].
/// </summary>
internal sealed class TfIdfVectorizerOp : TensorOp
{
    private readonly int _minN, _maxN, _maxSkip, _mode; // mode: 0 TF, 1 IDF, 2 TFIDF
    private readonly int _outWidth;
    private readonly float[] _weights;
    private readonly NGramTrie<long>? _intPool;
    private readonly NGramTrie<string>? _stringPool;

    public TfIdfVectorizerOp(OpBuildContext ctx)
    {
        const string op = "TfIdfVectorizer";
        var a = ctx.Attributes;
        _minN = (int)a.Int("min_gram_length");
        _maxN = (int)a.Int("max_gram_length");
        _maxSkip = (int)a.Int("max_skip_count");
        _mode = MiscTensors.Choice(op, "mode", a.String("mode"), "TF", "IDF", "TFIDF");
        if (_minN < 1 || _maxN < _minN || _maxSkip < 0)
            throw new NotSupportedException($"{op}: need 1 <= min_gram_length <= max_gram_length and max_skip_count >= 0.");
        var counts = a.Ints("ngram_counts") ?? throw new NotSupportedException($"{op}: ngram_counts is required.");
        var indexes = a.Ints("ngram_indexes") ?? throw new NotSupportedException($"{op}: ngram_indexes is required.");
        _outWidth = indexes.Length == 0 ? 0 : (int)Math.Min(indexes.Max() + 1, Array.MaxLength);
        if (indexes.Any(i => i < 0)) throw new NotSupportedException($"{op}: ngram_indexes must be non-negative.");
        _weights = a.Floats("weights") ?? Enumerable.Repeat(1f, indexes.Length).ToArray();
        if (_weights.Length != indexes.Length) throw new NotSupportedException($"{op}: weights and ngram_indexes differ in length.");
        var ints = a.Ints("pool_int64s");
        var strings = a.Strings("pool_strings");
        if ((ints is null) == (strings is null)) throw new NotSupportedException($"{op}: exactly one of pool_int64s and pool_strings is required.");
        if (ints is not null) _intPool = NGramTrie<long>.Build(ints, counts, indexes, op);
        else _stringPool = NGramTrie<string>.Build(strings!, counts, indexes, op);
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [MiscTypes.SameRank(inputs, 0) is { } t ? t with { ElementType = DataType.Float } : TypeInfo.Tensor(DataType.Float)];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        if (x.Rank is not (1 or 2)) throw new ShapeMismatchException($"TfIdfVectorizer: X must be 1-D or 2-D, got {ShapeUtil.Format(x.Shape)}.");
        int rows = x.Rank == 1 ? 1 : x.Shape[0];
        int cols = x.Shape[^1];
        var y = new Tensor<float>(x.Rank == 1 ? [_outWidth] : [rows, _outWidth]);
        var counts = new int[_weights.Length];
        long[]? ints = null;
        if (_intPool is not null)
        {
            if (x.DataType is not (DataType.Int32 or DataType.Int64))
                throw new InvalidOperationException($"TfIdfVectorizer: the pool is integers, X must be int32 or int64, got {DataTypes.Name(x.DataType)}.");
            ints = x.ToInt64Array();
        }
        for (int r = 0; r < rows; r++)
        {
            Array.Clear(counts);
            if (_stringPool is not null)
            {
                var xs = x as Tensor<string> ?? throw new InvalidOperationException("TfIdfVectorizer: the pool is strings, X must be strings.");
                _stringPool.Count(xs.Span.Slice(r * cols, cols), _minN, _maxN, _maxSkip, counts);
            }
            else
            {
                _intPool!.Count(ints.AsSpan(r * cols, cols), _minN, _maxN, _maxSkip, counts);
            }
            var ys = y.Span.Slice(r * _outWidth, _outWidth);
            for (int g = 0; g < counts.Length; g++)
            {
                if (counts[g] == 0) continue;
                int slot = _intPool?.Slot(g) ?? _stringPool!.Slot(g);
                ys[slot] = _mode switch { 0 => counts[g], 1 => _weights[g], _ => counts[g] * _weights[g] };
            }
        }
        return [y];
    }
}
