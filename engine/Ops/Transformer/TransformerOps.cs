namespace NativeInfer.Ops.Transformer;

/// <summary>Registers the ops of this family.</summary>
internal static class TransformerOps
{
    public static void Register(OpRegistry r)
    {
        r.Register("Attention", 23, ctx => new Attention(ctx));
    }
}
