using NativeInfer.Tensors;

namespace NativeInfer.Ops.Image.Codecs;

/// <summary>
/// A decoded 8-bit image, row-major, channel-last: <see cref="Channels"/> is 1 (gray) or 3 (R, G, B). Alpha is dropped
/// by the decoders, as converting to RGB or L does in the reference decoder.
/// </summary>
internal sealed class DecodedImage
{
    /// <summary>Largest width or height any codec accepts (the formats' own limits are all at or below this).</summary>
    public const int MaxDimension = 1 << 24;

    private DecodedImage(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public int Channels { get; }
    public byte[] Pixels { get; }

    /// <summary>Allocates a zeroed image after checking its dimensions and the tensor size limit.</summary>
    public static DecodedImage Create(long width, long height, int channels, string format)
    {
        CheckDimensions(width, height, format);
        return new DecodedImage((int)width, (int)height, channels, Buffer(width * height * channels, format));
    }

    /// <summary>Rejects empty, negative or absurd dimensions before anything is allocated.</summary>
    public static void CheckDimensions(long width, long height, string format)
    {
        if (width <= 0 || height <= 0 || width > MaxDimension || height > MaxDimension)
            throw new ImageDecodeException($"{format}: invalid image size {width}x{height}.");
    }

    /// <summary>A scratch byte buffer for a decoder, checked against the tensor size limit.</summary>
    public static byte[] Buffer(long bytes, string format)
    {
        if (bytes < 0) throw new ImageDecodeException($"{format}: invalid buffer size.");
        TensorLimits.CheckAllocation(bytes, DataType.UInt8);
        return new byte[bytes];
    }
}
