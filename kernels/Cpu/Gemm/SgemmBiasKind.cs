namespace NativeInfer.Kernels.Cpu;

/// <summary>How an <see cref="SgemmEpilogue"/> bias vector is indexed.</summary>
public enum SgemmBiasKind
{
    None,
    /// <summary>One value per row of C (length ≥ M): a conv output channel.</summary>
    PerRow,
    /// <summary>One value per column of C (length ≥ N): a Gemm/MatMul output feature.</summary>
    PerColumn,
}
