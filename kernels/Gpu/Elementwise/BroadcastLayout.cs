namespace NativeInfer.Kernels.Gpu.Elementwise;

/// <summary>
/// An output shape of rank ≤ <see cref="MaxRank"/> (leading dims padded with 1) and the element strides of two
/// operands broadcast to it (stride 0 along a broadcast axis): what a broadcasting kernel needs to turn an output index
/// into operand offsets. A plain struct of ints, so it is passed by value to kernels.
/// </summary>
public struct BroadcastLayout
{
    public const int MaxRank = 6;

    public int D0, D1, D2, D3, D4, D5;
    public int A0, A1, A2, A3, A4, A5;
    public int B0, B1, B2, B3, B4, B5;

    /// <summary>
    /// The layout of <paramref name="a"/> and <paramref name="b"/> (numpy rules, aligned right) against
    /// <paramref name="output"/>; false when the rank exceeds <see cref="MaxRank"/> or a shape does not broadcast.
    /// </summary>
    public static bool TryCreate(ReadOnlySpan<int> output, ReadOnlySpan<int> a, ReadOnlySpan<int> b, out BroadcastLayout layout)
    {
        layout = default;
        if (output.Length > MaxRank || a.Length > output.Length || b.Length > output.Length) return false;
        Span<int> d = stackalloc int[MaxRank], sa = stackalloc int[MaxRank], sb = stackalloc int[MaxRank];
        d.Fill(1);
        int pad = MaxRank - output.Length;
        for (int i = 0; i < output.Length; i++) d[pad + i] = output[i];
        if (!Strides(d, a, sa) || !Strides(d, b, sb)) return false;
        layout = new BroadcastLayout
        {
            D0 = d[0], D1 = d[1], D2 = d[2], D3 = d[3], D4 = d[4], D5 = d[5],
            A0 = sa[0], A1 = sa[1], A2 = sa[2], A3 = sa[3], A4 = sa[4], A5 = sa[5],
            B0 = sb[0], B1 = sb[1], B2 = sb[2], B3 = sb[3], B4 = sb[4], B5 = sb[5],
        };
        return true;
    }

    private static bool Strides(ReadOnlySpan<int> dims, ReadOnlySpan<int> shape, Span<int> strides)
    {
        int offset = MaxRank - shape.Length, stride = 1;
        for (int i = MaxRank - 1; i >= 0; i--)
        {
            int x = i >= offset ? shape[i - offset] : 1;
            if (x == dims[i]) strides[i] = x == 1 ? 0 : stride;
            else if (x == 1) strides[i] = 0;
            else return false;
            stride *= x;
        }
        return true;
    }

    /// <summary>Offsets into A and B of output element <paramref name="index"/>.</summary>
    public readonly void Offsets(int index, out int a, out int b)
    {
        int i = index, c;
        c = i % D5; i /= D5; a = c * A5; b = c * B5;
        c = i % D4; i /= D4; a += c * A4; b += c * B4;
        c = i % D3; i /= D3; a += c * A3; b += c * B3;
        c = i % D2; i /= D2; a += c * A2; b += c * B2;
        c = i % D1; i /= D1; a += c * A1; b += c * B1;
        a += i * A0; b += i * B0;
    }
}
