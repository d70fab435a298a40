using System.Runtime.InteropServices;
using NativeInfer.Kernels.Numerics;

namespace NativeInfer.Tensors.LowPrecision;

/// <summary>
/// Byte-level access to low-precision tensors and the ONNX file packing of the sub-byte types: [u]int4 and float4e2m1
/// pack two values per byte, [u]int2 four, the first element in the least significant bits; a partial last byte is
/// padded with zero bits. In memory every low-precision element is one byte: the sign-extended value for the signed
/// integers, the value for the unsigned ones, the encoding for the float formats.
/// </summary>
public static class SubBytePacking
{
    /// <summary>True for the types that ONNX files store packed (element width below 8 bits).</summary>
    public static bool IsPacked(DataType t) => DataTypes.IsLowPrecision(t) && DataTypes.BitWidth(t) < 8;

    /// <summary>Bytes that <paramref name="count"/> elements occupy in an ONNX file.</summary>
    public static long PackedByteCount(DataType t, long count)
    {
        int bits = DataTypes.BitWidth(t);
        return (count * bits + 7) / 8;
    }

    /// <summary>The element storage of a low-precision tensor as bytes (one per element).</summary>
    public static Span<byte> ElementBytes(Tensor t) => t switch
    {
        Tensor<Float8E4M3FN> x => MemoryMarshal.AsBytes(x.Span),
        Tensor<Float8E4M3FNUZ> x => MemoryMarshal.AsBytes(x.Span),
        Tensor<Float8E5M2> x => MemoryMarshal.AsBytes(x.Span),
        Tensor<Float8E5M2FNUZ> x => MemoryMarshal.AsBytes(x.Span),
        Tensor<Float8E8M0> x => MemoryMarshal.AsBytes(x.Span),
        Tensor<Float4E2M1> x => MemoryMarshal.AsBytes(x.Span),
        Tensor<Int4> x => MemoryMarshal.AsBytes(x.Span),
        Tensor<UInt4> x => MemoryMarshal.AsBytes(x.Span),
        Tensor<Int2> x => MemoryMarshal.AsBytes(x.Span),
        Tensor<UInt2> x => MemoryMarshal.AsBytes(x.Span),
        _ => throw new NotSupportedException($"{DataTypes.Name(t.DataType)} is not a low-precision type."),
    };

    /// <summary>Expands packed file data into one byte per element (sign-extending the signed integer types).</summary>
    public static void Unpack(DataType t, ReadOnlySpan<byte> packed, Span<byte> elements)
    {
        int bits = DataTypes.BitWidth(t);
        if (packed.Length != PackedByteCount(t, elements.Length))
            throw new ArgumentException($"{packed.Length} packed bytes do not hold {elements.Length} {DataTypes.Name(t)} values.");
        int perByte = 8 / bits, mask = (1 << bits) - 1, signBit = 1 << (bits - 1);
        bool signed = DataTypes.IsSignedInteger(t);
        for (int i = 0; i < elements.Length; i++)
        {
            int field = (packed[i / perByte] >> (i % perByte * bits)) & mask;
            if (signed && (field & signBit) != 0) field -= 1 << bits;
            elements[i] = unchecked((byte)field);
        }
    }

    /// <summary>Packs one byte per element into file layout; <paramref name="packed"/> is fully overwritten.</summary>
    public static void Pack(DataType t, ReadOnlySpan<byte> elements, Span<byte> packed)
    {
        int bits = DataTypes.BitWidth(t);
        if (packed.Length != PackedByteCount(t, elements.Length))
            throw new ArgumentException($"{packed.Length} packed bytes cannot hold {elements.Length} {DataTypes.Name(t)} values.");
        int perByte = 8 / bits, mask = (1 << bits) - 1;
        packed.Clear();
        for (int i = 0; i < elements.Length; i++)
            packed[i / perByte] |= (byte)((elements[i] & mask) << (i % perByte * bits));
    }

    /// <summary>A new array with the packed file bytes of a low-precision tensor.</summary>
    public static byte[] Pack(Tensor t)
    {
        var elements = ElementBytes(t);
        var packed = new byte[PackedByteCount(t.DataType, elements.Length)];
        if (IsPacked(t.DataType)) Pack(t.DataType, elements, packed);
        else elements.CopyTo(packed);
        return packed;
    }
}
