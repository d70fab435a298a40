using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc.Imaging;

/// <summary>An 8-bit image in row-major interleaved layout: 1 channel (luma) or 3 (R, G, B).</summary>
internal sealed class DecodedImage
{
    public DecodedImage(int width, int height, int channels)
    {
        if (width < 1 || height < 1) throw new InvalidDataException($"Image size {width}x{height} is invalid.");
        long n = (long)width * height * channels;
        TensorLimits.CheckAllocation(n, DataType.UInt8);
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = new byte[n];
    }

    public int Width { get; }
    public int Height { get; }
    public int Channels { get; }
    public byte[] Pixels { get; }
}
