using NativeInfer.Tensors;

namespace NativeInfer.Onnx.Conformance;

/// <summary>
/// Compares an actual value with the expected one. Floating point: |a − e| ≤ atol + rtol·|e|, NaN equals NaN,
/// infinities must match exactly; other element types must be equal.
/// </summary>
public static class ValueComparer
{
    public const double DefaultAtol = 1e-7;
    public const double DefaultRtol = 1e-3;

    /// <summary>Null when equal within tolerance, else a short description of the first difference.</summary>
    public static string? Compare(Value? expected, Value? actual, double atol = DefaultAtol, double rtol = DefaultRtol)
    {
        switch (expected, actual)
        {
            case (null, null): return null;
            case (Tensor e, Tensor a): return CompareTensors(e, a, atol, rtol);
            case (SequenceValue e, SequenceValue a):
                if (e.Items.Count != a.Items.Count) return $"sequence length {a.Items.Count}, expected {e.Items.Count}";
                for (int i = 0; i < e.Items.Count; i++)
                    if (CompareTensors(e.Items[i], a.Items[i], atol, rtol) is { } d) return $"sequence item {i}: {d}";
                return null;
            case (OptionalValue e, OptionalValue a):
                if (e.HasValue != a.HasValue) return $"optional has value {a.HasValue}, expected {e.HasValue}";
                return Compare(e.Inner, a.Inner, atol, rtol);
            case (OptionalValue e, _) when !e.HasValue && actual is null: return null;
            case (OptionalValue e, _): return Compare(e.Inner, actual, atol, rtol);
            default:
                return $"got {actual?.GetType().Name ?? "nothing"}, expected {expected?.GetType().Name ?? "nothing"}";
        }
    }

    public static string? CompareTensors(Tensor e, Tensor a, double atol, double rtol)
    {
        if (e.DataType != a.DataType) return $"element type {DataTypes.Name(a.DataType)}, expected {DataTypes.Name(e.DataType)}";
        if (!e.Shape.AsSpan().SequenceEqual(a.Shape)) return $"shape {ShapeUtil.Format(a.Shape)}, expected {ShapeUtil.Format(e.Shape)}";
        if (e is Tensor<string> es)
        {
            var asn = a.As<string>();
            for (int i = 0; i < e.Length; i++)
                if (!string.Equals(es[i], asn[i], StringComparison.Ordinal)) return $"at {i}: \"{asn[i]}\", expected \"{es[i]}\"";
            return null;
        }
        bool exact = !DataTypes.IsFloatingPoint(e.DataType);
        if (e.DataType is DataType.Int64 or DataType.UInt64)
        {
            var ev = e.ToInt64Array();
            var av = a.ToInt64Array();
            for (int i = 0; i < ev.Length; i++)
                if (ev[i] != av[i]) return $"at {i}: {av[i]}, expected {ev[i]}";
            return null;
        }
        int bad = 0, first = -1;
        double worst = 0;
        for (int i = 0; i < e.Length; i++)
        {
            double x = e.GetDouble(i), y = a.GetDouble(i);
            bool ok = exact ? x == y
                : double.IsNaN(x) ? double.IsNaN(y)
                : double.IsInfinity(x) ? x == y
                : Math.Abs(y - x) <= atol + rtol * Math.Abs(x);
            if (ok) continue;
            if (first < 0) first = i;
            bad++;
            double err = Math.Abs(y - x);
            if (!(err <= worst)) worst = err;
        }
        if (bad == 0) return null;
        return $"{bad} of {e.Length} elements differ; first at {first}: {a.GetDouble(first):G9}, expected {e.GetDouble(first):G9}; max abs error {worst:G4}";
    }
}
