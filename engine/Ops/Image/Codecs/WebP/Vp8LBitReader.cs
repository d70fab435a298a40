namespace NativeInfer.Ops.Image.Codecs.WebP;

/// <summary>Least-significant-bit-first reader of a VP8L (lossless WebP) stream; reading past the end is an error.</summary>
internal sealed class Vp8LBitReader(byte[] data, int start, int length)
{
    private readonly int _end = start + length;
    private int _pos = start;
    private ulong _buffer;
    private int _count;

    /// <summary>Reads n ≤ 32 bits.</summary>
    public uint Read(int n)
    {
        if (n == 0) return 0;
        while (_count < n)
        {
            if (_pos >= _end) throw new ImageDecodeException("WebP: the lossless bitstream is truncated.");
            _buffer |= (ulong)data[_pos++] << _count;
            _count += 8;
        }
        uint v = (uint)(_buffer & ((1UL << n) - 1));
        _buffer >>= n;
        _count -= n;
        return v;
    }

    public int Bit() => (int)Read(1);
}
