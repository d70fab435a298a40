using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// ai.onnx.ml LabelEncoder. Opsets 2–4: maps each input element through keys → values (keys_strings / keys_int64s /
/// keys_floats / keys_tensor to values_strings / values_int64s / values_floats / values_tensor); elements without a key
/// get the default (default_tensor, or default_string "_Unused", default_int64 -1, default_float -0.0 by value type).
/// Float keys match NaN to NaN. Opset 1: classes_strings maps strings to their index (default_int64) and int64 indices
/// to strings (default_string).
/// </summary>
internal sealed class LabelEncoderOp : TensorOp
{
    private readonly Dictionary<string, int>? _stringKeys;
    private readonly Dictionary<long, int>? _intKeys;
    private readonly Dictionary<double, int>? _floatKeys;
    private readonly Tensor _values;
    private readonly Tensor _default;
    // Opset 1, integer input: index → classes_strings.
    private readonly Tensor? _reverseValues;
    private readonly Tensor? _reverseDefault;

    public LabelEncoderOp(OpBuildContext ctx)
    {
        var a = ctx.Attributes;
        if (ctx.Opset < 2)
        {
            var classes = a.Strings("classes_strings") ?? [];
            _stringKeys = Index(classes);
            _values = new Tensor<long>(Enumerable.Range(0, classes.Length).Select(i => (long)i).ToArray(), [classes.Length]);
            _default = Tensor<long>.Scalar(a.Int("default_int64", -1));
            _intKeys = Index(Enumerable.Range(0, classes.Length).Select(i => (long)i).ToArray());
            _reverseValues = new Tensor<string>(classes, [classes.Length]);
            _reverseDefault = Tensor<string>.Scalar(a.String("default_string", "_Unused"));
            return;
        }
        var keys = Pick(a, "keys") ?? throw new NotSupportedException("LabelEncoder: no keys_* attribute.");
        _values = Pick(a, "values") ?? throw new NotSupportedException("LabelEncoder: no values_* attribute.");
        if (keys.Length != _values.Length)
            throw new NotSupportedException($"LabelEncoder: {keys.Length} keys but {_values.Length} values.");
        switch (keys)
        {
            case Tensor<string> s: _stringKeys = Index(s.ToArray()); break;
            case var t when DataTypes.IsInteger(t.DataType): _intKeys = Index(t.ToInt64Array()); break;
            case var t when DataTypes.IsFloatingPoint(t.DataType): _floatKeys = Index(MiscTensors.ToDoubles(t)); break;
            default: throw new NotSupportedException($"LabelEncoder: keys of type {DataTypes.Name(keys.DataType)} are not supported.");
        }
        _default = a.Tensor("default_tensor") ?? _values switch
        {
            Tensor<string> => Tensor<string>.Scalar(a.String("default_string", "_Unused")),
            Tensor<long> => Tensor<long>.Scalar(a.Int("default_int64", -1)),
            Tensor<float> => Tensor<float>.Scalar(a.Float("default_float", -0f)),
            var v when DataTypes.IsInteger(v.DataType) => Filled(v.DataType, -1),
            var v => Filled(v.DataType, -0.0),
        };
        if (_default.Length != 1 || _default.DataType != _values.DataType)
            throw new NotSupportedException("LabelEncoder: default_tensor must hold one value of the values' type.");
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [_reverseValues is null ? MiscTypes.Like(inputs, 0, _values.DataType) : null];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var idx = new int[x.Length];
        Tensor values = _values, def = _default;
        if (x is Tensor<string> s)
        {
            var keys = _stringKeys ?? throw Mismatch(x);
            var xs = s.Span;
            for (int i = 0; i < idx.Length; i++) idx[i] = keys.TryGetValue(xs[i], out int k) ? k : -1;
        }
        else if (DataTypes.IsInteger(x.DataType))
        {
            var keys = _intKeys ?? throw Mismatch(x);
            var xs = x.ToInt64Array();
            for (int i = 0; i < idx.Length; i++) idx[i] = keys.TryGetValue(xs[i], out int k) ? k : -1;
            if (_reverseValues is not null) (values, def) = (_reverseValues, _reverseDefault!);
        }
        else if (DataTypes.IsFloatingPoint(x.DataType))
        {
            var keys = _floatKeys ?? throw Mismatch(x);
            for (int i = 0; i < idx.Length; i++) idx[i] = keys.TryGetValue(x.GetDouble(i), out int k) ? k : -1;
        }
        else throw Mismatch(x);
        return [Gather(values, def, idx, (int[])x.Shape.Clone())];
    }

    private Exception Mismatch(Tensor x) =>
        new InvalidOperationException($"LabelEncoder: input type {DataTypes.Name(x.DataType)} does not match the key type.");

    /// <summary>The one present attribute among {prefix}_strings, _int64s, _floats, _tensor, as a 1-D tensor.</summary>
    private static Tensor? Pick(Attributes a, string prefix)
    {
        var present = new List<Tensor>();
        if (a.Strings(prefix + "_strings") is { } s) present.Add(new Tensor<string>(s, [s.Length]));
        if (a.Ints(prefix + "_int64s") is { } l) present.Add(new Tensor<long>(l, [l.Length]));
        if (a.Floats(prefix + "_floats") is { } f) present.Add(new Tensor<float>(f, [f.Length]));
        if (a.Tensor(prefix + "_tensor") is { } t) present.Add(t.Reshape([t.Length]));
        if (present.Count > 1) throw new NotSupportedException($"LabelEncoder: more than one {prefix}_* attribute is set.");
        return present.Count == 1 ? present[0] : null;
    }

    private static Dictionary<T, int> Index<T>(T[] keys) where T : notnull
    {
        var d = new Dictionary<T, int>(keys.Length);
        for (int i = 0; i < keys.Length; i++) d.TryAdd(keys[i], i);
        return d;
    }

    private static Tensor Filled(DataType type, double v)
    {
        var t = Tensor.Create(type, [1]);
        t.SetDouble(0, v);
        return t;
    }

    private static Tensor Gather(Tensor values, Tensor def, int[] idx, int[] shape) => values switch
    {
        Tensor<string> v => Gather(v, (Tensor<string>)def, idx, shape),
        Tensor<long> v => Gather(v, (Tensor<long>)def, idx, shape),
        Tensor<int> v => Gather(v, (Tensor<int>)def, idx, shape),
        Tensor<short> v => Gather(v, (Tensor<short>)def, idx, shape),
        Tensor<float> v => Gather(v, (Tensor<float>)def, idx, shape),
        Tensor<double> v => Gather(v, (Tensor<double>)def, idx, shape),
        _ => throw new NotSupportedException($"LabelEncoder: values of type {DataTypes.Name(values.DataType)} are not supported."),
    };

    private static Tensor<T> Gather<T>(Tensor<T> values, Tensor<T> def, int[] idx, int[] shape)
    {
        var r = new Tensor<T>(shape);
        var rs = r.Span;
        var vs = values.Span;
        T d = def[0];
        for (int i = 0; i < idx.Length; i++) rs[i] = idx[i] >= 0 ? vs[idx[i]] : d;
        return r;
    }
}
