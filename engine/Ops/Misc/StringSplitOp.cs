using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// StringSplit (opset 20): splits every string of X at <c>delimiter</c> (empty or absent: runs of whitespace, with
/// leading and trailing whitespace dropped), making at most <c>maxsplit</c> splits. Outputs: the substrings, shaped
/// X.shape + [longest split count] and padded with empty strings, and the int64 number of substrings per element.
/// </summary>
internal sealed class StringSplitOp : TensorOp
{
    private readonly string _delimiter;
    private readonly long _maxSplit;

    public StringSplitOp(OpBuildContext ctx)
    {
        _delimiter = ctx.Attributes.String("delimiter", "");
        _maxSplit = ctx.Attributes.Has("maxsplit") ? ctx.Attributes.Int("maxsplit", -1) : -1;
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [MiscTypes.SameRank(inputs, 0, 1), MiscTypes.Like(inputs, 0, DataType.Int64)];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0) as Tensor<string> ?? throw new InvalidOperationException("StringSplit: X must be a string tensor.");
        var parts = new List<string>[x.Length];
        int widest = 0;
        var xs = x.Span;
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = _delimiter.Length == 0 ? SplitWhitespace(xs[i]) : SplitAt(xs[i]);
            widest = Math.Max(widest, parts[i].Count);
        }
        var shape = new int[x.Rank + 1];
        x.Shape.CopyTo(shape, 0);
        shape[^1] = widest;
        var substrings = new Tensor<string>(shape);
        var lengths = new Tensor<long>((int[])x.Shape.Clone());
        var ss = substrings.Span;
        for (int i = 0; i < parts.Length; i++)
        {
            lengths[i] = parts[i].Count;
            for (int j = 0; j < parts[i].Count; j++) ss[i * widest + j] = parts[i][j];
        }
        return [substrings, lengths];
    }

    private bool MaySplit(int count) => _maxSplit < 0 || count < _maxSplit;

    private List<string> SplitAt(string s)
    {
        var r = new List<string>();
        int start = 0;
        while (MaySplit(r.Count))
        {
            int at = s.IndexOf(_delimiter, start, StringComparison.Ordinal);
            if (at < 0) break;
            r.Add(s[start..at]);
            start = at + _delimiter.Length;
        }
        r.Add(s[start..]);
        return r;
    }

    /// <summary>Whitespace splitting as Python's str.split(None, maxsplit): the unsplit remainder keeps its trailing whitespace.</summary>
    private List<string> SplitWhitespace(string s)
    {
        var r = new List<string>();
        int i = 0, n = s.Length;
        while (true)
        {
            while (i < n && char.IsWhiteSpace(s[i])) i++;
            if (i == n) break;
            if (!MaySplit(r.Count))
            {
                r.Add(s[i..]);
                break;
            }
            int start = i;
            while (i < n && !char.IsWhiteSpace(s[i])) i++;
            r.Add(s[start..i]);
        }
        return r;
    }
}
