using NativeInfer.Tensors;

namespace NativeInfer.Ops.Transformer;

/// <summary>
/// The shared frame of the ONNX recurrent ops (RNN, GRU, LSTM): attribute parsing (hidden_size, direction, layout,
/// clip, activations), input checks, the per-direction, per-batch time loop honouring sequence_lens (steps past a
/// sequence's length leave zeros in Y and do not change its final state), and output assembly for both layouts.
/// A subclass supplies the cell: how one step turns x_t and the state into the next state.
/// </summary>
internal abstract class RecurrentOp : TensorOp
{
    private readonly int _directions;
    private readonly bool _reverseOnly;
    private readonly bool _batchFirst;

    protected RecurrentOp(OpBuildContext ctx, string name, int gates, string[] defaultActivations)
    {
        var a = ctx.Attributes;
        Name = name;
        Gates = gates;
        HiddenSize = checked((int)a.Int("hidden_size", 0));
        if (HiddenSize <= 0 || (long)HiddenSize * 2 * gates > Array.MaxLength)
            throw new ArgumentException($"{name}: the hidden_size attribute must be positive and of a sane size, got {HiddenSize}.");
        var direction = a.String("direction", "forward");
        (_directions, _reverseOnly) = direction switch
        {
            "forward" => (1, false),
            "reverse" => (1, true),
            "bidirectional" => (2, false),
            _ => throw new NotSupportedException($"{name}: direction '{direction}' is not forward, reverse or bidirectional."),
        };
        long layout = a.Int("layout", 0);
        if (layout is not (0 or 1)) throw new NotSupportedException($"{name}: layout {layout} is not 0 or 1.");
        _batchFirst = layout == 1;
        Clip = a.Has("clip") ? a.Float("clip") : double.PositiveInfinity;
        if (Clip <= 0) throw new ArgumentException($"{name}: clip must be positive.");

        var names = a.Strings("activations") ?? defaultActivations;
        int per = defaultActivations.Length;
        if (names.Length == per && _directions == 2) names = [.. names, .. names];
        if (names.Length != per * _directions)
            throw new ArgumentException($"{name}: expected {per * _directions} activations, got {names.Length}.");
        var acts = RecurrentActivation.Parse(name, names, a.Floats("activation_alpha"), a.Floats("activation_beta"));
        Activations = new RecurrentActivation[_directions][];
        for (int d = 0; d < _directions; d++) Activations[d] = acts[(d * per)..((d + 1) * per)];
    }

    protected string Name { get; }
    protected int Gates { get; }
    protected int HiddenSize { get; }
    protected double Clip { get; }
    protected RecurrentActivation[][] Activations { get; }

    /// <summary>True for LSTM: a cell state (initial_c input 6, Y_c output 2) travels with the hidden state.</summary>
    protected virtual bool HasCellState => false;

    /// <summary>
    /// One step for one batch entry: reads x and the previous state from <paramref name="h"/> (and <paramref name="c"/>),
    /// writes the new state into them. <paramref name="scratch"/> holds Gates·hidden_size doubles.
    /// </summary>
    protected abstract void Step(CellWeights w, ReadOnlySpan<double> x, Span<double> h, Span<double> c, Span<double> scratch);

    /// <summary>Peephole weights [directions, 3·hidden_size] (LSTM input 7) or null.</summary>
    protected virtual double[]? ReadPeepholes(Tensor?[] inputs, int directions) => null;

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        Tensor x = inputs.Req(0), w = inputs.Req(1), r = inputs.Req(2);
        Tensor? bias = inputs.Opt(3), lens = inputs.Opt(4), h0 = inputs.Opt(5), c0 = HasCellState ? inputs.Opt(6) : null;
        FloatBuffers.RequireFloat(x, Name, "X");
        FloatBuffers.RequireRank(x, 3, Name, "X");
        int hs = HiddenSize, dirs = _directions;
        int seq = _batchFirst ? x.Shape[1] : x.Shape[0], batch = _batchFirst ? x.Shape[0] : x.Shape[1], input = x.Shape[2];
        RequireShape(w, "W", dirs, Gates * hs, input);
        RequireShape(r, "R", dirs, Gates * hs, hs);
        if (bias is not null) RequireShape(bias, "B", dirs, 2 * Gates * hs);

        var steps = new int[batch];
        Array.Fill(steps, seq);
        if (lens is not null)
        {
            if (lens.Rank != 1 || lens.Shape[0] != batch || !DataTypes.IsInteger(lens.DataType))
                throw new ShapeMismatchException($"{Name}: sequence_lens must be an integer tensor of shape [{batch}], got {lens}.");
            var l = lens.ToInt64Array();
            for (int b = 0; b < batch; b++)
                steps[b] = l[b] >= 0 && l[b] <= seq ? (int)l[b]
                    : throw new ArgumentOutOfRangeException(nameof(inputs), $"{Name}: sequence length {l[b]} is outside [0, {seq}].");
        }

        var xs = FloatBuffers.Read(x);
        var weights = new CellWeights(FloatBuffers.Read(w), FloatBuffers.Read(r),
            bias is null ? null : FloatBuffers.Read(bias), ReadPeepholes(inputs, dirs), input, hs, Gates, Clip);
        var hState = ReadState(h0, "initial_h", dirs, batch);
        var cState = HasCellState ? ReadState(c0, "initial_c", dirs, batch) : null;
        var y = ctx.OutputRequested(0) ? FloatBuffers.Allocate((long)seq * dirs * batch * hs) : null;
        var scratch = new double[Gates * hs];
        var noCell = Span<double>.Empty;

        for (int d = 0; d < dirs; d++)
        {
            weights.Select(d, Activations[d]);
            bool reverse = _reverseOnly || d == 1;
            for (int b = 0; b < batch; b++)
            {
                var h = hState.AsSpan((d * batch + b) * hs, hs);
                var c = cState is null ? noCell : cState.AsSpan((d * batch + b) * hs, hs);
                for (int n = 0; n < steps[b]; n++)
                {
                    int t = reverse ? steps[b] - 1 - n : n;
                    int xOff = _batchFirst ? (b * seq + t) * input : (t * batch + b) * input;
                    Step(weights, xs.AsSpan(xOff, input), h, c, scratch);
                    if (y is not null) h.CopyTo(y.AsSpan(YOffset(t, d, b, seq, dirs, batch), hs));
                }
            }
        }

        var result = new Tensor?[ctx.OutputCount];
        if (result.Length > 0 && y is not null)
            result[0] = FloatBuffers.Write(y, _batchFirst ? [batch, seq, dirs, hs] : [seq, dirs, batch, hs], x.DataType);
        if (result.Length > 1) result[1] = WriteState(hState, dirs, batch, x.DataType);
        if (result.Length > 2 && cState is not null) result[2] = WriteState(cState, dirs, batch, x.DataType);
        return result;
    }

    private int YOffset(int t, int d, int b, int seq, int dirs, int batch) =>
        (_batchFirst ? ((b * seq + t) * dirs + d) : ((t * dirs + d) * batch + b)) * HiddenSize;

    /// <summary>An initial state as a [directions, batch, hidden] buffer (zeros when absent).</summary>
    private double[] ReadState(Tensor? t, string name, int dirs, int batch)
    {
        if (t is null) return FloatBuffers.Allocate((long)dirs * batch * HiddenSize);
        if (_batchFirst) RequireShape(t, name, batch, dirs, HiddenSize);
        else RequireShape(t, name, dirs, batch, HiddenSize);
        var src = FloatBuffers.Read(t);
        return _batchFirst ? SwapOuter(src, batch, dirs) : src;
    }

    private Tensor WriteState(double[] state, int dirs, int batch, DataType type) => _batchFirst
        ? FloatBuffers.Write(SwapOuter(state, dirs, batch), [batch, dirs, HiddenSize], type)
        : FloatBuffers.Write(state, [dirs, batch, HiddenSize], type);

    /// <summary>[a, b, hidden] → [b, a, hidden].</summary>
    private double[] SwapOuter(double[] src, int a, int b)
    {
        var dst = new double[src.Length];
        for (int i = 0; i < a; i++)
        for (int j = 0; j < b; j++)
            Array.Copy(src, (i * b + j) * HiddenSize, dst, (j * a + i) * HiddenSize, HiddenSize);
        return dst;
    }

    protected void RequireShape(Tensor t, string name, params int[] shape)
    {
        FloatBuffers.RequireFloat(t, Name, name);
        if (!t.Shape.AsSpan().SequenceEqual(shape))
            throw new ShapeMismatchException($"{Name}: input '{name}' must have shape {ShapeUtil.Format(shape)}, got {ShapeUtil.Format(t.Shape)}.");
    }
}
