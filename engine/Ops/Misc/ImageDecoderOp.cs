using NativeInfer.IR;
using NativeInfer.Ops.Misc.Imaging;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// ImageDecoder (opset 20): decodes an encoded image (1-D uint8: JPEG baseline, PNG, BMP, PNM or TIFF) into uint8
/// [H, W, C] with pixel_format RGB (default) or BGR (C = 3) or Grayscale (C = 1, luma 0.299 R + 0.587 G + 0.114 B
/// in 16-bit fixed point, rounded). JPEG 2000, WebP and progressive JPEG are refused with a clear error.
/// </summary>
internal sealed class ImageDecoderOp : TensorOp
{
    private readonly int _format; // 0 RGB, 1 BGR, 2 Grayscale

    public ImageDecoderOp(OpBuildContext ctx) =>
        _format = MiscTensors.Choice("ImageDecoder", "pixel_format", ctx.Attributes.String("pixel_format", "RGB"), "RGB", "BGR", "Grayscale");

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [TypeInfo.Tensor(DataType.UInt8, [Dim.Unknown, Dim.Unknown, Dim.Known(_format == 2 ? 1 : 3)])];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var input = inputs.Req(0) as Tensor<byte>
            ?? throw new InvalidOperationException("ImageDecoder: encoded_stream must be a uint8 tensor.");
        if (input.Rank != 1) throw new ShapeMismatchException($"ImageDecoder: encoded_stream must be 1-D, got {ShapeUtil.Format(input.Shape)}.");
        var bytes = input.ToArray();
        DecodedImage img;
        try
        {
            img = Decode(bytes);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"ImageDecoder: {e.Message}", e);
        }
        return [Convert(img)];
    }

    private static DecodedImage Decode(byte[] d)
    {
        if (JpegDecoder.Matches(d)) return JpegDecoder.Decode(d);
        if (PngDecoder.Matches(d)) return PngDecoder.Decode(d);
        if (BmpDecoder.Matches(d)) return BmpDecoder.Decode(d);
        if (PnmDecoder.Matches(d)) return PnmDecoder.Decode(d);
        if (TiffDecoder.Matches(d)) return TiffDecoder.Decode(d);
        throw new NotSupportedException("ImageDecoder: unsupported or unrecognized image format (supported: JPEG, PNG, BMP, PNM, TIFF).");
    }

    private Tensor<byte> Convert(DecodedImage img)
    {
        int pixels = img.Width * img.Height;
        int channels = _format == 2 ? 1 : 3;
        var y = new Tensor<byte>([img.Height, img.Width, channels]);
        var o = y.Span;
        var p = img.Pixels;
        for (int i = 0; i < pixels; i++)
        {
            if (img.Channels == 1)
            {
                for (int c = 0; c < channels; c++) o[i * channels + c] = p[i];
                continue;
            }
            byte r = p[3 * i], g = p[3 * i + 1], b = p[3 * i + 2];
            switch (_format)
            {
                case 0: (o[3 * i], o[3 * i + 1], o[3 * i + 2]) = (r, g, b); break;
                case 1: (o[3 * i], o[3 * i + 1], o[3 * i + 2]) = (b, g, r); break;
                default: o[i] = (byte)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16); break;
            }
        }
        return y;
    }
}
