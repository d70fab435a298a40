namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// What an SGEMM does to each output tile after the product, while the tile is hot:
/// <c>C = act(alpha·op(A)·op(B) + beta·C + bias + R)</c>. <c>default</c> applies nothing (plain GEMM).
/// The bias is indexed by row or column of this call's C (<see cref="BiasKind"/>); the residual R is an M×N matrix
/// with its own leading dimension <see cref="ResidualStride"/> and must not overlap C (to add into C in place, use
/// beta = 1 instead).
/// </summary>
public readonly ref struct SgemmEpilogue
{
    public ReadOnlySpan<float> Bias { get; init; }
    public SgemmBiasKind BiasKind { get; init; }
    public ReadOnlySpan<float> Residual { get; init; }
    public int ResidualStride { get; init; }
    public SgemmActivation Activation { get; init; }

    /// <summary>True when the epilogue does nothing beyond alpha/beta.</summary>
    public bool IsIdentity => BiasKind == SgemmBiasKind.None && Residual.IsEmpty && Activation.Kind == SgemmActivationKind.None;

    /// <summary>Bias per row of C (conv output channel), then <paramref name="activation"/>.</summary>
    public static SgemmEpilogue RowBias(ReadOnlySpan<float> bias, SgemmActivation activation = default) =>
        new() { Bias = bias, BiasKind = SgemmBiasKind.PerRow, Activation = activation };

    /// <summary>Bias per column of C (Gemm/MatMul output feature), then <paramref name="activation"/>.</summary>
    public static SgemmEpilogue ColumnBias(ReadOnlySpan<float> bias, SgemmActivation activation = default) =>
        new() { Bias = bias, BiasKind = SgemmBiasKind.PerColumn, Activation = activation };

    /// <summary>Only an activation.</summary>
    public static SgemmEpilogue Activate(SgemmActivation activation) => new() { Activation = activation };
}
