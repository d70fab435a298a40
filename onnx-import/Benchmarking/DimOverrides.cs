using System.Globalization;
using NativeInfer.IR;

namespace NativeInfer.Onnx.Benchmarking;

/// <summary>
/// Sizes for a model's symbolic input dimensions, from <c>--dim NAME=VALUE</c> options. A dimension without an override
/// (named or unnamed) is taken as 1.
/// </summary>
public sealed class DimOverrides
{
    /// <summary>Largest value accepted for one dimension (the tensor-size limit still applies to the product).</summary>
    public const int MaxDimValue = 1 << 24;

    private readonly Dictionary<string, int> _values;

    private DimOverrides(Dictionary<string, int> values) => _values = values;

    public static DimOverrides None { get; } = new(new Dictionary<string, int>(StringComparer.Ordinal));

    public IReadOnlyDictionary<string, int> Values => _values;

    /// <summary>Parses <c>NAME=VALUE</c> specs; VALUE a positive integer ≤ <see cref="MaxDimValue"/>; a name at most once.</summary>
    /// <exception cref="BenchmarkSetupException">A spec is malformed or repeats a name.</exception>
    public static DimOverrides Parse(IEnumerable<string> specs)
    {
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            int eq = spec.IndexOf('=');
            if (eq <= 0 || eq == spec.Length - 1)
                throw new BenchmarkSetupException($"--dim expects NAME=VALUE (e.g. --dim batch=4), got '{spec}'.");
            string name = spec[..eq].Trim(), text = spec[(eq + 1)..].Trim();
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v < 1 || v > MaxDimValue)
                throw new BenchmarkSetupException($"--dim {name}: the value must be an integer from 1 to {MaxDimValue}, got '{text}'.");
            if (!values.TryAdd(name, v))
                throw new BenchmarkSetupException($"--dim {name} is given more than once.");
        }
        return new DimOverrides(values);
    }

    /// <summary>Checks that every override names a symbolic dimension of one of <paramref name="feeds"/>.</summary>
    /// <exception cref="BenchmarkSetupException">An override names no symbolic dimension of the model.</exception>
    public void Validate(IEnumerable<ValueInfo> feeds)
    {
        var symbols = feeds.SelectMany(f => f.Type?.Shape ?? []).Where(d => !d.IsKnown && d.Symbol is not null)
            .Select(d => d.Symbol!).ToHashSet(StringComparer.Ordinal);
        foreach (var name in _values.Keys)
            if (!symbols.Contains(name))
                throw new BenchmarkSetupException(symbols.Count == 0
                    ? $"--dim {name}: the model's inputs have no symbolic dimensions."
                    : $"--dim {name}: the model's inputs have no symbolic dimension '{name}'; they have: {string.Join(", ", symbols.Order(StringComparer.Ordinal))}.");
    }

    /// <summary>The concrete size of <paramref name="d"/>: its value when known, else the override for its symbol, else 1.</summary>
    public int Resolve(Dim d)
    {
        if (d.IsKnown)
            return d.Value <= int.MaxValue ? (int)d.Value : throw new BenchmarkSetupException($"dimension {d.Value} is too large.");
        return d.Symbol is not null && _values.TryGetValue(d.Symbol, out int v) ? v : 1;
    }
}
