namespace NativeInfer.Kernels.Cpu;

/// <summary>The activation an <see cref="SgemmEpilogue"/> applies last, elementwise.</summary>
public enum SgemmActivationKind
{
    /// <summary>y = x.</summary>
    None,
    /// <summary>y = max(x, 0).</summary>
    Relu,
    /// <summary>y = min(max(x, Alpha), Beta) (Alpha = min, Beta = max).</summary>
    Clip,
    /// <summary>y = x ≥ 0 ? x : Alpha·x.</summary>
    LeakyRelu,
    /// <summary>y = max(0, min(1, Alpha·x + Beta)).</summary>
    HardSigmoid,
    /// <summary>y = 1 / (1 + e^−x).</summary>
    Sigmoid,
    /// <summary>y = tanh(x).</summary>
    Tanh,
    /// <summary>y = x/2 · (1 + erf(x/√2)).</summary>
    GeluErf,
    /// <summary>y = x/2 · (1 + tanh(√(2/π)·(x + 0.044715·x³))).</summary>
    GeluTanh,
    /// <summary>y = x / (1 + e^−x) (SiLU, Swish with β = 1).</summary>
    Silu,
}
