namespace NativeInfer.Ops.Image.Codecs.Jpeg;

/// <summary>
/// The accurate integer inverse DCT ("islow": Loeffler–Ligtenberg–Moschytz factorisation, 13-bit constants, two
/// extra bits of precision between the column and row passes), bit-exact with libjpeg's default, including its
/// range limiting of out-of-range results.
/// </summary>
internal static class JpegIdct
{
    private const int ConstBits = 13, Pass1Bits = 2;
    private const int F0298 = 2446, F0390 = 3196, F0541 = 4433, F0765 = 6270, F0899 = 7373, F1175 = 9633,
        F1501 = 12299, F1847 = 15137, F1961 = 16069, F2053 = 16819, F2562 = 20995, F3072 = 25172;

    /// <summary>
    /// Inverse-transforms one block of quantised coefficients (natural order) and writes 8×8 samples at
    /// <paramref name="output"/>[offset], rows <paramref name="stride"/> apart.
    /// </summary>
    public static void Transform(ReadOnlySpan<short> coef, ReadOnlySpan<ushort> quant, Span<int> ws, Span<byte> output, int offset, int stride)
    {
        for (int c = 0; c < 8; c++)
        {
            if (coef[8 + c] == 0 && coef[16 + c] == 0 && coef[24 + c] == 0 && coef[32 + c] == 0 &&
                coef[40 + c] == 0 && coef[48 + c] == 0 && coef[56 + c] == 0)
            {
                int dc = coef[c] * quant[c] << Pass1Bits;
                for (int r = 0; r < 8; r++) ws[r * 8 + c] = dc;
                continue;
            }
            Butterfly(coef[c] * quant[c], coef[8 + c] * quant[8 + c], coef[16 + c] * quant[16 + c], coef[24 + c] * quant[24 + c],
                coef[32 + c] * quant[32 + c], coef[40 + c] * quant[40 + c], coef[48 + c] * quant[48 + c], coef[56 + c] * quant[56 + c],
                ws, c, 8, ConstBits - Pass1Bits);
        }
        Span<int> row = stackalloc int[8];
        for (int r = 0; r < 8; r++)
        {
            var w = ws.Slice(r * 8, 8);
            int o = offset + r * stride;
            if (w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0 && w[6] == 0 && w[7] == 0)
            {
                byte v = RangeLimit(Descale(w[0], Pass1Bits + 3));
                output.Slice(o, 8).Fill(v);
                continue;
            }
            Butterfly(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], row, 0, 1, ConstBits + Pass1Bits + 3);
            for (int i = 0; i < 8; i++) output[o + i] = RangeLimit(row[i]);
        }
    }

    private static int Descale(int x, int n) => (x + (1 << (n - 1))) >> n;

    /// <summary>
    /// libjpeg's sample range limiting: results in [−128, 127] shift to [0, 255]; beyond that they saturate within
    /// ±512 of the centre and wrap modulo 1024 (a corrupt-data case only).
    /// </summary>
    private static byte RangeLimit(int x)
    {
        int i = 128 + (x & 1023);
        return (byte)(i < 256 ? i : i < 640 ? 255 : i < 1024 ? 0 : i - 1024);
    }

    /// <summary>One 8-point 1-D IDCT; results descaled by <paramref name="shift"/> bits go to dst[at + k·step].</summary>
    private static void Butterfly(int in0, int in1, int in2, int in3, int in4, int in5, int in6, int in7,
        Span<int> dst, int at, int step, int shift)
    {
        // Even part.
        int z1 = (in2 + in6) * F0541;
        int tmp2 = z1 - in6 * F1847;
        int tmp3 = z1 + in2 * F0765;
        int tmp0 = (in0 + in4) << ConstBits;
        int tmp1 = (in0 - in4) << ConstBits;
        int tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;

        // Odd part.
        int t0 = in7, t1 = in5, t2 = in3, t3 = in1;
        int z1o = t0 + t3, z2 = t1 + t2, z3 = t0 + t2, z4 = t1 + t3;
        int z5 = (z3 + z4) * F1175;
        t0 *= F0298;
        t1 *= F2053;
        t2 *= F3072;
        t3 *= F1501;
        z1o *= -F0899;
        z2 *= -F2562;
        z3 = z3 * -F1961 + z5;
        z4 = z4 * -F0390 + z5;
        t0 += z1o + z3;
        t1 += z2 + z4;
        t2 += z2 + z3;
        t3 += z1o + z4;

        dst[at] = Descale(tmp10 + t3, shift);
        dst[at + 7 * step] = Descale(tmp10 - t3, shift);
        dst[at + step] = Descale(tmp11 + t2, shift);
        dst[at + 6 * step] = Descale(tmp11 - t2, shift);
        dst[at + 2 * step] = Descale(tmp12 + t1, shift);
        dst[at + 5 * step] = Descale(tmp12 - t1, shift);
        dst[at + 3 * step] = Descale(tmp13 + t0, shift);
        dst[at + 4 * step] = Descale(tmp13 - t0, shift);
    }
}
