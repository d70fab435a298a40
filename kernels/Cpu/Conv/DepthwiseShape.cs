using System.Runtime.CompilerServices;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>
/// A 1-D or 2-D depthwise geometry as plain ints (1-D is one row: H = OH = KH = 1), with the band of output rows whose
/// whole window lies inside the input vertically (<see cref="RowLo"/> to <see cref="RowHi"/>): those run without any
/// vertical padding logic.
/// </summary>
internal readonly struct DepthwiseShape
{
    public DepthwiseShape(SpatialGeometry g)
    {
        int[] i = g.In3, o = g.Out3, k = g.Kernel3, s = g.Stride3, d = g.Dilation3, p = g.Pad3;
        H = i[1]; W = i[2]; OH = o[1]; OW = o[2]; KH = k[1]; KW = k[2];
        SH = s[1]; SW = s[2]; DH = d[1]; DW = d[2]; PadT = p[1]; PadL = p[2];
        RowLo = (int)Math.Min(OH, ((long)PadT + SH - 1) / SH);
        long last = (long)H - 1 - (long)(KH - 1) * DH + PadT;   // largest oh·SH with the window's last row inside
        RowHi = last < 0 ? RowLo : (int)Math.Clamp(last / SH + 1, RowLo, OH);
        Is3x3 = KH == 3 && KW == 3 && DH == 1 && DW == 1 && SW <= 2;
    }

    public int H { get; }
    public int W { get; }
    public int OH { get; }
    public int OW { get; }
    public int KH { get; }
    public int KW { get; }
    public int SH { get; }
    public int SW { get; }
    public int DH { get; }
    public int DW { get; }
    public int PadT { get; }
    public int PadL { get; }
    /// <summary>First output row whose window starts inside the input.</summary>
    public int RowLo { get; }
    /// <summary>End of the output rows (from <see cref="RowLo"/>) whose window ends inside the input.</summary>
    public int RowHi { get; }
    /// <summary>3×3, undilated, horizontal stride 1 or 2: the register-resident-weights path.</summary>
    public bool Is3x3 { get; }

    /// <summary>First input row of output row <paramref name="oh"/>'s window and its kernel rows [lo, hi) inside the input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Taps(int oh, out int ih0, out int lo, out int hi)
    {
        ih0 = oh * SH - PadT;
        lo = ih0 >= 0 ? 0 : (-ih0 + DH - 1) / DH;
        int room = H - 1 - ih0;
        hi = room < 0 ? 0 : Math.Min(KH, room / DH + 1);
        if (hi < lo) hi = lo;
    }
}
