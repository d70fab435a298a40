using System.Runtime.CompilerServices;

namespace NativeInfer.Kernels.Cpu;

/// <summary>An <see cref="SgemmEpilogue"/> with its spans pinned: what the GEMM tasks apply to each finished tile.</summary>
internal unsafe struct SgemmEpilogueArgs
{
    public float* Bias;
    public SgemmBiasKind BiasKind;
    public float* Residual;
    public nint ResidualStride;
    public SgemmActivation Activation;
    public bool Active;

    /// <summary>Applies bias, residual and activation to the mr×nr tile at (row0, col0) of C, which starts at c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public readonly void ApplyTile(float* c, nint ldc, int row0, int col0, int mr, int nr)
    {
        float* colBias = BiasKind == SgemmBiasKind.PerColumn ? Bias + col0 : null;
        for (int r = 0; r < mr; r++)
        {
            int i = row0 + r;
            SgemmActivations.ApplyRow(c + r * ldc, nr, BiasKind == SgemmBiasKind.PerRow ? Bias[i] : 0f, colBias,
                Residual != null ? Residual + i * ResidualStride + col0 : null, Activation);
        }
    }

    /// <summary>Applies only the activation to an mr×nr tile (biases and residual already added).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public readonly void ApplyActivation(float* c, nint ldc, int mr, int nr)
    {
        for (int r = 0; r < mr; r++) SgemmActivations.ApplyRow(c + r * ldc, nr, 0f, null, null, Activation);
    }
}
