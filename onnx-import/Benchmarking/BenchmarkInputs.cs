using System.Globalization;
using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Onnx.Benchmarking;

/// <summary>
/// Seeded random inputs for a model's feed inputs (its graph inputs that are not initializers), the same for every
/// engine and every run of a given seed: shapes from the model with symbolic/unknown dimensions resolved by
/// <see cref="DimOverrides"/> (else 1); floating-point values uniform in [0, 1); integers uniform in 0..9 (small and
/// non-negative, so index-like inputs stay in range of most tables); bools fair coin flips; strings decimal digits.
/// </summary>
public static class BenchmarkInputs
{
    public const int DefaultSeed = 1234;

    /// <summary>The resolved shape of one feed.</summary>
    /// <exception cref="BenchmarkSetupException">The input is not a tensor or its shape is too large.</exception>
    public static int[] ShapeOf(ValueInfo feed, DimOverrides dims, long maxTensorBytes = TensorLimits.DefaultMaxTensorBytes)
    {
        if (feed.Type is not { Kind: ValueKind.Tensor } type)
            throw new BenchmarkSetupException($"input '{feed.Name}' is a {feed.Type?.Kind.ToString().ToLowerInvariant() ?? "value of unknown type"}; benchmarks feed tensors only.");
        var shape = (type.Shape ?? []).Select(dims.Resolve).ToArray();
        long elements = 1;
        foreach (int d in shape)
        {
            elements *= d;
            if (elements > int.MaxValue)
                throw new BenchmarkSetupException($"input '{feed.Name}' of shape [{string.Join(",", shape)}] has more than {int.MaxValue} elements.");
        }
        long bytes = elements * Math.Max(1, DataTypes.IsSupported(type.ElementType) ? DataTypes.SizeOf(type.ElementType) : 1);
        if (bytes > maxTensorBytes)
            throw new BenchmarkSetupException($"input '{feed.Name}' of shape [{string.Join(",", shape)}] would take {bytes} bytes, over the {maxTensorBytes}-byte tensor limit.");
        return shape;
    }

    /// <summary>One tensor per feed, in feed order, filled from a generator seeded with <paramref name="seed"/>.</summary>
    /// <exception cref="BenchmarkSetupException">An input cannot be fed (not a tensor, unsupported type, too large).</exception>
    public static Dictionary<string, Value> Create(IEnumerable<ValueInfo> feeds, DimOverrides dims, int seed = DefaultSeed,
                                                   long maxTensorBytes = TensorLimits.DefaultMaxTensorBytes) =>
        Create(Specs(feeds, dims, maxTensorBytes), seed);

    /// <summary>The name, element type and resolved shape of every feed, in feed order.</summary>
    /// <exception cref="BenchmarkSetupException">An input cannot be fed (not a tensor, unsupported type, too large).</exception>
    public static List<BenchmarkInputSpec> Specs(IEnumerable<ValueInfo> feeds, DimOverrides dims, long maxTensorBytes = TensorLimits.DefaultMaxTensorBytes)
    {
        var specs = new List<BenchmarkInputSpec>();
        foreach (var feed in feeds)
        {
            var shape = ShapeOf(feed, dims, maxTensorBytes);
            var type = feed.Type!.ElementType;
            if (!DataTypes.IsSupported(type))
                throw new BenchmarkSetupException($"input '{feed.Name}' has element type {type}, which benchmarks cannot generate.");
            specs.Add(new BenchmarkInputSpec(feed.Name, type, shape));
        }
        return specs;
    }

    /// <summary>Tensors for <paramref name="specs"/>, in order, from one generator seeded with <paramref name="seed"/>:
    /// the same specs and seed give the same values in any process.</summary>
    public static Dictionary<string, Value> Create(IEnumerable<BenchmarkInputSpec> specs, int seed = DefaultSeed)
    {
        var rng = new Random(seed);
        var inputs = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var spec in specs)
            inputs[spec.Name] = Fill(Tensor.Create(spec.Type, spec.Shape), rng);
        return inputs;
    }

    private static Tensor Fill(Tensor t, Random rng)
    {
        switch (t)
        {
            case Tensor<float> f:
                foreach (ref float x in f.Span) x = rng.NextSingle();
                break;
            case Tensor<bool> b:
                foreach (ref bool x in b.Span) x = rng.Next(2) == 1;
                break;
            case Tensor<string> s:
                foreach (ref string x in s.Span) x = rng.Next(1000).ToString(CultureInfo.InvariantCulture);
                break;
            default:
                bool floating = DataTypes.IsFloatingPoint(t.DataType);
                for (int i = 0; i < t.Length; i++) t.SetDouble(i, floating ? rng.NextDouble() : rng.Next(10));
                break;
        }
        return t;
    }
}
