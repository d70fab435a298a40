using NativeInfer.Kernels.Numerics;

namespace NativeInfer.Tensors;

/// <summary>Facts about <see cref="DataType"/>: CLR element type, byte size, name.</summary>
public static class DataTypes
{
    /// <summary>True for the element types NativeInfer stores and computes with.</summary>
    public static bool IsSupported(DataType t) => ClrTypeOrNull(t) is not null;

    public static Type ClrType(DataType t) =>
        ClrTypeOrNull(t) ?? throw new NotSupportedException($"Element type {t} is not supported by NativeInfer.");

    public static Type? ClrTypeOrNull(DataType t) => t switch
    {
        DataType.Float => typeof(float),
        DataType.Double => typeof(double),
        DataType.Float16 => typeof(Half),
        DataType.BFloat16 => typeof(BFloat16),
        DataType.Int8 => typeof(sbyte),
        DataType.Int16 => typeof(short),
        DataType.Int32 => typeof(int),
        DataType.Int64 => typeof(long),
        DataType.UInt8 => typeof(byte),
        DataType.UInt16 => typeof(ushort),
        DataType.UInt32 => typeof(uint),
        DataType.UInt64 => typeof(ulong),
        DataType.Bool => typeof(bool),
        DataType.String => typeof(string),
        DataType.Float8E4M3FN => typeof(Float8E4M3FN),
        DataType.Float8E4M3FNUZ => typeof(Float8E4M3FNUZ),
        DataType.Float8E5M2 => typeof(Float8E5M2),
        DataType.Float8E5M2FNUZ => typeof(Float8E5M2FNUZ),
        DataType.Float8E8M0 => typeof(Float8E8M0),
        DataType.Float4E2M1 => typeof(Float4E2M1),
        DataType.Int4 => typeof(Int4),
        DataType.UInt4 => typeof(UInt4),
        DataType.Int2 => typeof(Int2),
        DataType.UInt2 => typeof(UInt2),
        _ => null,
    };

    /// <summary>Size of one element in memory, in bytes (strings count as a reference; sub-byte types are unpacked).</summary>
    public static int SizeOf(DataType t) => t switch
    {
        DataType.Float or DataType.Int32 or DataType.UInt32 => 4,
        DataType.Double or DataType.Int64 or DataType.UInt64 => 8,
        DataType.Float16 or DataType.BFloat16 or DataType.Int16 or DataType.UInt16 => 2,
        DataType.Int8 or DataType.UInt8 or DataType.Bool => 1,
        _ when IsLowPrecision(t) => 1,
        DataType.String => IntPtr.Size,
        _ => throw new NotSupportedException($"Element type {t} is not supported by NativeInfer."),
    };

    /// <summary>Float types, the float8/float4/e8m0 storage formats included (those have no arithmetic).</summary>
    public static bool IsFloatingPoint(DataType t) =>
        t is DataType.Float or DataType.Double or DataType.Float16 or DataType.BFloat16
          or DataType.Float8E4M3FN or DataType.Float8E4M3FNUZ or DataType.Float8E5M2 or DataType.Float8E5M2FNUZ
          or DataType.Float8E8M0 or DataType.Float4E2M1;

    /// <summary>Integer types, the 2- and 4-bit ones included.</summary>
    public static bool IsInteger(DataType t) =>
        t is DataType.Int8 or DataType.Int16 or DataType.Int32 or DataType.Int64
          or DataType.UInt8 or DataType.UInt16 or DataType.UInt32 or DataType.UInt64
          or DataType.Int4 or DataType.UInt4 or DataType.Int2 or DataType.UInt2;

    public static bool IsSignedInteger(DataType t) =>
        t is DataType.Int8 or DataType.Int16 or DataType.Int32 or DataType.Int64 or DataType.Int4 or DataType.Int2;

    /// <summary>
    /// The storage-only types narrower than 16 bits: float8 (four kinds), float8e8m0, float4e2m1, [u]int4, [u]int2.
    /// Tensors hold them unpacked, one element per byte; cast them to a wider type to compute.
    /// </summary>
    public static bool IsLowPrecision(DataType t) =>
        t is >= DataType.Float8E4M3FN and <= DataType.Int2;

    /// <summary>Bits per element in ONNX files: 4 for [u]int4 and float4e2m1, 2 for [u]int2, else 8 × size.</summary>
    public static int BitWidth(DataType t) => t switch
    {
        DataType.Int4 or DataType.UInt4 or DataType.Float4E2M1 => 4,
        DataType.Int2 or DataType.UInt2 => 2,
        _ => 8 * SizeOf(t),
    };

    public static string Name(DataType t) => t switch
    {
        DataType.Float => "float32",
        DataType.Double => "float64",
        DataType.Float16 => "float16",
        DataType.BFloat16 => "bfloat16",
        DataType.Int8 => "int8",
        DataType.Int16 => "int16",
        DataType.Int32 => "int32",
        DataType.Int64 => "int64",
        DataType.UInt8 => "uint8",
        DataType.UInt16 => "uint16",
        DataType.UInt32 => "uint32",
        DataType.UInt64 => "uint64",
        DataType.Bool => "bool",
        DataType.String => "string",
        _ => t.ToString().ToLowerInvariant(),
    };

    /// <summary>The <see cref="DataType"/> of CLR type <typeparamref name="T"/>.</summary>
    public static DataType Of<T>() => DataTypeOf<T>.Value;

    private static class DataTypeOf<T>
    {
        public static readonly DataType Value = Resolve();

        private static DataType Resolve()
        {
            foreach (DataType t in Enum.GetValues<DataType>())
                if (ClrTypeOrNull(t) == typeof(T)) return t;
            throw new NotSupportedException($"CLR type {typeof(T)} has no NativeInfer element type.");
        }
    }
}
