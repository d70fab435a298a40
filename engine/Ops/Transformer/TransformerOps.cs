namespace NativeInfer.Ops.Transformer;

/// <summary>Registers the ops of this family.</summary>
internal static class TransformerOps
{
    public static void Register(OpRegistry r)
    {
        r.Register("Attention", 23, ctx => new Attention(ctx));
        r.Register("RotaryEmbedding", 23, ctx => new RotaryEmbedding(ctx));
        r.Register("TensorScatter", 24, ctx => new TensorScatter(ctx));
        r.Register("SwiGLU", 28, ctx => new SwiGLU(ctx));
        r.Register("CausalConvWithState", 27, ctx => new CausalConvWithState(ctx));
        r.Register("LinearAttention", 27, ctx => new LinearAttention(ctx));
        r.Register("RNN", 1, ctx => new RNN(ctx));
        r.Register("GRU", 1, ctx => new GRU(ctx));
        r.Register("LSTM", 1, ctx => new LSTM(ctx));
        r.Register("ai.onnx.preview", "FlexAttention", 1, ctx => new FlexAttention(ctx));
    }
}
