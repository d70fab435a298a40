using NativeInfer.IR;
using System.Text.RegularExpressions;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// RegexFullMatch (opset 20): true where the whole string matches <c>pattern</c>. Patterns are RE2-style; they run on
/// .NET's non-backtracking engine (linear time, no backreferences or lookaround, like RE2) with a match timeout, and a
/// pattern it cannot compile is refused when the model loads.
/// </summary>
internal sealed class RegexFullMatchOp : TensorOp
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly Regex _regex;

    public RegexFullMatchOp(OpBuildContext ctx)
    {
        string pattern = ctx.Attributes.String("pattern");
        try
        {
            _regex = new Regex(@"\A(?:" + pattern + @")\z",
                RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, Timeout);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new NotSupportedException($"RegexFullMatch: pattern '{pattern}' is not supported: {e.Message}", e);
        }
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [MiscTypes.Like(inputs, 0, DataType.Bool)];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0) as Tensor<string> ?? throw new InvalidOperationException("RegexFullMatch: X must be a string tensor.");
        var y = new Tensor<bool>((int[])x.Shape.Clone());
        var xs = x.Span;
        var ys = y.Span;
        for (int i = 0; i < xs.Length; i++) ys[i] = _regex.IsMatch(xs[i]);
        return [y];
    }
}
