namespace NativeInfer.Ops.Image.Codecs.WebP;

/// <summary>VP8's inverse transforms (RFC 6386 section 14): the 4×4 Walsh–Hadamard for Y2 and the 4×4 integer DCT.</summary>
internal static class Vp8Transforms
{
    /// <summary>Inverse WHT of the Y2 block; result i becomes the DC of luma block i (coefficient 16·i).</summary>
    public static void InverseWht(ReadOnlySpan<short> input, short[] coeffs)
    {
        Span<int> tmp = stackalloc int[16];
        for (int i = 0; i < 4; i++)
        {
            int a0 = input[i] + input[12 + i], a1 = input[4 + i] + input[8 + i];
            int a2 = input[4 + i] - input[8 + i], a3 = input[i] - input[12 + i];
            tmp[i] = a0 + a1;
            tmp[8 + i] = a0 - a1;
            tmp[4 + i] = a3 + a2;
            tmp[12 + i] = a3 - a2;
        }
        for (int i = 0; i < 4; i++)
        {
            int dc = tmp[i * 4] + 3;
            int a0 = dc + tmp[3 + i * 4], a1 = tmp[1 + i * 4] + tmp[2 + i * 4];
            int a2 = tmp[1 + i * 4] - tmp[2 + i * 4], a3 = dc - tmp[3 + i * 4];
            int o = 64 * i;
            coeffs[o] = (short)((a0 + a1) >> 3);
            coeffs[o + 16] = (short)((a3 + a2) >> 3);
            coeffs[o + 32] = (short)((a0 - a1) >> 3);
            coeffs[o + 48] = (short)((a3 - a2) >> 3);
        }
    }

    private static int Mul1(int a) => ((a * 20091) >> 16) + a;
    private static int Mul2(int a) => (a * 35468) >> 16;

    /// <summary>Adds the inverse DCT of one block to the 4×4 prediction at buf[offset] (rows <paramref name="stride"/> apart).</summary>
    public static void AddInverseDct(ReadOnlySpan<short> input, byte[] buf, int offset, int stride)
    {
        Span<int> tmp = stackalloc int[16];
        for (int i = 0; i < 4; i++)
        {
            int a = input[i] + input[8 + i], b = input[i] - input[8 + i];
            int c = Mul2(input[4 + i]) - Mul1(input[12 + i]);
            int d = Mul1(input[4 + i]) + Mul2(input[12 + i]);
            tmp[4 * i] = a + d;
            tmp[4 * i + 1] = b + c;
            tmp[4 * i + 2] = b - c;
            tmp[4 * i + 3] = a - d;
        }
        for (int i = 0; i < 4; i++)
        {
            int dc = tmp[i] + 4;
            int a = dc + tmp[8 + i], b = dc - tmp[8 + i];
            int c = Mul2(tmp[4 + i]) - Mul1(tmp[12 + i]);
            int d = Mul1(tmp[4 + i]) + Mul2(tmp[12 + i]);
            int o = offset + i * stride;
            buf[o] = Clip(buf[o] + ((a + d) >> 3));
            buf[o + 1] = Clip(buf[o + 1] + ((b + c) >> 3));
            buf[o + 2] = Clip(buf[o + 2] + ((b - c) >> 3));
            buf[o + 3] = Clip(buf[o + 3] + ((a - d) >> 3));
        }
    }

    public static byte Clip(int v) => (byte)(v < 0 ? 0 : v > 255 ? 255 : v);
}
