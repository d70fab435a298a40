using System.Runtime.CompilerServices;
using NativeInfer.Kernels.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Transformer;

/// <summary>
/// Rounds double intermediates to a storage element type. The ops compute in double but round at the points where
/// the ONNX reference materializes a tensor, so float16 results stay within an ulp of the reference.
/// </summary>
internal readonly struct Precision
{
    public Precision(DataType type)
    {
        if (!DataTypes.IsFloatingPoint(type))
            throw new NotSupportedException($"{DataTypes.Name(type)} is not a floating-point precision.");
        Type = type;
    }

    public DataType Type { get; }

    /// <summary>The precision named by a TensorProto element-type code (softmax_precision style attributes).</summary>
    public static Precision FromCode(long code, string op) =>
        code is (long)DataType.Float or (long)DataType.Double or (long)DataType.Float16 or (long)DataType.BFloat16
            ? new Precision((DataType)code)
            : throw new NotSupportedException($"{op}: precision type code {code} is not float16, bfloat16, float or double.");

    /// <summary>The wider of two precisions (the numpy promotion of two float types).</summary>
    public static Precision Wider(Precision a, Precision b) => Rank(a.Type) >= Rank(b.Type) ? a : b;

    public double Round(double x) => Type switch
    {
        DataType.Float => (float)x,
        DataType.Float16 => (double)(Half)x,
        DataType.BFloat16 => (float)(BFloat16)(float)x,
        _ => x,
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RoundAll(Span<double> values)
    {
        if (Type == DataType.Double) return;
        for (int i = 0; i < values.Length; i++) values[i] = Round(values[i]);
    }

    private static int Rank(DataType t) => t switch
    {
        DataType.Double => 3,
        DataType.Float => 2,
        _ => 1,
    };
}
