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
        _ => null,
    };

    /// <summary>Size of one element in bytes (strings count as a reference).</summary>
    public static int SizeOf(DataType t) => t switch
    {
        DataType.Float or DataType.Int32 or DataType.UInt32 => 4,
        DataType.Double or DataType.Int64 or DataType.UInt64 => 8,
        DataType.Float16 or DataType.BFloat16 or DataType.Int16 or DataType.UInt16 => 2,
        DataType.Int8 or DataType.UInt8 or DataType.Bool => 1,
        DataType.String => IntPtr.Size,
        _ => throw new NotSupportedException($"Element type {t} is not supported by NativeInfer."),
    };

    public static bool IsFloatingPoint(DataType t) =>
        t is DataType.Float or DataType.Double or DataType.Float16 or DataType.BFloat16;

    public static bool IsInteger(DataType t) =>
        t is DataType.Int8 or DataType.Int16 or DataType.Int32 or DataType.Int64
          or DataType.UInt8 or DataType.UInt16 or DataType.UInt32 or DataType.UInt64;

    public static bool IsSignedInteger(DataType t) =>
        t is DataType.Int8 or DataType.Int16 or DataType.Int32 or DataType.Int64;

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
