namespace NativeInfer.Ops.Image.Codecs.WebP;

/// <summary>Token (DCT coefficient) decoding of one macroblock (RFC 6386 section 13).</summary>
internal sealed partial class Vp8Decoder
{
    private static readonly byte[][] ExtraBitProbs =
    [
        [173, 148, 140],
        [176, 155, 140, 135],
        [180, 157, 141, 134, 130],
        [254, 254, 243, 230, 196, 177, 153, 140, 133, 130, 129],
    ];

    /// <summary>
    /// Reads the residuals of a macroblock into <paramref name="coeffs"/> (16 Y, 4 U, 4 V blocks of 16 dequantised
    /// coefficients in raster order), updating the non-zero contexts; true when every block is zero.
    /// </summary>
    private bool ParseResiduals(Vp8BoolDecoder br, ref MacroblockInfo mb, short[] coeffs, ref int topNz, ref int leftNz,
        ref int topNzDc, ref int leftNzDc, out uint nonZeroY, out uint nonZeroUv)
    {
        int s = mb.Segment, first, acType;
        if (!mb.Is4x4)
        {
            Span<short> dc = stackalloc short[16];
            int nz = GetCoeffs(br, 1, topNzDc + leftNzDc, _dequant[s, 2], _dequant[s, 3], 0, dc);
            topNzDc = leftNzDc = nz > 0 ? 1 : 0;
            if (nz > 1) Vp8Transforms.InverseWht(dc, coeffs);
            else
            {
                short dc0 = (short)((dc[0] + 3) >> 3);
                for (int i = 0; i < 16; i++) coeffs[16 * i] = dc0;
            }
            first = 1;
            acType = 0;
        }
        else
        {
            first = 0;
            acType = 3;
        }

        nonZeroY = 0;
        int tnz = topNz & 0xF, lnz = leftNz & 0xF;
        for (int y = 0; y < 4; y++)
        {
            int l = lnz >> y & 1;
            for (int x = 0; x < 4; x++)
            {
                var block = coeffs.AsSpan((4 * y + x) * 16, 16);
                int nz = GetCoeffs(br, acType, l + (tnz >> x & 1), _dequant[s, 0], _dequant[s, 1], first, block);
                l = nz > first ? 1 : 0;
                tnz = (tnz & ~(1 << x)) | l << x;
                if (nz > 1 || block[0] != 0) nonZeroY |= 1u << (4 * y + x);
            }
            lnz = (lnz & ~(1 << y)) | l << y;
        }

        nonZeroUv = 0;
        int tnzUv = topNz >> 4 & 0xF, lnzUv = leftNz >> 4 & 0xF;
        for (int ch = 0; ch < 2; ch++)
            for (int y = 0; y < 2; y++)
            {
                int l = lnzUv >> (2 * ch + y) & 1;
                for (int x = 0; x < 2; x++)
                {
                    int bit = 2 * ch + x;
                    var block = coeffs.AsSpan(256 + (4 * ch + 2 * y + x) * 16, 16);
                    int nz = GetCoeffs(br, 2, l + (tnzUv >> bit & 1), _dequant[s, 4], _dequant[s, 5], 0, block);
                    l = nz > 0 ? 1 : 0;
                    tnzUv = (tnzUv & ~(1 << bit)) | l << bit;
                    if (nz > 1 || block[0] != 0) nonZeroUv |= 1u << (4 * ch + 2 * y + x);
                }
                lnzUv = (lnzUv & ~(1 << (2 * ch + y))) | l << (2 * ch + y);
            }
        topNz = tnz | tnzUv << 4;
        leftNz = lnz | lnzUv << 4;
        return nonZeroY == 0 && nonZeroUv == 0;
    }

    private int ProbIndex(int type, int position, int ctx) => ((type * 8 + Vp8Tables.Bands[position]) * 3 + ctx) * 11;

    /// <summary>
    /// Decodes the tokens of one 4×4 block from zig-zag position <paramref name="n"/>; returns the position after the
    /// last non-zero coefficient (0 or <paramref name="n"/> when the block ends at once).
    /// </summary>
    private int GetCoeffs(Vp8BoolDecoder br, int type, int ctx, int dcq, int acq, int n, Span<short> output)
    {
        var probs = _coeffProbs;
        int p = ProbIndex(type, n, ctx);
        for (; n < 16; n++)
        {
            if (br.Bit(probs[p]) == 0) return n; // end of block
            while (br.Bit(probs[p + 1]) == 0)
            {
                if (++n == 16) return 16;
                p = ProbIndex(type, n, 0);
            }
            int v, nextCtx;
            if (br.Bit(probs[p + 2]) == 0)
            {
                v = 1;
                nextCtx = 1;
            }
            else
            {
                v = LargeValue(br, probs, p);
                nextCtx = 2;
            }
            if (br.Bit(128) != 0) v = -v;
            output[Vp8Tables.ZigZag[n]] = unchecked((short)(v * (n > 0 ? acq : dcq)));
            p = ProbIndex(type, n + 1, nextCtx);
        }
        return 16;
    }

    private static int LargeValue(Vp8BoolDecoder br, byte[] probs, int p)
    {
        if (br.Bit(probs[p + 3]) == 0)
            return br.Bit(probs[p + 4]) == 0 ? 2 : 3 + br.Bit(probs[p + 5]);
        if (br.Bit(probs[p + 6]) == 0)
        {
            if (br.Bit(probs[p + 7]) == 0) return 5 + br.Bit(159);
            int v = 7 + 2 * br.Bit(165);
            return v + br.Bit(145);
        }
        int bit1 = br.Bit(probs[p + 8]);
        int bit0 = br.Bit(probs[p + 9 + bit1]);
        int cat = 2 * bit1 + bit0, extra = 0;
        foreach (byte prob in ExtraBitProbs[cat]) extra = extra * 2 + br.Bit(prob);
        return extra + 3 + (8 << cat);
    }
}
