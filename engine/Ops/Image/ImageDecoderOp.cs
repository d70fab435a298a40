using NativeInfer.Ops.Image.Codecs;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Image;

/// <summary>
/// ImageDecoder (opset 20): decodes a 1-D uint8 tensor holding an encoded image file (BMP, JPEG, JPEG 2000, PNG, PNM,
/// TIFF, lossy WebP) into a uint8 tensor [H, W, C] with C = 3 for pixel_format RGB or BGR and C = 1 for Grayscale. Colour images
/// convert to gray with ITU-R 601 luma weights, gray images to colour by replication; alpha is dropped. Pixel values
/// match the reference decoder (Pillow with libjpeg-turbo, OpenJPEG and libwebp). A corrupt, truncated or oversized stream throws
/// <see cref="ImageDecodeException"/> (or <see cref="TensorSizeException"/>) before anything large is allocated.
/// </summary>
internal sealed class ImageDecoderOp : TensorOp
{
    private enum PixelFormat { Rgb, Bgr, Grayscale }

    private readonly PixelFormat _format;

    public ImageDecoderOp(OpBuildContext ctx)
    {
        _format = ctx.Attributes.String("pixel_format", "RGB") switch
        {
            "RGB" => PixelFormat.Rgb,
            "BGR" => PixelFormat.Bgr,
            "Grayscale" => PixelFormat.Grayscale,
            var other => throw new NotSupportedException($"ImageDecoder: pixel_format '{other}' is not supported (RGB, BGR or Grayscale)."),
        };
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var encoded = inputs.Req(0) as Tensor<byte>
            ?? throw new ArgumentException("ImageDecoder: encoded_stream must be a uint8 tensor.");
        if (encoded.Rank != 1) throw new ShapeMismatchException($"ImageDecoder: encoded_stream must be 1-D, got shape {ShapeUtil.Format(encoded.Shape)}.");
        var img = ImageCodecs.Decode(encoded.Span);
        int outChannels = _format == PixelFormat.Grayscale ? 1 : 3;
        int[] shape = [img.Height, img.Width, outChannels];
        if (img.Channels == outChannels && _format != PixelFormat.Bgr) return [new Tensor<byte>(img.Pixels, shape)];

        var result = new Tensor<byte>(shape);
        var src = img.Pixels.AsSpan();
        var dst = result.Span;
        int pixels = img.Width * img.Height;
        if (outChannels == 1)
            for (int i = 0; i < pixels; i++) dst[i] = ImageBytes.Luma(src[3 * i], src[3 * i + 1], src[3 * i + 2]);
        else if (img.Channels == 1)
            for (int i = 0; i < pixels; i++) dst[3 * i] = dst[3 * i + 1] = dst[3 * i + 2] = src[i];
        else
            for (int i = 0; i < pixels; i++)
            {
                dst[3 * i] = src[3 * i + 2];
                dst[3 * i + 1] = src[3 * i + 1];
                dst[3 * i + 2] = src[3 * i];
            }
        return [result];
    }
}
