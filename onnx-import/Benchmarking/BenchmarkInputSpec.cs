using System.Globalization;
using NativeInfer.Tensors;

namespace NativeInfer.Onnx.Benchmarking;

/// <summary>One benchmark input: name, element type and concrete shape. <see cref="ToString"/> and <see cref="Parse"/>
/// round-trip it as <c>TYPECODE:D0xD1x...:NAME</c> (TYPECODE the ONNX element type number; a scalar has an empty shape),
/// so a child process can rebuild the same inputs without loading the model.</summary>
public sealed record BenchmarkInputSpec(string Name, DataType Type, int[] Shape)
{
    public override string ToString() =>
        $"{(int)Type}:{string.Join("x", Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))}:{Name}";

    /// <exception cref="BenchmarkSetupException">Malformed text.</exception>
    public static BenchmarkInputSpec Parse(string text)
    {
        var parts = text.Split(':', 3);
        if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int code)
            || !Enum.IsDefined((DataType)code))
            throw new BenchmarkSetupException($"input spec must be TYPECODE:D0xD1x...:NAME, got '{text}'.");
        var shape = parts[1].Length == 0 ? [] : parts[1].Split('x').Select(d =>
            int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v
                : throw new BenchmarkSetupException($"input spec '{text}': '{d}' is not a dimension.")).ToArray();
        return new BenchmarkInputSpec(parts[2], (DataType)code, shape);
    }
}
