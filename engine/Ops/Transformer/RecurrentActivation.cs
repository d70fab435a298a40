namespace NativeInfer.Ops.Transformer;

/// <summary>
/// One activation function of the ONNX recurrent ops (RNN, GRU, LSTM) with its alpha/beta, parsed from the
/// activations / activation_alpha / activation_beta attributes.
/// </summary>
internal readonly record struct RecurrentActivation(RecurrentActivation.Kind Function, double Alpha, double Beta)
{
    public enum Kind { Relu, Tanh, Sigmoid, Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, HardSigmoid, Elu, Softsign, Softplus }

    /// <summary>
    /// Builds the activation list: names are matched case-insensitively; each function that takes an alpha (beta)
    /// consumes the next listed value in order, falling back to the ONNX operator's default.
    /// </summary>
    public static RecurrentActivation[] Parse(string op, string[] names, float[]? alphas, float[]? betas)
    {
        var r = new RecurrentActivation[names.Length];
        int ai = 0, bi = 0;
        for (int i = 0; i < names.Length; i++)
        {
            if (names[i].Length == 0 || !char.IsLetter(names[i][0]) || !Enum.TryParse(names[i], ignoreCase: true, out Kind kind))
                throw new NotSupportedException($"{op}: activation '{names[i]}' is not supported.");
            (bool usesAlpha, double alpha, bool usesBeta, double beta) = kind switch
            {
                Kind.Affine => (true, 1.0, true, 0.0),
                Kind.LeakyRelu => (true, 0.01, false, 0.0),
                Kind.ThresholdedRelu => (true, 1.0, false, 0.0),
                Kind.ScaledTanh => (true, 1.0, true, 1.0),
                Kind.HardSigmoid => (true, 0.2, true, 0.5),
                Kind.Elu => (true, 1.0, false, 0.0),
                _ => (false, 0.0, false, 0.0),
            };
            if (usesAlpha && alphas is not null && ai < alphas.Length) alpha = alphas[ai++];
            if (usesBeta && betas is not null && bi < betas.Length) beta = betas[bi++];
            r[i] = new RecurrentActivation(kind, alpha, beta);
        }
        return r;
    }

    public double Apply(double x) => Function switch
    {
        Kind.Sigmoid => AttentionMath.Sigmoid(x),
        Kind.Tanh => Math.Tanh(x),
        Kind.Relu => Math.Max(x, 0),
        Kind.Affine => Alpha * x + Beta,
        Kind.LeakyRelu => x >= 0 ? x : Alpha * x,
        Kind.ThresholdedRelu => x > Alpha ? x : 0,
        Kind.ScaledTanh => Alpha * Math.Tanh(Beta * x),
        Kind.HardSigmoid => Math.Max(0, Math.Min(1, Alpha * x + Beta)),
        Kind.Elu => x >= 0 ? x : Alpha * (Math.Exp(x) - 1),
        Kind.Softsign => x / (1 + Math.Abs(x)),
        _ => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x)),
    };
}
