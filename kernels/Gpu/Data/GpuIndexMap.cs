namespace NativeInfer.Kernels.Gpu.Data;

/// <summary>
/// Maps a row-major linear index over up to 8 dims (sizes D0..D7, outermost first) to an element offset
/// Σ coordᵢ·Sᵢ with per-dim strides (negative strides allowed). Plain fields, so kernels take it by value; used by
/// transpose, slice, concat/split, pad and the general reductions.
/// </summary>
internal struct GpuIndexMap
{
    public const int MaxRank = 8;

    public int Rank;
    public int D0, D1, D2, D3, D4, D5, D6, D7;
    public int S0, S1, S2, S3, S4, S5, S6, S7;

    /// <summary>Sizes and strides from the host (rank ≤ 8; a rank-0 map has one element at offset 0).</summary>
    public static GpuIndexMap Create(ReadOnlySpan<int> sizes, ReadOnlySpan<long> strides)
    {
        if (sizes.Length > MaxRank) throw new NotSupportedException($"GPU data kernels handle up to {MaxRank} dims, not {sizes.Length}.");
        if (strides.Length != sizes.Length) throw new ArgumentException("One stride per dim.");
        var m = new GpuIndexMap { Rank = sizes.Length };
        for (int i = 0; i < sizes.Length; i++)
        {
            if (sizes[i] < 0) throw new ArgumentException("Sizes must be non-negative.");
            if (strides[i] is > int.MaxValue or < int.MinValue) throw new NotSupportedException("GPU strides are limited to 32 bits.");
            m.Set(i, sizes[i], (int)strides[i]);
        }
        return m;
    }

    /// <summary>Any per-dim values (pads may be negative): for kernels that need per-dim numbers, not offsets.</summary>
    public static GpuIndexMap Values(ReadOnlySpan<int> d, ReadOnlySpan<int> s)
    {
        if (d.Length > MaxRank) throw new NotSupportedException($"GPU data kernels handle up to {MaxRank} dims, not {d.Length}.");
        var m = new GpuIndexMap { Rank = d.Length };
        for (int i = 0; i < d.Length; i++) m.Set(i, d[i], i < s.Length ? s[i] : 0);
        return m;
    }

    /// <summary>Row-major (dense) strides of a shape.</summary>
    public static long[] DenseStrides(ReadOnlySpan<int> shape)
    {
        var s = new long[shape.Length];
        long acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    public static long Count(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape) n = checked(n * d);
        return n;
    }

    private void Set(int i, int d, int s)
    {
        switch (i)
        {
            case 0: D0 = d; S0 = s; break;
            case 1: D1 = d; S1 = s; break;
            case 2: D2 = d; S2 = s; break;
            case 3: D3 = d; S3 = s; break;
            case 4: D4 = d; S4 = s; break;
            case 5: D5 = d; S5 = s; break;
            case 6: D6 = d; S6 = s; break;
            default: D7 = d; S7 = s; break;
        }
    }

    public readonly int Size(int i) => i switch { 0 => D0, 1 => D1, 2 => D2, 3 => D3, 4 => D4, 5 => D5, 6 => D6, _ => D7 };

    public readonly int Stride(int i) => i switch { 0 => S0, 1 => S1, 2 => S2, 3 => S3, 4 => S4, 5 => S5, 6 => S6, _ => S7 };

    /// <summary>The offset of the element at row-major position <paramref name="linear"/> (kernel code).</summary>
    public readonly int Offset(int linear)
    {
        int off = 0;
        for (int i = Rank - 1; i >= 0; i--)
        {
            int d = Size(i);
            int q = linear / d;
            off += (linear - q * d) * Stride(i);
            linear = q;
        }
        return off;
    }
}
