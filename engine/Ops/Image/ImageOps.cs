namespace NativeInfer.Ops.Image;

/// <summary>Registers the image ops (ImageDecoder).</summary>
internal static class ImageOps
{
    public static void Register(OpRegistry r)
    {
        r.Register("ImageDecoder", 20, ctx => new ImageDecoderOp(ctx));
    }
}
