using System.Runtime.CompilerServices;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>
/// The three horizontal taps of a 3-wide undilated window for one vector of outputs, read from one input row at p (the
/// first tap's column): plain loads for interior strips, masked loads (masks built once per strip) at the borders;
/// stride 1 or 2.
/// </summary>
internal unsafe interface IDepthwiseTaps3<TV> where TV : struct
{
    void Load(float* p, out TV t0, out TV t1, out TV t2);
}

/// <summary>Stride 1, all columns inside the row.</summary>
internal readonly unsafe struct Taps3Plain<TS, TV> : IDepthwiseTaps3<TV> where TS : IDepthwiseVector<TV> where TV : struct
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Load(float* p, out TV t0, out TV t1, out TV t2)
    {
        t0 = TS.Load(p);
        t1 = TS.Load(p + 1);
        t2 = TS.Load(p + 2);
    }
}

/// <summary>Stride 1 at a border: columns outside [0, W) read as zero.</summary>
internal readonly unsafe struct Taps3Masked<TS, TV> : IDepthwiseTaps3<TV> where TS : IDepthwiseVector<TV> where TV : struct
{
    private readonly TV _m0, _m1, _m2;

    /// <summary>Masks for a strip whose first tap column is c in a row of w columns.</summary>
    public Taps3Masked(int c, int w)
    {
        _m0 = TS.RangeMask(-c, w - c);
        _m1 = TS.RangeMask(-c - 1, w - c - 1);
        _m2 = TS.RangeMask(-c - 2, w - c - 2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Load(float* p, out TV t0, out TV t1, out TV t2)
    {
        t0 = TS.LoadMasked(p, _m0);
        t1 = TS.LoadMasked(p + 1, _m1);
        t2 = TS.LoadMasked(p + 2, _m2);
    }
}

/// <summary>Stride 2, all columns inside: even and odd of the pair at p, even of the pair at p + 2.</summary>
internal readonly unsafe struct Taps3PairPlain<TS, TV> : IDepthwiseTaps3<TV> where TS : IDepthwiseVector<TV> where TV : struct
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Load(float* p, out TV t0, out TV t1, out TV t2)
    {
        var a = TS.Load(p);
        var b = TS.Load(p + TS.Width);
        t0 = TS.Even(a, b);
        t1 = TS.Odd(a, b);
        t2 = TS.Even(TS.Load(p + 2), TS.Load(p + 2 + TS.Width));
    }
}

/// <summary>Stride 2 at a border.</summary>
internal readonly unsafe struct Taps3PairMasked<TS, TV> : IDepthwiseTaps3<TV> where TS : IDepthwiseVector<TV> where TV : struct
{
    private readonly TV _ma, _mb, _mc, _md;

    public Taps3PairMasked(int c, int w)
    {
        int n = TS.Width;
        _ma = TS.RangeMask(-c, w - c);
        _mb = TS.RangeMask(-c - n, w - c - n);
        _mc = TS.RangeMask(-c - 2, w - c - 2);
        _md = TS.RangeMask(-c - 2 - n, w - c - 2 - n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Load(float* p, out TV t0, out TV t1, out TV t2)
    {
        var a = TS.LoadMasked(p, _ma);
        var b = TS.LoadMasked(p + TS.Width, _mb);
        t0 = TS.Even(a, b);
        t1 = TS.Odd(a, b);
        t2 = TS.Even(TS.LoadMasked(p + 2, _mc), TS.LoadMasked(p + 2 + TS.Width, _md));
    }
}
