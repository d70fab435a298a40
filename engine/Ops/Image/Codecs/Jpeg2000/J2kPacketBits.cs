namespace NativeInfer.Ops.Image.Codecs.Jpeg2000;

/// <summary>Reads packet-header bits (MSB first; after a 0xFF byte the next byte carries only 7 bits).</summary>
internal sealed class J2kPacketBits(byte[] data, int position, int end)
{
    private int _byte, _left;
    private bool _lastWasFF;

    public int Position { get; private set; } = position;

    public int Bit()
    {
        if (_left == 0)
        {
            if (Position >= end) throw new ImageDecodeException("JPEG 2000: packet header runs past the end of the tile data.");
            _byte = data[Position++];
            _left = _lastWasFF ? 7 : 8;
            _lastWasFF = _byte == 0xFF;
        }
        _left--;
        return _byte >> _left & 1;
    }

    public int Bits(int n)
    {
        int v = 0;
        for (int i = 0; i < n; i++) v = v << 1 | Bit();
        return v;
    }

    /// <summary>Ends the header: skips the rest of the byte, and a stuffed byte after 0xFF.</summary>
    public void Align()
    {
        _left = 0;
        if (_lastWasFF) Position++;
        _lastWasFF = false;
    }
}
