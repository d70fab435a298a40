using NativeInfer.Tensors;

namespace NativeInfer.Ops.Transformer;

/// <summary>
/// ONNX LinearAttention (opset 27): a recurrent linear-attention scan over 3-D [batch, seq, heads·dim] query/key/value.
/// Per kv head the state S [d_k, d_v] (past_state, else zeros) evolves per step t as: S ← S·exp(decay_t) (gated rules;
/// decay per head or per key feature), v_t ← beta_t·(v_t − Sᵀ·(erase_gate_t ⊙ k_t)) (delta rules; beta per head or
/// shared), S ← S + k_t ⊗ v_t; then output_t = scale·Sᵀ·q_t for every query head of the group (q head h reads kv
/// head h / (q_heads / kv_heads)). update_rule is linear, gated, delta or gated_delta (default); scale defaults to
/// 1/√d_k. present_state [batch, kv_heads, d_k, d_v] is the final state.
/// </summary>
internal sealed class LinearAttention : TensorOp
{
    private const string Op = "LinearAttention";
    private readonly int _qHeads;
    private readonly int _kvHeads;
    private readonly double _scale;
    private readonly bool _gated;
    private readonly bool _delta;

    public LinearAttention(OpBuildContext ctx)
    {
        var a = ctx.Attributes;
        _qHeads = checked((int)a.Int("q_num_heads", 0));
        _kvHeads = checked((int)a.Int("kv_num_heads", 0));
        if (_qHeads <= 0 || _kvHeads <= 0 || _qHeads % _kvHeads != 0)
            throw new ArgumentException($"{Op}: q_num_heads ({_qHeads}) must be a positive multiple of kv_num_heads ({_kvHeads}).");
        _scale = a.Float("scale", 0f);
        var rule = a.String("update_rule", "gated_delta");
        (_gated, _delta) = rule switch
        {
            "linear" => (false, false),
            "gated" => (true, false),
            "delta" => (false, true),
            "gated_delta" => (true, true),
            _ => throw new NotSupportedException($"{Op}: update_rule '{rule}' is not linear, gated, delta or gated_delta."),
        };
        if (_gated != ctx.HasInput(4))
            throw new ArgumentException($"{Op}: update_rule '{rule}' {(_gated ? "requires" : "forbids")} the decay input.");
        if (_delta != ctx.HasInput(5))
            throw new ArgumentException($"{Op}: update_rule '{rule}' {(_delta ? "requires" : "forbids")} the beta input.");
        if (!_delta && ctx.HasInput(6))
            throw new ArgumentException($"{Op}: update_rule '{rule}' forbids the erase_gate input.");
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        Tensor query = inputs.Req(0), key = inputs.Req(1), value = inputs.Req(2);
        Tensor? past = inputs.Opt(3), decay = inputs.Opt(4), beta = inputs.Opt(5), erase = inputs.Opt(6);
        foreach (var (t, name) in new[] { (query, "query"), (key, "key"), (value, "value") })
        {
            FloatBuffers.RequireFloat(t, Op, name);
            FloatBuffers.RequireRank(t, 3, Op, name);
        }
        int batch = query.Shape[0], seq = query.Shape[1];
        if (query.Shape[2] % _qHeads != 0 || key.Shape[2] % _kvHeads != 0 || value.Shape[2] % _kvHeads != 0)
            throw new ShapeMismatchException($"{Op}: hidden sizes of {query}, {key}, {value} are not divisible by the head counts.");
        int dk = query.Shape[2] / _qHeads, dv = value.Shape[2] / _kvHeads, hkv = _kvHeads;
        if (key.Shape[2] / _kvHeads != dk || key.Shape[0] != batch || value.Shape[0] != batch || key.Shape[1] != seq || value.Shape[1] != seq)
            throw new ShapeMismatchException($"{Op}: query {query}, key {key} and value {value} do not agree.");
        if (_gated && decay is null || _delta && beta is null)
            throw new ArgumentException($"{Op}: the update rule needs its decay/beta inputs.");

        int decayWidth = decay is null ? 0 : PerStepWidth(decay, batch, seq, [hkv, hkv * dk], "decay");
        int betaWidth = beta is null ? 0 : PerStepWidth(beta, batch, seq, [hkv, 1], "beta");
        if (erase is not null) PerStepWidth(erase, batch, seq, [hkv * dk], "erase_gate");

        var state = FloatBuffers.Allocate((long)batch * hkv * dk * dv);
        if (past is not null)
        {
            if (past.Rank != 4 || past.Shape[0] != batch || past.Shape[1] != hkv || past.Shape[2] != dk || past.Shape[3] != dv)
                throw new ShapeMismatchException($"{Op}: past_state {past} must be [{batch},{hkv},{dk},{dv}].");
            FloatBuffers.RequireFloat(past, Op, "past_state");
            FloatBuffers.Read(past).CopyTo(state, 0);
        }
        double scale = _scale == 0 ? 1.0 / Math.Sqrt(dk) : _scale;

        double[] q = FloatBuffers.Read(query), k = FloatBuffers.Read(key), v = FloatBuffers.Read(value);
        double[]? g = decay is null ? null : FloatBuffers.Read(decay);
        double[]? be = beta is null ? null : FloatBuffers.Read(beta);
        double[]? er = erase is null ? null : FloatBuffers.Read(erase);
        var output = FloatBuffers.Allocate((long)batch * seq * _qHeads * dv);
        int group = _qHeads / hkv;
        var kt = new double[dk];
        var vt = new double[dv];
        for (int b = 0; b < batch; b++)
        for (int t = 0; t < seq; t++)
        {
            int step = b * seq + t;
            for (int h = 0; h < hkv; h++)
            {
                var s = state.AsSpan((b * hkv + h) * dk * dv, dk * dv);
                k.AsSpan((step * hkv + h) * dk, dk).CopyTo(kt);
                v.AsSpan((step * hkv + h) * dv, dv).CopyTo(vt);
                if (g is not null)
                    for (int i = 0; i < dk; i++)
                    {
                        double factor = Math.Exp(decayWidth == hkv ? g[step * hkv + h] : g[(step * hkv + h) * dk + i]);
                        foreach (ref double e in s.Slice(i * dv, dv)) e *= factor;
                    }
                if (be is not null)
                {
                    double bt = be[step * betaWidth + (betaWidth == 1 ? 0 : h)];
                    for (int m = 0; m < dv; m++)
                    {
                        double retrieved = 0;
                        for (int i = 0; i < dk; i++)
                            retrieved += s[i * dv + m] * (er is null ? kt[i] : er[(step * hkv + h) * dk + i] * kt[i]);
                        vt[m] = bt * (vt[m] - retrieved);
                    }
                }
                for (int i = 0; i < dk; i++)
                for (int m = 0; m < dv; m++)
                    s[i * dv + m] += kt[i] * vt[m];
                for (int r = 0; r < group; r++)
                {
                    int qh = h * group + r;
                    var qt = q.AsSpan((step * _qHeads + qh) * dk, dk);
                    var o = output.AsSpan((step * _qHeads + qh) * dv, dv);
                    for (int m = 0; m < dv; m++)
                    {
                        double acc = 0;
                        for (int i = 0; i < dk; i++) acc += qt[i] * s[i * dv + m];
                        o[m] = scale * acc;
                    }
                }
            }
        }
        var stateType = past?.DataType ?? query.DataType;
        return
        [
            FloatBuffers.Write(output, [batch, seq, _qHeads * dv], query.DataType),
            FloatBuffers.Write(state, [batch, hkv, dk, dv], stateType),
        ];
    }

    /// <summary>Checks a [batch, seq, width] per-step input and returns its width, which must be one of <paramref name="allowed"/>.</summary>
    private static int PerStepWidth(Tensor t, int batch, int seq, int[] allowed, string name)
    {
        FloatBuffers.RequireFloat(t, Op, name);
        if (t.Rank != 3 || t.Shape[0] != batch || t.Shape[1] != seq || Array.IndexOf(allowed, t.Shape[2]) < 0)
            throw new ShapeMismatchException($"{Op}: {name} {t} must be [{batch},{seq},w] with w in {{{string.Join(",", allowed)}}}.");
        return t.Shape[2];
    }
}
