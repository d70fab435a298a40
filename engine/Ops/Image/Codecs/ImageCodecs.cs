namespace NativeInfer.Ops.Image.Codecs;

/// <summary>Recognises an encoded image by its leading bytes and decodes it with the matching codec.</summary>
internal static class ImageCodecs
{
    public static DecodedImage Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0) throw new ImageDecodeException("ImageDecoder: the encoded stream is empty.");
        if (PngDecoder.Matches(data)) return PngDecoder.Decode(data);
        if (Jpeg.JpegDecoder.Matches(data)) return Jpeg.JpegDecoder.Decode(data);
        if (BmpDecoder.Matches(data)) return BmpDecoder.Decode(data);
        if (TiffDecoder.Matches(data)) return TiffDecoder.Decode(data);
        if (Jpeg2000.Jpeg2000Decoder.Matches(data)) return Jpeg2000.Jpeg2000Decoder.Decode(data);
        if (PnmDecoder.Matches(data)) return PnmDecoder.Decode(data);
        if (WebP.WebPDecoder.Matches(data)) return WebP.WebPDecoder.Decode(data);
        throw new NotSupportedException("ImageDecoder: unrecognised image format (supported: BMP, JPEG, JPEG 2000, PNG, PNM, TIFF, WebP).");
    }
}
