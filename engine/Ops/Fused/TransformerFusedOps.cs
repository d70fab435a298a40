using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Fused;

/// <summary>
/// The ops the transformer fusion passes write into the <c>ai.nativeinfer</c> domain (version 1):
/// <list type="bullet">
/// <item><c>LayerNormalization</c>, <c>RMSNormalization</c>, <c>Gelu</c>, <c>Swish</c>: the standard ops of the same
/// name (since opsets 17, 23, 20, 24), same attributes and kernels, for models whose opset predates them, so an
/// optimized opset-13 graph still exports as a valid ONNX file;</item>
/// <item><c>FusedAttention</c> (<see cref="FusedAttention"/>): softmax(scale·Q·Kᵀ + mask)·V.</item>
/// </list>
/// </summary>
internal static class TransformerFusedOps
{
    public const string Domain = "ai.nativeinfer";

    /// <summary>The standard ops mirrored in <see cref="Domain"/>, with the opset that introduced each.</summary>
    public static readonly IReadOnlyList<(string OpType, int Since)> Mirrored =
    [
        ("LayerNormalization", 17),
        ("RMSNormalization", 23),
        ("Gelu", 20),
        ("Swish", 24),
    ];

    public static void Register(OpRegistry r)
    {
        foreach (var (opType, since) in Mirrored)
        {
            r.Register(Domain, opType, 1, ctx =>
            {
                var standard = r.Resolve("", opType, since)
                    ?? throw new InvalidOperationException($"{Domain}:{opType} mirrors {opType}-{since}, which is not registered.");
                var node = new Node
                {
                    Name = ctx.Node.Name,
                    OpType = opType,
                    Inputs = ctx.Node.Inputs,
                    Outputs = ctx.Node.Outputs,
                    Attributes = ctx.Node.Attributes,
                    OpsetVersion = since,
                };
                return new MirrorOp(standard.Factory(new OpBuildContext { Node = node, ConstantLookup = ctx.ConstantLookup }));
            });
        }
        r.Register(Domain, FusedAttention.OpType, 1, ctx => new FusedAttention(ctx));
    }

    /// <summary>A standard op run under the <c>ai.nativeinfer</c> domain: output 0 has input 0's type and shape.</summary>
    private sealed class MirrorOp(Op inner) : Op
    {
        public override Value?[] Execute(OpContext ctx, Value?[] inputs) => inner.Execute(ctx, inputs);

        public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
            inputs.Length > 0 && inputs[0] is { } x ? [x] : null;
    }
}
