namespace NativeInfer.Ops.Transformer;

/// <summary>
/// The weights of one direction of a recurrent op, as a cell sees them: gate rows of W [gates·hidden, input] and
/// R [gates·hidden, hidden], the W and R biases, peepholes, the direction's activations and the clip threshold.
/// </summary>
internal sealed class CellWeights(double[] w, double[] r, double[]? bias, double[]? peepholes, int input, int hidden, int gates, double clip)
{
    private int _direction;

    public int HiddenSize => hidden;
    public RecurrentActivation[] Activations { get; private set; } = [];
    public bool HasPeepholes => peepholes is not null;

    public void Select(int direction, RecurrentActivation[] activations)
    {
        _direction = direction;
        Activations = activations;
    }

    /// <summary>Row <paramref name="row"/> of W times x, plus the W bias.</summary>
    public double Input(int row, ReadOnlySpan<double> x)
    {
        int rows = gates * hidden;
        return AttentionMath.Dot(w.AsSpan((_direction * rows + row) * input, input), x)
            + (bias is null ? 0 : bias[_direction * 2 * rows + row]);
    }

    /// <summary>Row <paramref name="row"/> of R times h, plus the R bias.</summary>
    public double Hidden(int row, ReadOnlySpan<double> h)
    {
        int rows = gates * hidden;
        return AttentionMath.Dot(r.AsSpan((_direction * rows + row) * hidden, hidden), h)
            + (bias is null ? 0 : bias[_direction * 2 * rows + rows + row]);
    }

    /// <summary>Peephole weight k of this direction (0 without peepholes).</summary>
    public double Peephole(int k) => peepholes is null ? 0 : peepholes[_direction * 3 * hidden + k];

    /// <summary>Applies the clip threshold to an activation input.</summary>
    public double Clip(double v) => Math.Clamp(v, -clip, clip);
}
