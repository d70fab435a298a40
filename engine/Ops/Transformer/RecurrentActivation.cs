namespace NativeInfer.Ops.Transformer;

/// <summary>
/// One activation function of the ONNX recurrent ops (RNN, GRU, LSTM) with its alpha/beta, parsed from the
/// activations / activation_alpha / activation_beta attributes.
/// </summary>
internal readonly record struct RecurrentActivation(string Name, double Alpha, double Beta)
{
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
            string n = names[i].ToLowerInvariant();
            (bool usesAlpha, double alpha, bool usesBeta, double beta) = n switch
            {
                "relu" or "tanh" or "sigmoid" or "softsign" or "softplus" => (false, 0.0, false, 0.0),
                "affine" => (true, 1.0, true, 0.0),
                "leakyrelu" => (true, 0.01, false, 0.0),
                "thresholdedrelu" => (true, 1.0, false, 0.0),
                "scaledtanh" => (true, 1.0, true, 1.0),
                "hardsigmoid" => (true, 0.2, true, 0.5),
                "elu" => (true, 1.0, false, 0.0),
                _ => throw new NotSupportedException($"{op}: activation '{names[i]}' is not supported."),
            };
            if (usesAlpha && alphas is not null && ai < alphas.Length) alpha = alphas[ai++];
            if (usesBeta && betas is not null && bi < betas.Length) beta = betas[bi++];
            r[i] = new RecurrentActivation(n, alpha, beta);
        }
        return r;
    }

    public double Apply(double x) => Name switch
    {
        "sigmoid" => 1.0 / (1.0 + Math.Exp(-x)),
        "tanh" => Math.Tanh(x),
        "relu" => Math.Max(x, 0),
        "affine" => Alpha * x + Beta,
        "leakyrelu" => x >= 0 ? x : Alpha * x,
        "thresholdedrelu" => x > Alpha ? x : 0,
        "scaledtanh" => Alpha * Math.Tanh(Beta * x),
        "hardsigmoid" => Math.Max(0, Math.Min(1, Alpha * x + Beta)),
        "elu" => x >= 0 ? x : Alpha * (Math.Exp(x) - 1),
        "softsign" => x / (1 + Math.Abs(x)),
        "softplus" => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x)),
        _ => throw new InvalidOperationException(Name),
    };
}
