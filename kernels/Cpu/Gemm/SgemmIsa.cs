namespace NativeInfer.Kernels.Cpu;

/// <summary>The instruction set an <see cref="SgemmKernel"/> runs on; each has its own micro-kernel and panel shape.</summary>
public enum SgemmIsa
{
    /// <summary>Plain scalar code, 4×4 tiles: the reference the vector kernels are tested against.</summary>
    Scalar,
    /// <summary>Vector128 (SSE/NEON, FMA where the CPU has it), 6×8 tiles: the portable floor.</summary>
    Vector128,
    /// <summary>Vector256 with AVX2 + FMA, 6×16 tiles.</summary>
    Avx2,
    /// <summary>Vector512 with AVX-512F, 12×32 tiles.</summary>
    Avx512,
}
