using System.Runtime.CompilerServices;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>
/// How one vector of output columns reads its input for one window tap: lane i takes row element p[i·stride]. The
/// interior form reads without checks; the ranged form reads only elements p[k] with lo ≤ k &lt; hi (the rest of the
/// row, and the padding around it, count as zero) and never touches memory outside that range.
/// </summary>
internal unsafe interface IDepthwiseColumns<TV> where TV : struct
{
    /// <summary>Elements past p (p itself included) the interior form may read for a full vector.</summary>
    static abstract int Reach(int stride);
    static abstract TV Load(float* p, int stride);
    static abstract TV LoadRange(float* p, int stride, int lo, int hi);
}

/// <summary>Stride 1: one (masked) vector load.</summary>
internal unsafe struct ContiguousColumns<TS, TV> : IDepthwiseColumns<TV> where TS : IDepthwiseVector<TV> where TV : struct
{
    public static int Reach(int stride) => TS.Width;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Load(float* p, int stride) => TS.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV LoadRange(float* p, int stride, int lo, int hi) => TS.LoadMasked(p, TS.RangeMask(lo, hi));
}

/// <summary>Stride 2: two (masked) vector loads, deinterleaved to their even elements.</summary>
internal unsafe struct PairColumns<TS, TV> : IDepthwiseColumns<TV> where TS : IDepthwiseVector<TV> where TV : struct
{
    public static int Reach(int stride) => 2 * TS.Width;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Load(float* p, int stride) => TS.Even(TS.Load(p), TS.Load(p + TS.Width));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV LoadRange(float* p, int stride, int lo, int hi)
    {
        int n = TS.Width;
        return TS.Even(TS.LoadMasked(p, TS.RangeMask(lo, hi)), TS.LoadMasked(p + n, TS.RangeMask(lo - n, hi - n)));
    }
}

/// <summary>Stride 3 and up (rare in models): lanes gathered one by one through a small stack buffer.</summary>
internal unsafe struct StridedColumns<TS, TV> : IDepthwiseColumns<TV> where TS : IDepthwiseVector<TV> where TV : struct
{
    public static int Reach(int stride) => (TS.Width - 1) * stride + 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static TV Load(float* p, int stride)
    {
        Lanes lanes = default;
        float* t = (float*)&lanes;
        for (int i = 0, k = 0; i < TS.Width; i++, k += stride) t[i] = p[k];
        return TS.Load(t);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static TV LoadRange(float* p, int stride, int lo, int hi)
    {
        Lanes lanes = default;
        float* t = (float*)&lanes;
        for (int i = 0, k = 0; i < TS.Width; i++, k += stride)
            if (k >= lo && k < hi) t[i] = p[k];
        return TS.Load(t);
    }

    [InlineArray(16)]
    private struct Lanes
    {
        private float _element;
    }
}
