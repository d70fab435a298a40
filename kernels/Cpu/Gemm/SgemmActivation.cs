namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// An elementwise activation with its parameters (see <see cref="SgemmActivationKind"/> for what Alpha and Beta mean).
/// <c>default</c> is the identity.
/// </summary>
public readonly record struct SgemmActivation(SgemmActivationKind Kind, float Alpha = 0f, float Beta = 0f)
{
    public static SgemmActivation None => default;
    public static SgemmActivation Relu => new(SgemmActivationKind.Relu);
    public static SgemmActivation Clip(float min, float max) => new(SgemmActivationKind.Clip, min, max);
    public static SgemmActivation LeakyRelu(float alpha) => new(SgemmActivationKind.LeakyRelu, alpha);
    public static SgemmActivation HardSigmoid(float alpha, float beta) => new(SgemmActivationKind.HardSigmoid, alpha, beta);
    public static SgemmActivation Sigmoid => new(SgemmActivationKind.Sigmoid);
    public static SgemmActivation Tanh => new(SgemmActivationKind.Tanh);
    /// <summary>Gelu, exact (erf) form or, with <paramref name="tanhApproximation"/>, the tanh form.</summary>
    public static SgemmActivation Gelu(bool tanhApproximation = false) =>
        new(tanhApproximation ? SgemmActivationKind.GeluTanh : SgemmActivationKind.GeluErf);
    public static SgemmActivation Silu => new(SgemmActivationKind.Silu);
}
