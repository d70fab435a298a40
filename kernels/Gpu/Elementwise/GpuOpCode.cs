namespace NativeInfer.Kernels.Gpu.Elementwise;

/// <summary>
/// The scalar functions the GPU elementwise kernels, the fused-chain interpreter and the GEMM epilogue evaluate. Values
/// 1..42 are exactly <see cref="NativeInfer.Kernels.Cpu.Elementwise.FusedOpCode"/> (so a fused program runs unchanged);
/// the rest are GPU-only additions. Plain ints in kernels (an enum argument is fine too, but ints keep the PTX simple).
/// </summary>
public static class GpuOpCode
{
    public const int Add = 1, Sub = 2, Mul = 3, Div = 4, Max = 5, Min = 6, PRelu = 7, Affine = 8;
    public const int Relu = 20, LeakyRelu = 21, Elu = 22, Selu = 23, Sigmoid = 24, HardSigmoid = 25, HardSwish = 26,
        Tanh = 27, Exp = 28, Log = 29, Abs = 30, Neg = 31, Sqrt = 32, Reciprocal = 33, Floor = 34, Ceil = 35, Erf = 36,
        Softplus = 37, Clip = 38, Gelu = 39, GeluTanh = 40, Mish = 41, Pow = 42;

    /// <summary>Binary a ^ b for any b (the elementwise Pow op).</summary>
    public const int PowGeneral = 100;
    /// <summary>y = x (also "no activation" in the GEMM epilogue).</summary>
    public const int Identity = 101;
    /// <summary>x · sigmoid(x).</summary>
    public const int Silu = 102;
    public const int Sign = 103;
    public const int Softsign = 104;
    /// <summary>x &gt; alpha ? x : 0.</summary>
    public const int ThresholdedRelu = 105;
    public const int Sin = 106, Cos = 107;
    /// <summary>Round half to even.</summary>
    public const int Round = 108;
    /// <summary>Celu(x; alpha) = max(0, x) + min(0, alpha (e^(x/alpha) − 1)).</summary>
    public const int Celu = 109;
    /// <summary>Swish(x; alpha) = x · sigmoid(alpha · x).</summary>
    public const int Swish = 110;

    /// <summary>True for the codes <see cref="GpuMath.Unary"/> evaluates.</summary>
    public static bool IsUnary(int op) => op is >= Relu and <= Pow or >= Identity and <= Swish;

    /// <summary>True for the codes <see cref="GpuMath.Binary"/> evaluates.</summary>
    public static bool IsBinary(int op) => op is >= Add and <= PRelu or PowGeneral;
}
