using static NativeInfer.Ops.Image.Codecs.ImageBytes;

namespace NativeInfer.Ops.Image.Codecs.Jpeg2000;

/// <summary>A component's coding style (COD/COC): decomposition levels, code-block size and style, wavelet, precincts.</summary>
internal sealed record J2kCodingStyle(int Levels, int CodeBlockWidthExp, int CodeBlockHeightExp, int BlockStyle, bool Reversible, int[] PrecinctWidthExp, int[] PrecinctHeightExp)
{
    private const string Format = "JPEG 2000";

    public const int Bypass = 1, ResetContexts = 2, TerminateAll = 4, VerticallyCausal = 8, SegmentationSymbols = 32;

    /// <summary>Parses SPcod/SPcoc starting at <paramref name="at"/>; <paramref name="customPrecincts"/> comes from Scod/Scoc.</summary>
    public static J2kCodingStyle Parse(ReadOnlySpan<byte> b, int at, bool customPrecincts)
    {
        int levels = Slice(b, at, 5, Format)[0];
        int xcb = b[at + 1] + 2, ycb = b[at + 2] + 2, style = b[at + 3], transform = b[at + 4];
        if (levels > 32 || xcb > 10 || ycb > 10 || xcb + ycb > 12 || transform > 1)
            throw new ImageDecodeException($"{Format}: invalid coding style ({levels} levels, code-blocks 2^{xcb}x2^{ycb}, transform {transform}).");
        var pw = new int[levels + 1];
        var ph = new int[levels + 1];
        for (int r = 0; r <= levels; r++)
        {
            int v = customPrecincts ? Slice(b, at + 5 + r, 1, Format)[0] : 0xFF;
            pw[r] = v & 15;
            ph[r] = v >> 4;
            if (r > 0 && (pw[r] == 0 || ph[r] == 0)) throw new ImageDecodeException($"{Format}: zero precinct size above resolution 0.");
        }
        return new J2kCodingStyle(levels, xcb, ycb, style, transform == 1, pw, ph);
    }
}

/// <summary>A component's quantisation (QCD/QCC): guard bits and per-subband exponent/mantissa.</summary>
internal sealed record J2kQuantization(int Style, int GuardBits, int[] Exponents, int[] Mantissas)
{
    private const string Format = "JPEG 2000";

    public static J2kQuantization Parse(ReadOnlySpan<byte> b)
    {
        if (b.Length < 1) throw new ImageDecodeException($"{Format}: empty quantisation segment.");
        int style = b[0] & 31, guard = b[0] >> 5;
        if (style > 2) throw new ImageDecodeException($"{Format}: invalid quantisation style {style}.");
        int n = style == 0 ? b.Length - 1 : style == 1 ? 1 : (b.Length - 1) / 2;
        var e = new int[n];
        var m = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (style == 0) e[i] = b[1 + i] >> 3;
            else
            {
                int v = U16BE(b, 1 + 2 * i, Format);
                e[i] = v >> 11;
                m[i] = v & 0x7FF;
            }
        }
        if (n == 0) throw new ImageDecodeException($"{Format}: quantisation segment without step sizes.");
        return new J2kQuantization(style, guard, e, m);
    }

    /// <summary>Exponent and mantissa of subband <paramref name="index"/> (0 = LL, then HL/LH/HH per level, coarsest first).</summary>
    public (int Exponent, int Mantissa) Step(int index, int levels)
    {
        if (Style == 1)
        {
            // Scalar derived: ε_b = ε_0 − NL + n_b, where n_b is the band's decomposition level.
            int level = index == 0 ? levels : levels - (index - 1) / 3;
            return (Exponents[0] - levels + level, Mantissas[0]);
        }
        if (index >= Exponents.Length) throw new ImageDecodeException($"{Format}: quantisation segment lacks subband {index}.");
        return (Exponents[index], Mantissas[index]);
    }
}
