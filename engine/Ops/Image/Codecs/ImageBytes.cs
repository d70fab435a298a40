using System.Buffers.Binary;

namespace NativeInfer.Ops.Image.Codecs;

/// <summary>Bounds-checked reads from an encoded file: a read past the end is reported as a truncated file.</summary>
internal static class ImageBytes
{
    public static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> data, long offset, long length, string format)
    {
        if (offset < 0 || length < 0 || offset > data.Length || length > data.Length - offset)
            throw new ImageDecodeException($"{format}: the file is truncated or an offset points outside it.");
        return data.Slice((int)offset, (int)length);
    }

    public static ushort U16LE(ReadOnlySpan<byte> d, long at, string f) => BinaryPrimitives.ReadUInt16LittleEndian(Slice(d, at, 2, f));
    public static ushort U16BE(ReadOnlySpan<byte> d, long at, string f) => BinaryPrimitives.ReadUInt16BigEndian(Slice(d, at, 2, f));
    public static uint U32LE(ReadOnlySpan<byte> d, long at, string f) => BinaryPrimitives.ReadUInt32LittleEndian(Slice(d, at, 4, f));
    public static uint U32BE(ReadOnlySpan<byte> d, long at, string f) => BinaryPrimitives.ReadUInt32BigEndian(Slice(d, at, 4, f));
    public static int I32LE(ReadOnlySpan<byte> d, long at, string f) => BinaryPrimitives.ReadInt32LittleEndian(Slice(d, at, 4, f));

    /// <summary>ITU-R 601 luma with the reference decoder's fixed-point weights (RGB → L conversion).</summary>
    public static byte Luma(int r, int g, int b) => (byte)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
}
