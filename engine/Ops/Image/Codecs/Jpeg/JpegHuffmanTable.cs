namespace NativeInfer.Ops.Image.Codecs.Jpeg;

/// <summary>A canonical JPEG Huffman table (DHT): code lengths 1–16 and their symbols.</summary>
internal sealed class JpegHuffmanTable
{
    private readonly int[] _maxCode = new int[18];
    private readonly int[] _valueOffset = new int[17];
    private readonly byte[] _values;

    /// <summary>For each 8-bit prefix: code length (0 when the code is longer) and symbol.</summary>
    private readonly byte[] _fastLength = new byte[256], _fastSymbol = new byte[256];

    public JpegHuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values)
    {
        _values = values.ToArray();
        int code = 0, k = 0;
        for (int len = 1; len <= 16; len++)
        {
            _valueOffset[len] = k - code;
            if (code + counts[len - 1] > 1 << len) throw new ImageDecodeException("JPEG: invalid Huffman table (too many codes).");
            for (int i = 0; i < counts[len - 1] && len <= 8; i++)
            {
                int first = (code + i) << (8 - len);
                for (int j = 0; j < 1 << (8 - len); j++)
                {
                    _fastLength[first + j] = (byte)len;
                    _fastSymbol[first + j] = _values[k + i];
                }
            }
            code += counts[len - 1];
            k += counts[len - 1];
            _maxCode[len] = counts[len - 1] > 0 ? code - 1 : -1;
            code <<= 1;
        }
        _maxCode[17] = int.MaxValue;
    }

    public int Decode(JpegBitReader r)
    {
        int peek = r.Peek8();
        if (_fastLength[peek] != 0)
        {
            r.Skip(_fastLength[peek]);
            return _fastSymbol[peek];
        }
        int code = r.Bit(), len = 1;
        while (len <= 16 && code > _maxCode[len])
        {
            code = code << 1 | r.Bit();
            len++;
        }
        if (len > 16) throw new ImageDecodeException("JPEG: corrupt data (bad Huffman code).");
        int index = code + _valueOffset[len];
        if ((uint)index >= (uint)_values.Length) throw new ImageDecodeException("JPEG: corrupt data (bad Huffman code).");
        return _values[index];
    }
}
