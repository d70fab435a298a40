namespace NativeInfer.Kernels.Cpu.Elementwise;

/// <summary>
/// The instructions of a <see cref="FusedProgram"/>. The numbers are part of the <c>ai.nativeinfer:FusedElementwise</c>
/// encoding written to ONNX files: never renumber, only add. Each instruction reads its value operands first, then
/// its parameters (which must be immediates); <see cref="FusedOps.Operands"/> and <see cref="FusedOps.Parameters"/>
/// give the counts. Every instruction follows the float32 fast path of the ONNX op it stands for.
/// </summary>
public enum FusedOpCode
{
    /// <summary>a + b.</summary>
    Add = 1,
    /// <summary>a - b.</summary>
    Sub = 2,
    /// <summary>a * b.</summary>
    Mul = 3,
    /// <summary>a / b.</summary>
    Div = 4,
    /// <summary>IEEE maximum (NaN propagates).</summary>
    Max = 5,
    /// <summary>IEEE minimum (NaN propagates).</summary>
    Min = 6,
    /// <summary>a where a's sign bit is clear, else a * slope b.</summary>
    PRelu = 7,
    /// <summary>a * b + c, fused where the hardware has FMA (as inference BatchNormalization's kernel).</summary>
    Affine = 8,

    Relu = 20,
    /// <summary>LeakyRelu(a; alpha).</summary>
    LeakyRelu = 21,
    /// <summary>Elu(a; alpha).</summary>
    Elu = 22,
    /// <summary>Selu(a; alpha, gamma).</summary>
    Selu = 23,
    Sigmoid = 24,
    /// <summary>HardSigmoid(a; alpha, beta).</summary>
    HardSigmoid = 25,
    HardSwish = 26,
    Tanh = 27,
    Exp = 28,
    Log = 29,
    Abs = 30,
    Neg = 31,
    Sqrt = 32,
    Reciprocal = 33,
    Floor = 34,
    Ceil = 35,
    Erf = 36,
    Softplus = 37,
    /// <summary>Clip(a; min, max).</summary>
    Clip = 38,
    /// <summary>Exact GELU (erf form).</summary>
    Gelu = 39,
    /// <summary>GELU, tanh approximation.</summary>
    GeluTanh = 40,
    Mish = 41,
    /// <summary>a ^ p for a constant p in { 0.5, 2, 3, -1 } (<see cref="FusedOps.IsSupportedExponent"/>).</summary>
    Pow = 42,
}

/// <summary>Static facts about <see cref="FusedOpCode"/>s.</summary>
public static class FusedOps
{
    /// <summary>How many value operands the instruction reads (1..3), or 0 for an unknown opcode.</summary>
    public static int Operands(FusedOpCode op) => op switch
    {
        FusedOpCode.Affine => 3,
        >= FusedOpCode.Add and <= FusedOpCode.PRelu => 2,
        >= FusedOpCode.Relu and <= FusedOpCode.Pow => 1,
        _ => 0,
    };

    /// <summary>How many immediate parameters follow the value operands.</summary>
    public static int Parameters(FusedOpCode op) => op switch
    {
        FusedOpCode.LeakyRelu or FusedOpCode.Elu or FusedOpCode.Pow => 1,
        FusedOpCode.Selu or FusedOpCode.HardSigmoid or FusedOpCode.Clip => 2,
        _ => 0,
    };

    /// <summary>True for the exponents <see cref="FusedOpCode.Pow"/> evaluates (others stay an unfused Pow).</summary>
    public static bool IsSupportedExponent(float p) => p is 0.5f or 2f or 3f or -1f;

    /// <summary>The lower-case name used in expressions.</summary>
    public static string Name(FusedOpCode op) => op switch
    {
        FusedOpCode.GeluTanh => "gelu_tanh",
        FusedOpCode.HardSigmoid => "hard_sigmoid",
        FusedOpCode.HardSwish => "hard_swish",
        FusedOpCode.LeakyRelu => "leaky_relu",
        _ => op.ToString().ToLowerInvariant(),
    };
}
