namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// Row-major float32 GEMM on one instruction set: <c>C = act(alpha·op(A)·op(B) + beta·C + bias + R)</c>, where op(A)
/// is M×K and op(B) is K×N. <see cref="Default"/> is the fastest kernel this CPU runs (chosen once); <see cref="For"/>
/// gives a specific one (tests and benchmarks compare them).
/// </summary>
/// <remarks>
/// <para>Operands: op(A)[i, p] is A[i·lda + p] (A[p·lda + i] when transA); op(B)[p, j] is B[p·ldb + j] (B[j·ldb + p]
/// when transB); C[i, j] is C[i·ldc + j]. With beta = 0, C is not read (NaN in C does not leak into the result).
/// The left operand may be pre-packed (<see cref="PackA"/>: conv weights), the right one pre-packed
/// (<see cref="PackB"/>: MatMul/Gemm weights) or produced panel by panel by an <see cref="ISgemmBPacker"/> (conv
/// im2col written straight into the panel layout).</para>
/// <para>Threads: the product is split over <see cref="Threading.KernelParallelism.MaxDegree"/> threads (one
/// fork/join per call) when it is large enough.</para>
/// </remarks>
public sealed unsafe class SgemmKernel
{
    private static readonly SgemmKernel?[] s_kernels = new SgemmKernel?[4];

    private SgemmKernel(SgemmIsa isa, int mr, int nr)
    {
        Isa = isa;
        PanelHeight = mr;
        PanelWidth = nr;
    }

    /// <summary>The fastest kernel this CPU supports: AVX-512, else AVX2 + FMA, else Vector128, else scalar.</summary>
    public static SgemmKernel Default { get; } = For(
        IsSupported(SgemmIsa.Avx512) ? SgemmIsa.Avx512 :
        IsSupported(SgemmIsa.Avx2) ? SgemmIsa.Avx2 :
        IsSupported(SgemmIsa.Vector128) ? SgemmIsa.Vector128 : SgemmIsa.Scalar);

    /// <summary>True when this process can run <paramref name="isa"/> with hardware acceleration.</summary>
    public static bool IsSupported(SgemmIsa isa) => isa switch
    {
        SgemmIsa.Avx512 => SgemmAvx512Kernel.IsSupported,
        SgemmIsa.Avx2 => SgemmAvx2Kernel.IsSupported,
        SgemmIsa.Vector128 => SgemmVector128Kernel.IsSupported,
        SgemmIsa.Scalar => true,
        _ => false,
    };

    /// <summary>The kernel for <paramref name="isa"/>; throws <see cref="NotSupportedException"/> when this CPU lacks it.</summary>
    public static SgemmKernel For(SgemmIsa isa)
    {
        if (!IsSupported(isa)) throw new NotSupportedException($"This CPU (or process configuration) does not support the {isa} SGEMM kernel.");
        return s_kernels[(int)isa] ??= isa switch
        {
            SgemmIsa.Avx512 => new SgemmKernel(isa, SgemmAvx512Kernel.MR, SgemmAvx512Kernel.NR),
            SgemmIsa.Avx2 => new SgemmKernel(isa, SgemmAvx2Kernel.MR, SgemmAvx2Kernel.NR),
            SgemmIsa.Vector128 => new SgemmKernel(isa, SgemmVector128Kernel.MR, SgemmVector128Kernel.NR),
            _ => new SgemmKernel(isa, SgemmScalarKernel.MR, SgemmScalarKernel.NR),
        };
    }

    public SgemmIsa Isa { get; }
    /// <summary>MR: rows of a micro-tile, the height of a packed A strip.</summary>
    public int PanelHeight { get; }
    /// <summary>NR: columns of a micro-tile, the width of a packed B strip (see <see cref="ISgemmBPacker"/>).</summary>
    public int PanelWidth { get; }
    /// <summary>KC: the deepest panel the kernel asks an <see cref="ISgemmBPacker"/> for; K blocks start at its multiples.</summary>
    public int PanelDepth => SgemmCall<SgemmScalarKernel>.KC;

    // ---------------------------------------------------------------------------------------------------------------
    // Packing constant operands.

    /// <summary>Packs a constant left operand op(A) (m×k) once, for any number of later products.</summary>
    public SgemmPackedA PackA(bool transA, int m, int k, ReadOnlySpan<float> a, int lda)
    {
        if (m < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), "GEMM dimensions must be non-negative.");
        MatrixChecks.Extent(a.Length, transA ? k : m, transA ? m : k, lda, "a");
        var packed = new SgemmPackedA(Isa, m, k, RoundUp(m, PanelHeight));
        fixed (float* pa = a)
        {
            switch (Isa)
            {
                case SgemmIsa.Avx512: SgemmPacking<SgemmAvx512Kernel>.PackAllA(transA, pa, lda, m, k, packed.PaddedRows, packed.Data); break;
                case SgemmIsa.Avx2: SgemmPacking<SgemmAvx2Kernel>.PackAllA(transA, pa, lda, m, k, packed.PaddedRows, packed.Data); break;
                case SgemmIsa.Vector128: SgemmPacking<SgemmVector128Kernel>.PackAllA(transA, pa, lda, m, k, packed.PaddedRows, packed.Data); break;
                default: SgemmPacking<SgemmScalarKernel>.PackAllA(transA, pa, lda, m, k, packed.PaddedRows, packed.Data); break;
            }
        }
        return packed;
    }

    /// <summary>Packs a constant right operand op(B) (k×n) once, for any number of later products.</summary>
    public SgemmPackedB PackB(bool transB, int k, int n, ReadOnlySpan<float> b, int ldb)
    {
        if (n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(n), "GEMM dimensions must be non-negative.");
        MatrixChecks.Extent(b.Length, transB ? n : k, transB ? k : n, ldb, "b");
        var packed = new SgemmPackedB(Isa, k, n, RoundUp(n, PanelWidth));
        fixed (float* pb = b)
        {
            switch (Isa)
            {
                case SgemmIsa.Avx512: SgemmPacking<SgemmAvx512Kernel>.PackAllB(transB, pb, ldb, k, n, packed.PaddedColumns, packed.Data); break;
                case SgemmIsa.Avx2: SgemmPacking<SgemmAvx2Kernel>.PackAllB(transB, pb, ldb, k, n, packed.PaddedColumns, packed.Data); break;
                case SgemmIsa.Vector128: SgemmPacking<SgemmVector128Kernel>.PackAllB(transB, pb, ldb, k, n, packed.PaddedColumns, packed.Data); break;
                default: SgemmPacking<SgemmScalarKernel>.PackAllB(transB, pb, ldb, k, n, packed.PaddedColumns, packed.Data); break;
            }
        }
        return packed;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Products.

    /// <summary>C = alpha·op(A)·op(B) + beta·C, plain operands with arbitrary leading dimensions.</summary>
    public void Multiply(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, default);

    /// <summary>C = act(alpha·op(A)·op(B) + beta·C + bias + R), plain operands with arbitrary leading dimensions.</summary>
    public void Multiply(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc, scoped in SgemmEpilogue epilogue)
    {
        MatrixChecks.Operands(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        fixed (float* pa = a)
        fixed (float* pb = b)
        {
            var p = new Problem { M = m, N = n, K = k, Alpha = alpha, Beta = beta, A = pa, Lda = lda, TransA = transA, B = pb, Ldb = ldb, TransB = transB };
            Run(ref p, c, ldc, epilogue);
        }
    }

    /// <summary>C = act(alpha·A·op(B) + beta·C + bias + R) with a pre-packed left operand (M = a.Rows, K = a.Depth).</summary>
    public void Multiply(SgemmPackedA a, bool transB, int n, float alpha, ReadOnlySpan<float> b, int ldb, float beta,
        Span<float> c, int ldc, scoped in SgemmEpilogue epilogue = default)
    {
        CheckPacked(a);
        int m = a.Rows, k = a.Depth;
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), "GEMM dimensions must be non-negative.");
        MatrixChecks.Extent(b.Length, transB ? n : k, transB ? k : n, ldb, "b");
        MatrixChecks.Extent(c.Length, m, n, ldc, "c");
        fixed (float* pb = b)
        {
            var p = new Problem { M = m, N = n, K = k, Alpha = alpha, Beta = beta, APacked = a.Data, MPad = a.PaddedRows, B = pb, Ldb = ldb, TransB = transB };
            Run(ref p, c, ldc, epilogue);
            GC.KeepAlive(a);
        }
    }

    /// <summary>
    /// C = act(alpha·A·B + beta·C + bias + R) with a pre-packed left operand (M = a.Rows, K = a.Depth) and B (K×N)
    /// written panel by panel by <paramref name="b"/>.
    /// </summary>
    public void Multiply(SgemmPackedA a, ISgemmBPacker b, int n, float alpha, float beta, Span<float> c, int ldc,
        scoped in SgemmEpilogue epilogue = default)
    {
        CheckPacked(a);
        ArgumentNullException.ThrowIfNull(b);
        int m = a.Rows, k = a.Depth;
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), "GEMM dimensions must be non-negative.");
        MatrixChecks.Extent(c.Length, m, n, ldc, "c");
        var p = new Problem { M = m, N = n, K = k, Alpha = alpha, Beta = beta, APacked = a.Data, MPad = a.PaddedRows, Packer = b };
        Run(ref p, c, ldc, epilogue);
        GC.KeepAlive(a);
    }

    /// <summary>C = act(alpha·op(A)·B + beta·C + bias + R) with plain A (m×k) and B (k×n) written panel by panel by <paramref name="b"/>.</summary>
    public void Multiply(bool transA, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda, ISgemmBPacker b,
        float beta, Span<float> c, int ldc, scoped in SgemmEpilogue epilogue = default)
    {
        ArgumentNullException.ThrowIfNull(b);
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), "GEMM dimensions must be non-negative.");
        MatrixChecks.Extent(a.Length, transA ? k : m, transA ? m : k, lda, "a");
        MatrixChecks.Extent(c.Length, m, n, ldc, "c");
        fixed (float* pa = a)
        {
            // M = 1 would take the unpacked GEMV path, which needs B itself: the packer forces the panel path.
            var p = new Problem { M = m, N = n, K = k, Alpha = alpha, Beta = beta, A = pa, Lda = lda, TransA = transA, Packer = b };
            Run(ref p, c, ldc, epilogue);
        }
    }

    /// <summary>C = act(alpha·op(A)·B + beta·C + bias + R) with a pre-packed right operand (K = b.Depth, N = b.Columns).</summary>
    public void Multiply(bool transA, int m, float alpha, ReadOnlySpan<float> a, int lda, SgemmPackedB b, float beta,
        Span<float> c, int ldc, scoped in SgemmEpilogue epilogue = default)
    {
        ArgumentNullException.ThrowIfNull(b);
        if (b.Isa != Isa) throw new ArgumentException($"The operand was packed for {b.Isa}, not {Isa}.", nameof(b));
        int n = b.Columns, k = b.Depth;
        if (m < 0) throw new ArgumentOutOfRangeException(nameof(m), "GEMM dimensions must be non-negative.");
        MatrixChecks.Extent(a.Length, transA ? k : m, transA ? m : k, lda, "a");
        MatrixChecks.Extent(c.Length, m, n, ldc, "c");
        fixed (float* pa = a)
        {
            var p = new Problem { M = m, N = n, K = k, Alpha = alpha, Beta = beta, A = pa, Lda = lda, TransA = transA, BPacked = b.Data, NPad = b.PaddedColumns };
            Run(ref p, c, ldc, epilogue);
            GC.KeepAlive(b);
        }
    }

    private void CheckPacked(SgemmPackedA a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.Isa != Isa) throw new ArgumentException($"The operand was packed for {a.Isa}, not {Isa}.", nameof(a));
    }

    private static int RoundUp(int v, int multiple) => (v + multiple - 1) / multiple * multiple;

    /// <summary>Everything about one product but C and the epilogue, with operand spans already pinned.</summary>
    private struct Problem
    {
        public int M, N, K;
        public float Alpha, Beta;
        public float* A, APacked, B, BPacked;
        public nint Lda, Ldb;
        public bool TransA, TransB;
        public int MPad, NPad;
        public ISgemmBPacker? Packer;
    }

    private void Run(ref Problem p, Span<float> c, int ldc, scoped in SgemmEpilogue epilogue)
    {
        if (p.M == 0 || p.N == 0) return;
        bool active = !epilogue.IsIdentity;
        if (active) CheckEpilogue(epilogue, p.M, p.N);
        fixed (float* pc = c)
        fixed (float* bias = epilogue.Bias)
        fixed (float* residual = epilogue.Residual)
        {
            var epi = new SgemmEpilogueArgs
            {
                Bias = epilogue.BiasKind == SgemmBiasKind.None ? null : bias,
                BiasKind = epilogue.BiasKind,
                Residual = epilogue.Residual.IsEmpty ? null : residual,
                ResidualStride = epilogue.ResidualStride,
                Activation = epilogue.Activation,
                Active = active,
            };
            switch (Isa)
            {
                case SgemmIsa.Avx512: Execute<SgemmAvx512Kernel>(ref p, pc, ldc, epi); break;
                case SgemmIsa.Avx2: Execute<SgemmAvx2Kernel>(ref p, pc, ldc, epi); break;
                case SgemmIsa.Vector128: Execute<SgemmVector128Kernel>(ref p, pc, ldc, epi); break;
                default: Execute<SgemmScalarKernel>(ref p, pc, ldc, epi); break;
            }
        }
    }

    private static void CheckEpilogue(scoped in SgemmEpilogue e, int m, int n)
    {
        if (e.BiasKind != SgemmBiasKind.None)
        {
            int need = e.BiasKind == SgemmBiasKind.PerRow ? m : n;
            if (e.Bias.Length < need)
                throw new ArgumentException($"The {e.BiasKind} bias has {e.Bias.Length} elements; {need} are needed.", nameof(e));
        }
        else if (!e.Bias.IsEmpty) throw new ArgumentException("A bias was given with BiasKind None.", nameof(e));
        if (!e.Residual.IsEmpty) MatrixChecks.Extent(e.Residual.Length, m, n, e.ResidualStride, "residual");
        if (e.Activation.Kind < SgemmActivationKind.None || e.Activation.Kind > SgemmActivationKind.Silu)
            throw new ArgumentOutOfRangeException(nameof(e), $"Unknown activation {e.Activation.Kind}.");
    }

    private static void Execute<TK>(ref Problem p, float* c, int ldc, in SgemmEpilogueArgs epi) where TK : struct, ISgemmMicroKernel =>
        new SgemmCall<TK>
        {
            M = p.M, N = p.N, K = p.K, Alpha = p.Alpha, Beta = p.Beta, C = c, Ldc = ldc,
            A = p.A, Lda = p.Lda, TransA = p.TransA, APacked = p.APacked, MPad = p.MPad,
            B = p.B, Ldb = p.Ldb, TransB = p.TransB, BPacked = p.BPacked, NPad = p.NPad, Packer = p.Packer,
            Epi = epi,
        }.Execute();
}
