namespace NativeInfer.Ops.Image.Codecs.WebP;

/// <summary>The VP8 boolean entropy decoder (RFC 6386 section 7) over one partition; bytes past its end read as 0.</summary>
internal sealed class Vp8BoolDecoder
{
    private readonly byte[] _data;
    private readonly int _end;
    private int _pos;
    private uint _value, _range = 255;
    private int _bitCount;

    public Vp8BoolDecoder(byte[] data, int start, int length)
    {
        _data = data;
        _pos = start;
        _end = start + length;
        _value = (uint)(Next() << 8 | Next());
    }

    /// <summary>How many bytes past the end of the partition decoding has needed.</summary>
    public int Overrun { get; private set; }

    private int Next()
    {
        if (_pos < _end) return _data[_pos++];
        Overrun++;
        return 0;
    }

    public int Bit(int prob)
    {
        uint split = 1 + (((_range - 1) * (uint)prob) >> 8);
        uint bigSplit = split << 8;
        int bit;
        if (_value >= bigSplit)
        {
            bit = 1;
            _range -= split;
            _value -= bigSplit;
        }
        else
        {
            bit = 0;
            _range = split;
        }
        while (_range < 128)
        {
            _value <<= 1;
            _range <<= 1;
            if (++_bitCount == 8)
            {
                _bitCount = 0;
                _value |= (uint)Next();
            }
        }
        return bit;
    }

    /// <summary>An n-bit unsigned literal, most significant bit first, each bit at probability ½.</summary>
    public int Literal(int n)
    {
        int v = 0;
        while (n-- > 0) v = v << 1 | Bit(128);
        return v;
    }

    /// <summary>An n-bit magnitude followed by a sign bit.</summary>
    public int Signed(int n)
    {
        int v = Literal(n);
        return Bit(128) != 0 ? -v : v;
    }

    /// <summary>An optional signed field: a flag, then the value if the flag is set (else 0).</summary>
    public int OptionalSigned(int n) => Bit(128) != 0 ? Signed(n) : 0;
}
