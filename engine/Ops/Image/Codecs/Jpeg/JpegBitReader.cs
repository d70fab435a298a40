namespace NativeInfer.Ops.Image.Codecs.Jpeg;

/// <summary>
/// Reads entropy-coded JPEG data MSB first, removing 0xFF00 byte stuffing. At a marker it supplies zero bits, as
/// libjpeg does for a corrupt segment; running off the end of the file is reported after the scan.
/// </summary>
internal sealed class JpegBitReader(byte[] data, int position)
{
    private uint _buffer;
    private int _count;

    /// <summary>The position of the next unread byte (after a scan: at or before the next marker).</summary>
    public int Position { get; private set; } = position;

    /// <summary>True when decoding needed bytes beyond the end of the file.</summary>
    public bool PastEnd { get; private set; }

    private bool _atMarker;

    private void Fill()
    {
        while (_count <= 24)
        {
            uint b = 0;
            if (!_atMarker && Position < data.Length)
            {
                b = data[Position];
                if (b == 0xFF)
                {
                    byte next = Position + 1 < data.Length ? data[Position + 1] : (byte)0xD9;
                    if (next == 0x00) Position += 2;
                    else { _atMarker = true; b = 0; }
                }
                else Position++;
            }
            else if (Position >= data.Length) PastEnd = true;
            _buffer |= b << (24 - _count);
            _count += 8;
        }
    }

    /// <summary>The next 8 bits without consuming them (zero bits past a marker).</summary>
    public int Peek8()
    {
        if (_count < 8) Fill();
        return (int)(_buffer >> 24);
    }

    /// <summary>Consumes n ≤ 8 bits already seen through <see cref="Peek8"/>.</summary>
    public void Skip(int n)
    {
        _buffer <<= n;
        _count -= n;
    }

    public int Bit()
    {
        if (_count < 1) Fill();
        int bit = (int)(_buffer >> 31);
        _buffer <<= 1;
        _count--;
        return bit;
    }

    /// <summary>n bits (0 ≤ n ≤ 16) as an unsigned value.</summary>
    public int Bits(int n)
    {
        if (n == 0) return 0;
        if (_count < n) Fill();
        int v = (int)(_buffer >> (32 - n));
        _buffer <<= n;
        _count -= n;
        return v;
    }

    /// <summary>n bits read as a JPEG magnitude category value (sign-extended per the standard's EXTEND).</summary>
    public int Receive(int n)
    {
        if (n == 0) return 0;
        int v = Bits(n);
        return v < 1 << (n - 1) ? v - (1 << n) + 1 : v;
    }

    /// <summary>Drops buffered bits and skips to the next marker (used at restart markers and scan ends).</summary>
    public void Reset()
    {
        _buffer = 0;
        _count = 0;
        _atMarker = false;
        while (Position < data.Length && !(data[Position] == 0xFF && Position + 1 < data.Length && data[Position + 1] is not (0x00 or 0xFF)))
            Position++;
    }
}
