namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// One register-blocked SGEMM micro-kernel: an MR×NR tile of C from an MR-interleaved A strip and an NR-wide B strip.
/// </summary>
internal unsafe interface ISgemmMicroKernel
{
    static abstract SgemmIsa Isa { get; }
    /// <summary>Rows of a tile (height of a packed A strip).</summary>
    static abstract int MR { get; }
    /// <summary>Columns of a tile (width of a packed B strip).</summary>
    static abstract int NR { get; }

    /// <summary>
    /// acc[r, q] = Σ_{p &lt; kc} a[p·MR + r]·b[p·NR + q]; then for r &lt; mr, q &lt; nr:
    /// C[r·ldc + q] = alpha·acc + beta·C (with beta = 0, C is not read). Rows of A past mr may hold anything finite.
    /// </summary>
    static abstract void Run(int kc, float* a, float* b, float* c, nint ldc, int mr, int nr, float alpha, float beta);
}

/// <summary>A row count known when the JIT specializes a generic method (dead rows are compiled away).</summary>
internal interface IRowCount { static abstract int Value { get; } }
internal struct Rows1 : IRowCount { public static int Value => 1; }
internal struct Rows2 : IRowCount { public static int Value => 2; }
internal struct Rows3 : IRowCount { public static int Value => 3; }
internal struct Rows4 : IRowCount { public static int Value => 4; }
internal struct Rows5 : IRowCount { public static int Value => 5; }
internal struct Rows6 : IRowCount { public static int Value => 6; }
internal struct Rows7 : IRowCount { public static int Value => 7; }
internal struct Rows8 : IRowCount { public static int Value => 8; }
internal struct Rows9 : IRowCount { public static int Value => 9; }
internal struct Rows10 : IRowCount { public static int Value => 10; }
internal struct Rows11 : IRowCount { public static int Value => 11; }
internal struct Rows12 : IRowCount { public static int Value => 12; }
