namespace NativeInfer.Ops.Misc.Imaging;

/// <summary>
/// The accurate integer 8x8 inverse DCT of the IJG / libjpeg(-turbo) "islow" method (Loeffler–Ligtenberg–Moschytz with
/// 13-bit constants and 2 extra bits between passes), so decoded pixels match the common reference decoders exactly.
/// </summary>
internal static class JpegIdct
{
    private const int ConstBits = 13, Pass1Bits = 2;
    private const long F0298631336 = 2446, F0390180644 = 3196, F0541196100 = 4433, F0765366865 = 6270,
        F0899976223 = 7373, F1175875602 = 9633, F1501321110 = 12299, F1847759065 = 15137, F1961570560 = 16069,
        F2053119869 = 16819, F2562915447 = 20995, F3072711026 = 25172;

    /// <summary>Transforms dequantized coefficients (natural order) into 8x8 samples written at out[offset + y*stride + x].</summary>
    public static void Transform(ReadOnlySpan<int> coef, byte[] output, int offset, int stride, Span<int> workspace)
    {
        for (int col = 0; col < 8; col++)
        {
            if (coef[8 + col] == 0 && coef[16 + col] == 0 && coef[24 + col] == 0 && coef[32 + col] == 0
                && coef[40 + col] == 0 && coef[48 + col] == 0 && coef[56 + col] == 0)
            {
                int dc = coef[col] << Pass1Bits;
                for (int r = 0; r < 8; r++) workspace[r * 8 + col] = dc;
                continue;
            }
            Butterfly(coef[col], coef[8 + col], coef[16 + col], coef[24 + col], coef[32 + col], coef[40 + col], coef[48 + col],
                coef[56 + col], ConstBits - Pass1Bits, workspace, col, 8);
        }
        Span<int> row = stackalloc int[8];
        for (int r = 0; r < 8; r++)
        {
            var w = workspace.Slice(r * 8, 8);
            int o = offset + r * stride;
            if (w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0 && w[6] == 0 && w[7] == 0)
            {
                byte v = Clamp(Descale(w[0], Pass1Bits + 3));
                for (int x = 0; x < 8; x++) output[o + x] = v;
                continue;
            }
            Butterfly(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], ConstBits + Pass1Bits + 3, row, 0, 1);
            for (int x = 0; x < 8; x++) output[o + x] = Clamp(row[x]);
        }
    }

    /// <summary>One 1-D pass; results (descaled by <paramref name="shift"/>) go to dst[at + i*step].</summary>
    private static void Butterfly(long i0, long i1, long i2, long i3, long i4, long i5, long i6, long i7, int shift,
        Span<int> dst, int at, int step)
    {
        long z1 = (i2 + i6) * F0541196100;
        long tmp2 = z1 + i6 * -F1847759065;
        long tmp3 = z1 + i2 * F0765366865;
        long tmp0 = (i0 + i4) << ConstBits;
        long tmp1 = (i0 - i4) << ConstBits;
        long tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;

        long o0 = i7, o1 = i5, o2 = i3, o3 = i1;
        z1 = o0 + o3;
        long z2 = o1 + o2, z3 = o0 + o2, z4 = o1 + o3;
        long z5 = (z3 + z4) * F1175875602;
        o0 *= F0298631336;
        o1 *= F2053119869;
        o2 *= F3072711026;
        o3 *= F1501321110;
        z1 *= -F0899976223;
        z2 *= -F2562915447;
        z3 = z3 * -F1961570560 + z5;
        z4 = z4 * -F0390180644 + z5;
        o0 += z1 + z3;
        o1 += z2 + z4;
        o2 += z2 + z3;
        o3 += z1 + z4;

        dst[at] = Descale(tmp10 + o3, shift);
        dst[at + 7 * step] = Descale(tmp10 - o3, shift);
        dst[at + step] = Descale(tmp11 + o2, shift);
        dst[at + 6 * step] = Descale(tmp11 - o2, shift);
        dst[at + 2 * step] = Descale(tmp12 + o1, shift);
        dst[at + 5 * step] = Descale(tmp12 - o1, shift);
        dst[at + 3 * step] = Descale(tmp13 + o0, shift);
        dst[at + 4 * step] = Descale(tmp13 - o0, shift);
    }

    private static int Descale(long x, int n) => (int)((x + (1L << (n - 1))) >> n);

    private static byte Clamp(int v) => (byte)Math.Clamp(v + 128, 0, 255);
}
