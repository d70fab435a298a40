namespace NativeInfer.Ops.Image.Codecs.WebP;

/// <summary>
/// A canonical prefix (Huffman) code of the VP8L format, built from code lengths; a code with a single symbol reads no
/// bits. Incomplete or over-subscribed codes are rejected.
/// </summary>
internal sealed class Vp8LPrefixCode
{
    private const int MaxLength = 15;
    private static readonly int[] CodeLengthOrder = [17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    private readonly int[] _counts = new int[MaxLength + 1];
    private readonly int[] _symbols;
    private readonly int _single = -1;

    public Vp8LPrefixCode(ReadOnlySpan<int> lengths)
    {
        int used = 0, last = 0;
        for (int s = 0; s < lengths.Length; s++)
        {
            if (lengths[s] == 0) continue;
            _counts[lengths[s]]++;
            used++;
            last = s;
        }
        _symbols = new int[used];
        if (used == 0) throw new ImageDecodeException("WebP: an empty prefix code.");
        if (used == 1)
        {
            _single = last;
            return;
        }
        long left = 1;
        for (int len = 1; len <= MaxLength; len++)
        {
            left = 2 * left - _counts[len];
            if (left < 0) throw new ImageDecodeException("WebP: an over-subscribed prefix code.");
        }
        if (left != 0) throw new ImageDecodeException("WebP: an incomplete prefix code.");
        Span<int> offsets = stackalloc int[MaxLength + 2];
        for (int len = 1; len <= MaxLength; len++) offsets[len + 1] = offsets[len] + _counts[len];
        for (int s = 0; s < lengths.Length; s++)
            if (lengths[s] != 0) _symbols[offsets[lengths[s]]++] = s;
    }

    public int Decode(Vp8LBitReader br)
    {
        if (_single >= 0) return _single;
        int code = 0, first = 0, index = 0;
        for (int len = 1; len <= MaxLength; len++)
        {
            code |= br.Bit();
            int count = _counts[len];
            if (code - first < count) return _symbols[index + code - first];
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        throw new ImageDecodeException("WebP: invalid prefix code.");
    }

    /// <summary>Reads a prefix code definition (simple or with coded code lengths) for an alphabet of the given size.</summary>
    public static Vp8LPrefixCode Read(Vp8LBitReader br, int alphabetSize)
    {
        var lengths = new int[alphabetSize];
        if (br.Bit() != 0)
        {
            int count = br.Bit() + 1;
            int first = (int)br.Read(br.Bit() == 0 ? 1 : 8);
            SetLength(lengths, first);
            if (count == 2) SetLength(lengths, (int)br.Read(8));
            return new Vp8LPrefixCode(lengths);
        }
        var codeLengthLengths = new int[19];
        int n = (int)br.Read(4) + 4;
        for (int i = 0; i < n; i++) codeLengthLengths[CodeLengthOrder[i]] = (int)br.Read(3);
        var lengthCode = new Vp8LPrefixCode(codeLengthLengths);

        int maxSymbol = alphabetSize;
        if (br.Bit() != 0)
        {
            int bits = 2 + 2 * (int)br.Read(3);
            maxSymbol = 2 + (int)br.Read(bits);
            if (maxSymbol > alphabetSize) throw new ImageDecodeException("WebP: prefix code length count exceeds the alphabet.");
        }
        int symbol = 0, previous = 8;
        while (symbol < alphabetSize && maxSymbol-- > 0)
        {
            int len = lengthCode.Decode(br);
            if (len < 16)
            {
                lengths[symbol++] = len;
                if (len != 0) previous = len;
                continue;
            }
            int repeat = len == 16 ? 3 + (int)br.Read(2) : len == 17 ? 3 + (int)br.Read(3) : 11 + (int)br.Read(7);
            if (symbol + repeat > alphabetSize) throw new ImageDecodeException("WebP: prefix code lengths overflow the alphabet.");
            lengths.AsSpan(symbol, repeat).Fill(len == 16 ? previous : 0);
            symbol += repeat;
        }
        return new Vp8LPrefixCode(lengths);
    }

    private static void SetLength(int[] lengths, int symbol)
    {
        if (symbol >= lengths.Length) throw new ImageDecodeException("WebP: prefix code symbol outside the alphabet.");
        lengths[symbol] = 1;
    }
}
