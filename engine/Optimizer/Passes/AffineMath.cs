using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Optimizer.Passes;

/// <summary>Shared checks and arithmetic of the folding passes (per-output-channel constants on float32 tensors).</summary>
internal static class AffineMath
{
    /// <summary>
    /// The per-channel values of constant <paramref name="c"/> when it broadcasts against a rank-<paramref name="rank"/>
    /// tensor [N, channels, ...] as a scalar or along axis 1 only, without raising the rank; else null.
    /// </summary>
    public static float[]? PerChannel(Tensor c, int channels, int rank)
    {
        if (c.DataType != DataType.Float || c.Rank > rank) return null;
        var v = c.As<float>().Span;
        if (c.Length == 1) return Enumerable.Repeat(v[0], channels).ToArray();
        int channelAxis = 1 - (rank - c.Rank); // axis of c aligned with the tensor's axis 1
        for (int d = 0; d < c.Rank; d++)
        {
            int expected = d == channelAxis ? channels : 1;
            if (c.Shape[d] != expected) return null;
        }
        return channelAxis < 0 ? null : v.ToArray();
    }

    /// <summary>The other operand of a binary node when one of its two inputs is <paramref name="x"/>.</summary>
    public static string? OtherOperand(Node node, string x) =>
        node.Inputs.Length != 2 ? null : node.Inputs[0] == x ? node.Inputs[1] : node.Inputs[1] == x ? node.Inputs[0] : null;

    /// <summary>A float32 constant vector or null when the value is absent or not such a constant of the given length.</summary>
    public static float[]? Vector(PassContext ctx, string name, int length)
    {
        var t = ctx.Constant(name);
        return t is { DataType: DataType.Float } && t.Length == length && t.Rank == 1 ? t.As<float>().Span.ToArray() : null;
    }

    /// <summary>W scaled per output channel (axis 0).</summary>
    public static Tensor<float> ScaleRows(Tensor<float> w, ReadOnlySpan<float> s)
    {
        int m = w.Shape[0], per = m == 0 ? 0 : w.Length / m;
        var src = w.Span;
        var dst = new float[w.Length];
        for (int o = 0; o < m; o++)
            for (int i = 0; i < per; i++) dst[o * per + i] = src[o * per + i] * s[o];
        return new Tensor<float>(dst, (int[])w.Shape.Clone());
    }

    public static bool IsDefaultDomain(Node n) => n.Domain is "" or "ai.onnx";

    /// <summary>The one node reading a default-domain Conv's output, when there is exactly one (and it is no graph output).</summary>
    public static Node? SoleReaderOfConv(PassContext ctx, Node conv) =>
        conv.OpType == "Conv" && IsDefaultDomain(conv) && conv.Outputs.Length == 1 && ctx.HasSingleConsumer(conv.Outputs[0])
            ? ctx.Consumers(conv.Outputs[0])[0]
            : null;

    /// <summary>A Conv's constant float32 bias (zeros when it has none), or null when the bias is not such a constant.</summary>
    public static float[]? ConvBias(PassContext ctx, Node conv, int m) =>
        conv.Inputs.Length > 2 && conv.Inputs[2].Length > 0 ? Vector(ctx, conv.Inputs[2], m) : new float[m];

    /// <summary>Replaces <paramref name="conv"/> and the node it absorbs by one Conv with weights <paramref name="wName"/> and a new bias.</summary>
    public static void ReplaceConv(PassContext ctx, Node conv, Node absorbed, string wName, float[] bias)
    {
        var folded = GraphOptimizer.CopyNode(conv);
        folded.Op = null;
        folded.Inputs = [conv.Inputs[0], wName, ctx.AddConstant(conv.Outputs[0] + "_bias", new Tensor<float>(bias, [bias.Length]))];
        folded.Outputs = [absorbed.Outputs[0]];
        ctx.ReplaceNode(conv, folded);
        ctx.RemoveNode(absorbed);
        ctx.Record($"{conv.DisplayName} + {absorbed.DisplayName} ({absorbed.OpType})");
    }
}
