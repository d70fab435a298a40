using System.Runtime.InteropServices;
using System.Text;
using Google.Protobuf;
using NativeInfer.Errors;
using NativeInfer.Kernels.Numerics;
using NativeInfer.Onnx.Proto;
using NativeInfer.Tensors;
using NativeInfer.Tensors.LowPrecision;

namespace NativeInfer.Onnx.Import;

/// <summary>
/// Converts ONNX TensorProto to and from <see cref="Tensor"/>: typed fields, raw_data (little-endian) and external
/// data files. Sizes are checked against the limit before anything is allocated. Sub-byte types ([u]int4, float4e2m1,
/// [u]int2) are packed in files (raw_data, and int32_data with one packed byte per entry) and unpacked in memory; float8
/// types take one byte per element in raw_data and one element per int32_data entry.
/// </summary>
internal static class OnnxTensorReader
{
    /// <summary>Decodes a TensorProto. <paramref name="baseDirectory"/> resolves external data (null forbids it).</summary>
    public static Tensor Read(TensorProto p, string? baseDirectory, long maxBytes)
    {
        var type = (DataType)p.DataType;
        if (!DataTypes.IsSupported(type))
            throw new ModelLoadException(ModelLoadError.UnsupportedType,
                $"Tensor '{p.Name}' has element type {type} ({p.DataType}), which NativeInfer does not support.");
        int[] shape;
        try { shape = ShapeUtil.FromInt64(p.Dims.ToArray()); }
        catch (TensorSizeException e) { throw new ModelLoadException(ModelLoadError.SizeLimit, $"Tensor '{p.Name}': {e.Message}", e); }
        int count = shape.Length == 0 ? 1 : ShapeUtil.ElementCount(shape);
        long bytes = (long)count * (type == DataType.String ? 1 : DataTypes.SizeOf(type));
        if (bytes > maxBytes)
            throw new ModelLoadException(ModelLoadError.SizeLimit,
                $"Tensor '{p.Name}' declares {count} elements ({bytes} bytes), over the limit of {maxBytes} bytes.");

        if (p.DataLocation == TensorProto.Types.DataLocation.External)
            return FromBytes(type, shape, count, ReadExternal(p, baseDirectory, FileByteCount(type, count)), p.Name);
        if (p.HasRawData)
            return FromBytes(type, shape, count, p.RawData.Span, p.Name);
        return FromTypedFields(p, type, shape, count);
    }

    private static Tensor FromBytes(DataType type, int[] shape, int count, ReadOnlySpan<byte> raw, string name)
    {
        if (type == DataType.String)
            throw new ModelLoadException(ModelLoadError.Corrupt, $"String tensor '{name}' cannot use raw_data.");
        long needed = FileByteCount(type, count);
        if (raw.Length != needed)
            throw new ModelLoadException(ModelLoadError.Corrupt,
                $"Tensor '{name}' has {raw.Length} bytes of data but its shape {ShapeUtil.Format(shape)} of {DataTypes.Name(type)} needs {needed}.");
        var t = Tensor.Create(type, shape);
        var dst = t.RawBytes();
        if (SubBytePacking.IsPacked(type)) SubBytePacking.Unpack(type, raw, dst);
        else raw.CopyTo(dst);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Big-endian hosts are not supported.");
        if (type == DataType.Bool)
            foreach (ref byte b in dst) b = b != 0 ? (byte)1 : (byte)0;
        return t;
    }

    /// <summary>Bytes <paramref name="count"/> elements take in a file (packed for the sub-byte types).</summary>
    private static long FileByteCount(DataType type, int count) =>
        SubBytePacking.IsPacked(type) ? SubBytePacking.PackedByteCount(type, count) : (long)count * DataTypes.SizeOf(type);


    private static Tensor FromTypedFields(TensorProto p, DataType type, int[] shape, int count)
    {
        int available = type switch
        {
            DataType.Float => p.FloatData.Count,
            DataType.Double => p.DoubleData.Count,
            DataType.Int64 => p.Int64Data.Count,
            DataType.UInt32 or DataType.UInt64 => p.Uint64Data.Count,
            DataType.String => p.StringData.Count,
            _ => p.Int32Data.Count,
        };
        long expected = SubBytePacking.IsPacked(type) ? SubBytePacking.PackedByteCount(type, count) : count;
        if (available != expected)
            throw new ModelLoadException(ModelLoadError.Corrupt,
                $"Tensor '{p.Name}' has {available} values but its shape {ShapeUtil.Format(shape)} of {DataTypes.Name(type)} needs {expected}.");
        if (DataTypes.IsLowPrecision(type)) return FromInt32Bytes(p, type, shape, count);
        var t = Tensor.Create(type, shape);
        switch (t)
        {
            case Tensor<float> x: for (int i = 0; i < count; i++) x[i] = p.FloatData[i]; break;
            case Tensor<double> x: for (int i = 0; i < count; i++) x[i] = p.DoubleData[i]; break;
            case Tensor<long> x: for (int i = 0; i < count; i++) x[i] = p.Int64Data[i]; break;
            case Tensor<ulong> x: for (int i = 0; i < count; i++) x[i] = p.Uint64Data[i]; break;
            case Tensor<uint> x: for (int i = 0; i < count; i++) x[i] = (uint)p.Uint64Data[i]; break;
            case Tensor<int> x: for (int i = 0; i < count; i++) x[i] = p.Int32Data[i]; break;
            case Tensor<short> x: for (int i = 0; i < count; i++) x[i] = (short)p.Int32Data[i]; break;
            case Tensor<ushort> x: for (int i = 0; i < count; i++) x[i] = (ushort)p.Int32Data[i]; break;
            case Tensor<sbyte> x: for (int i = 0; i < count; i++) x[i] = (sbyte)p.Int32Data[i]; break;
            case Tensor<byte> x: for (int i = 0; i < count; i++) x[i] = (byte)p.Int32Data[i]; break;
            case Tensor<bool> x: for (int i = 0; i < count; i++) x[i] = p.Int32Data[i] != 0; break;
            case Tensor<Half> x: for (int i = 0; i < count; i++) x[i] = BitConverter.UInt16BitsToHalf((ushort)p.Int32Data[i]); break;
            case Tensor<BFloat16> x: for (int i = 0; i < count; i++) x[i] = BFloat16.FromBits((ushort)p.Int32Data[i]); break;
            case Tensor<string> x: for (int i = 0; i < count; i++) x[i] = p.StringData[i].ToStringUtf8(); break;
        }
        return t;
    }

    /// <summary>Low-precision int32_data: one byte per entry (an element, or a packed group of sub-byte elements).</summary>
    private static Tensor FromInt32Bytes(TensorProto p, DataType type, int[] shape, int count)
    {
        var bytes = new byte[p.Int32Data.Count];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = unchecked((byte)p.Int32Data[i]);
        return FromBytes(type, shape, count, bytes, p.Name);
    }

    private static byte[] ReadExternal(TensorProto p, string? baseDirectory, long expectedBytes)
    {
        if (baseDirectory is null)
            throw new ModelLoadException(ModelLoadError.ExternalData,
                $"Tensor '{p.Name}' stores its data in an external file, but the model was not loaded from a file path.");
        string? location = null;
        long offset = 0, length = -1;
        foreach (var kv in p.ExternalData)
        {
            switch (kv.Key)
            {
                case "location": location = kv.Value; break;
                case "offset": offset = long.Parse(kv.Value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "length": length = long.Parse(kv.Value, System.Globalization.CultureInfo.InvariantCulture); break;
            }
        }
        if (string.IsNullOrEmpty(location))
            throw new ModelLoadException(ModelLoadError.ExternalData, $"Tensor '{p.Name}' has external data without a location.");
        string root = Path.GetFullPath(baseDirectory);
        string full = Path.GetFullPath(Path.Combine(root, location));
        string rootWithSep = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        if (Path.IsPathRooted(location) || !full.StartsWith(rootWithSep, StringComparison.Ordinal))
            throw new ModelLoadException(ModelLoadError.ExternalData,
                $"Tensor '{p.Name}': external data location '{location}' escapes the model's folder; refused.");
        if (!File.Exists(full))
            throw new ModelLoadException(ModelLoadError.ExternalData, $"Tensor '{p.Name}': external data file '{location}' not found.");
        if (length < 0) length = expectedBytes;
        if (length != expectedBytes)
            throw new ModelLoadException(ModelLoadError.ExternalData,
                $"Tensor '{p.Name}': external data length {length} does not match the {expectedBytes} bytes its shape needs.");
        using var fs = File.OpenRead(full);
        if (offset < 0 || offset + length > fs.Length)
            throw new ModelLoadException(ModelLoadError.ExternalData,
                $"Tensor '{p.Name}': external data range [{offset}, {offset + length}) lies outside '{location}' ({fs.Length} bytes).");
        var buffer = new byte[length];
        fs.Position = offset;
        fs.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>Encodes a tensor as a TensorProto (raw_data for numeric types, packed for sub-byte types; string_data for strings).</summary>
    public static TensorProto Write(Tensor t, string name = "")
    {
        var p = new TensorProto { Name = name, DataType = (int)t.DataType };
        foreach (int d in t.Shape) p.Dims.Add(d);
        if (t is Tensor<string> s)
            foreach (var str in s.Span) p.StringData.Add(ByteString.CopyFromUtf8(str));
        else if (DataTypes.IsLowPrecision(t.DataType))
            p.RawData = ByteString.CopyFrom(SubBytePacking.Pack(t));
        else
            p.RawData = ByteString.CopyFrom(t.RawBytes());
        return p;
    }
}
