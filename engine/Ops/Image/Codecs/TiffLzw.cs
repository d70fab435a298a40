namespace NativeInfer.Ops.Image.Codecs;

/// <summary>TIFF-flavoured LZW (MSB-first codes of 9–12 bits, early code-width change, clear = 256, end = 257).</summary>
internal static class TiffLzw
{
    private const string Format = "TIFF";

    public static void Decode(ReadOnlySpan<byte> src, Span<byte> output)
    {
        var prefix = new short[4096];
        var suffix = new byte[4096];
        var length = new int[4096];
        var first = new byte[4096];
        for (int i = 0; i < 256; i++) { suffix[i] = (byte)i; first[i] = (byte)i; length[i] = 1; prefix[i] = -1; }

        int next = 258, width = 9, previous = -1, o = 0;
        long bitPos = 0, totalBits = (long)src.Length * 8;
        while (o < output.Length && bitPos + width <= totalBits)
        {
            int code = 0;
            for (int k = 0; k < width; k++, bitPos++)
                code = code << 1 | (src[(int)(bitPos >> 3)] >> (7 - (int)(bitPos & 7)) & 1);
            if (code == 257) break;
            if (code == 256)
            {
                next = 258;
                width = 9;
                previous = -1;
                continue;
            }
            if (code > next || (code == next && previous < 0))
                throw new ImageDecodeException($"{Format}: invalid LZW code {code}.");
            if (previous >= 0 && next < 4096)
            {
                prefix[next] = (short)previous;
                first[next] = first[previous];
                suffix[next] = code == next ? first[previous] : first[code];
                length[next] = length[previous] + 1;
                next++;
            }
            // Write the string for code backwards, clipped to the output.
            int len = length[code];
            for (int c = code, k = len - 1; c >= 0; c = prefix[c], k--)
                if (o + k < output.Length) output[o + k] = suffix[c];
            o += len;
            previous = code;
            if (next + 1 >= 1 << width && width < 12) width++;
        }
        if (o < output.Length) throw new ImageDecodeException($"{Format}: LZW data ends after {o} of {output.Length} bytes.");
    }
}
