namespace NativeInfer.Ops.Misc.Imaging;

/// <summary>Bounds-checked reads of little- or big-endian integers from an encoded image.</summary>
internal readonly struct BinaryCursor(byte[] data, bool bigEndian)
{
    public byte[] Data => data;

    public int Length => data.Length;

    public byte U8(long at) => at >= 0 && at < data.Length ? data[at] : throw Truncated();

    public ushort U16(long at) => (ushort)(bigEndian ? U8(at) << 8 | U8(at + 1) : U8(at) | U8(at + 1) << 8);

    public uint U32(long at) => bigEndian
        ? (uint)U16(at) << 16 | U16(at + 2)
        : U16(at) | (uint)U16(at + 2) << 16;

    public int I32(long at) => unchecked((int)U32(at));

    public ReadOnlySpan<byte> Slice(long at, long count) =>
        at >= 0 && count >= 0 && at + count <= data.Length ? data.AsSpan((int)at, (int)count) : throw Truncated();

    public static InvalidDataException Truncated() => new("The encoded image is truncated or has an offset out of range.");
}
