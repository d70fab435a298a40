using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// StringNormalizer (opset 10): removes <c>stopwords</c> (compared case-insensitively unless is_case_sensitive) from a
/// [C] or [1, C] string tensor, then applies case_change_action (NONE, LOWER, UPPER; invariant culture). When every
/// string is removed the output holds one empty string ([1] or [1, 1]).
/// </summary>
internal sealed class StringNormalizerOp : TensorOp
{
    private readonly int _caseAction; // 0 none, 1 lower, 2 upper
    private readonly HashSet<string> _stopwords;

    public StringNormalizerOp(OpBuildContext ctx)
    {
        var a = ctx.Attributes;
        _caseAction = MiscTensors.Choice("StringNormalizer", "case_change_action", a.String("case_change_action", "NONE"), "NONE", "LOWER", "UPPER");
        bool caseSensitive = a.Int("is_case_sensitive", 0) != 0;
        _stopwords = new HashSet<string>(a.Strings("stopwords") ?? [],
            caseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [MiscTypes.SameRank(inputs, 0)];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0) as Tensor<string> ?? throw new InvalidOperationException("StringNormalizer: X must be a string tensor.");
        if (!(x.Rank == 1 || x.Rank == 2 && x.Shape[0] == 1))
            throw new ShapeMismatchException($"StringNormalizer: X must have shape [C] or [1, C], got {ShapeUtil.Format(x.Shape)}.");
        var kept = new List<string>(x.Length);
        foreach (var s in x.Span)
            if (!_stopwords.Contains(s))
                kept.Add(_caseAction switch { 1 => s.ToLowerInvariant(), 2 => s.ToUpperInvariant(), _ => s });
        if (kept.Count == 0) kept.Add("");
        int[] shape = x.Rank == 1 ? [kept.Count] : [1, kept.Count];
        return [new Tensor<string>(kept.ToArray(), shape)];
    }
}
