namespace NativeInfer.Kernels.Gpu.Gemm;

/// <summary>
/// The shape, strides and epilogue of one (batched) GEMM launch:
/// <c>C[b][m,n] = act(Alpha·Σk A[b](m,k)·B[b](k,n) + BiasScale·Bias[b](m,n) + ResidualScale·Residual[b](m,n))</c>, with
/// A(m,k) = A[b·BatchA + m·Am + k·Ak], B(k,n) = B[b·BatchB + k·Bk + n·Bn] (transposes are strides), C row-major
/// contiguous [batch, M, N], the bias and residual read through their own strides (0 along broadcast axes; a per-column
/// bias has BiasM = 0, BiasN = 1). Activation: a unary <see cref="Elementwise.GpuOpCode"/> with parameters ActP0, ActP1
/// (<see cref="Elementwise.GpuOpCode.Identity"/> for none).
/// </summary>
public struct GemmParams
{
    public int M, N, K;
    public int Am, Ak, Bk, Bn;
    public int BatchA, BatchB, BatchC;
    public float Alpha;
    public int HasBias, BiasM, BiasN, BiasBatch;
    public float BiasScale;
    public int HasResidual, ResidualM, ResidualN, ResidualBatch;
    public float ResidualScale;
    public int Activation;
    public float ActP0, ActP1;

    /// <summary>A plain product of row-major A [M,K] and B [K,N] (transposed when asked), no epilogue.</summary>
    public static GemmParams Create(int m, int n, int k, bool transA = false, bool transB = false) => new()
    {
        M = m, N = n, K = k,
        Am = transA ? 1 : k, Ak = transA ? m : 1,
        Bk = transB ? 1 : n, Bn = transB ? k : 1,
        BatchA = m * k, BatchB = k * n, BatchC = m * n,
        Alpha = 1f,
        Activation = Elementwise.GpuOpCode.Identity,
    };
}
