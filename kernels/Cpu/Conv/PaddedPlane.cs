using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>
/// A padded copy of one 2-D input plane with each row split into its stride phases, so that a direct sliding-window
/// kernel reads every window tap as a contiguous run: padded column ow·s + kw·d lives in phase (kw·d) mod s at
/// column ow + (kw·d) div s. Pad cells hold a fill value (0 for sums, −∞ for max). 1-D geometries are one row.
/// </summary>
internal readonly struct PaddedPlane
{
    public PaddedPlane(SpatialGeometry g)
    {
        if (g.Rank > 2) throw new ArgumentException("PaddedPlane is 1-D or 2-D only.");
        int[] k = g.Kernel3, s = g.Stride3, d = g.Dilation3, o = g.Out3, p = g.Pad3, i = g.In3;
        Height = i[1];
        Width = i[2];
        PadTop = p[1];
        PadLeft = p[2];
        StrideW = s[2];
        Rows = o[1] == 0 ? 0 : checked((o[1] - 1) * s[1] + (k[1] - 1) * d[1] + 1);
        PhaseWidth = checked(o[2] + (k[2] - 1) * d[2] / s[2]);
        RowStride = checked(StrideW * PhaseWidth);
        Length = checked(Rows * RowStride);
    }

    public int Height { get; }
    public int Width { get; }
    public int PadTop { get; }
    public int PadLeft { get; }
    public int StrideW { get; }
    /// <summary>Padded rows the windows reach: (OH−1)·sh + (KH−1)·dh + 1.</summary>
    public int Rows { get; }
    /// <summary>Columns of one phase.</summary>
    public int PhaseWidth { get; }
    /// <summary>Floats per padded row (all phases).</summary>
    public int RowStride { get; }
    public int Length { get; }

    /// <summary>Offset of window tap (kh, kw) of output (0, 0) within the plane.</summary>
    public int TapOffset(int kh, int kw, SpatialGeometry g)
    {
        int c = kw * g.Dilation3[2];
        return kh * g.Dilation3[1] * RowStride + c % StrideW * PhaseWidth + c / StrideW;
    }

    /// <summary>Fills <paramref name="dst"/> (Length floats) from the Height×Width plane <paramref name="src"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe void Fill(float* src, float* dst, float padValue)
    {
        for (int r = 0; r < Rows; r++)
        {
            float* row = dst + (long)r * RowStride;
            int ih = r - PadTop;
            if ((uint)ih >= (uint)Height)
            {
                new Span<float>(row, RowStride).Fill(padValue);
                continue;
            }
            float* line = src + (long)ih * Width;
            for (int ph = 0; ph < StrideW; ph++)
            {
                float* d = row + ph * PhaseWidth;
                // phase column j reads input column j·s + ph − padLeft
                int first = ph - PadLeft;
                int lo = first >= 0 ? 0 : (-first + StrideW - 1) / StrideW;
                int hi = Width - 1 - first < 0 ? 0 : (Width - 1 - first) / StrideW + 1;
                lo = Math.Min(lo, PhaseWidth);
                hi = Math.Clamp(hi, lo, PhaseWidth);
                if (lo > 0) new Span<float>(d, lo).Fill(padValue);
                if (hi > lo) StridedCopy(line + (lo * StrideW + first), StrideW, d + lo, hi - lo);
                if (hi < PhaseWidth) new Span<float>(d + hi, PhaseWidth - hi).Fill(padValue);
            }
        }
    }

    /// <summary>dst[j] = src[j·stride] for j &lt; n; never reads past src[(n−1)·stride].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void StridedCopy(float* src, int stride, float* dst, int n)
    {
        if (stride == 1)
        {
            Buffer.MemoryCopy(src, dst, (long)n * sizeof(float), (long)n * sizeof(float));
            return;
        }
        int j = 0;
        if (stride == 2)
        {
            // Two loads of 2W contiguous floats give W even ones; the loop stops while the last load stays in bounds.
            if (Vector512.IsHardwareAccelerated)
            {
                var idx = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
                for (; j + 16 < n; j += 16)
                    Avx512F.PermuteVar16x32x2(Vector512.Load(src + 2 * j), idx, Vector512.Load(src + 2 * j + 16)).Store(dst + j);
            }
            else if (Avx2.IsSupported)
            {
                for (; j + 8 < n; j += 8)
                {
                    var mixed = Avx.Shuffle(Vector256.Load(src + 2 * j), Vector256.Load(src + 2 * j + 8), 0b10_00_10_00);
                    Avx2.Permute4x64(mixed.AsDouble(), 0b11_01_10_00).AsSingle().Store(dst + j);
                }
            }
            else if (Sse.IsSupported)
            {
                for (; j + 4 < n; j += 4)
                    Sse.Shuffle(Vector128.Load(src + 2 * j), Vector128.Load(src + 2 * j + 4), 0b10_00_10_00).Store(dst + j);
            }
        }
        for (; j < n; j++) dst[j] = src[(long)j * stride];
    }
}
