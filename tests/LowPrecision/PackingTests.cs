using Google.Protobuf;
using NativeInfer.Errors;
using NativeInfer.Kernels.Numerics;
using NativeInfer.Onnx.Import;
using NativeInfer.Onnx.Proto;
using NativeInfer.Tensors;
using NativeInfer.Tensors.LowPrecision;
using Xunit;

namespace NativeInfer.Tests.LowPrecision;

/// <summary>The file boundary: packing of sub-byte types, raw_data and int32_data, element type facts.</summary>
public class PackingTests
{
    [Fact]
    public void OddLengthInt4PacksLowNibbleFirstAndPadsWithZero()
    {
        var t = new Tensor<Int4>([Int4.Wrap(-1), Int4.Wrap(2), Int4.Wrap(7)], [3]);
        Assert.Equal(new byte[] { 0x2F, 0x07 }, SubBytePacking.Pack(t));
        Assert.Equal(2, SubBytePacking.PackedByteCount(DataType.Int4, 3));
    }

    [Fact]
    public void Int2PacksFourPerByte()
    {
        var t = new Tensor<Int2>([Int2.Wrap(1), Int2.Wrap(-2), Int2.Wrap(-1), Int2.Wrap(0), Int2.Wrap(-1)], [5]);
        Assert.Equal(new byte[] { 0x39, 0x03 }, SubBytePacking.Pack(t));
    }

    [Theory]
    [InlineData(DataType.Int4, 7)]
    [InlineData(DataType.UInt4, 9)]
    [InlineData(DataType.Float4E2M1, 5)]
    [InlineData(DataType.Int2, 7)]
    [InlineData(DataType.UInt2, 6)]
    [InlineData(DataType.Float8E5M2FNUZ, 3)]
    public void RawDataRoundTripsThroughTensorProto(DataType type, int length)
    {
        var t = Tensor.Create(type, [length]);
        var rng = new Random(7);
        for (int i = 0; i < length; i++) LowPrecisionScalar.SetCast(t, i, rng.Next(-20, 20) / 4.0, saturate: true);
        var proto = OnnxTensorReader.Write(t);
        Assert.Equal(SubBytePacking.PackedByteCount(type, length), proto.RawData.Length);
        var back = OnnxTensorReader.Read(TensorProto.Parser.ParseFrom(proto.ToByteArray()), null, 1 << 20);
        Assert.Equal(type, back.DataType);
        Assert.Equal(SubBytePacking.ElementBytes(t).ToArray(), SubBytePacking.ElementBytes(back).ToArray());
    }

    [Fact]
    public void Int32DataHoldsOnePackedByteOrOneFloat8PerEntry()
    {
        var p = new TensorProto { DataType = (int)DataType.Int4, Dims = { 3 }, Int32Data = { 0x8F, 0x05 } };
        var t = OnnxTensorReader.Read(p, null, 1 << 20);
        Assert.Equal(new double[] { -1, -8, 5 }, t.ToDoubleArray());

        var f = new TensorProto { DataType = (int)DataType.Float8E4M3FN, Dims = { 2 }, Int32Data = { 0x38, 0x7E } };
        Assert.Equal(new double[] { 1, 448 }, OnnxTensorReader.Read(f, null, 1 << 20).ToDoubleArray());
    }

    [Fact]
    public void WrongPackedLengthIsReportedAsCorrupt()
    {
        var p = new TensorProto { DataType = (int)DataType.UInt4, Dims = { 3 }, RawData = ByteString.CopyFrom(1, 2, 3) };
        var e = Assert.Throws<ModelLoadException>(() => OnnxTensorReader.Read(p, null, 1 << 20));
        Assert.Equal(ModelLoadError.Corrupt, e.Error);
        var q = new TensorProto { DataType = (int)DataType.Int2, Dims = { 5 }, Int32Data = { 1 } };
        Assert.Throws<ModelLoadException>(() => OnnxTensorReader.Read(q, null, 1 << 20));
    }

    [Theory]
    [InlineData(DataType.Float8E4M3FN, typeof(Float8E4M3FN), 8)]
    [InlineData(DataType.Float8E4M3FNUZ, typeof(Float8E4M3FNUZ), 8)]
    [InlineData(DataType.Float8E5M2, typeof(Float8E5M2), 8)]
    [InlineData(DataType.Float8E5M2FNUZ, typeof(Float8E5M2FNUZ), 8)]
    [InlineData(DataType.Float8E8M0, typeof(Float8E8M0), 8)]
    [InlineData(DataType.Float4E2M1, typeof(Float4E2M1), 4)]
    [InlineData(DataType.Int4, typeof(Int4), 4)]
    [InlineData(DataType.UInt4, typeof(UInt4), 4)]
    [InlineData(DataType.Int2, typeof(Int2), 2)]
    [InlineData(DataType.UInt2, typeof(UInt2), 2)]
    public void ElementTypeFacts(DataType type, Type clr, int bits)
    {
        Assert.True(DataTypes.IsSupported(type));
        Assert.True(DataTypes.IsLowPrecision(type));
        Assert.Equal(clr, DataTypes.ClrType(type));
        Assert.Equal(1, DataTypes.SizeOf(type));
        Assert.Equal(bits, DataTypes.BitWidth(type));
        Assert.Equal(1, System.Runtime.CompilerServices.Unsafe.SizeOf<Int4>());
        var t = Tensor.Create(type, [2, 3]);
        Assert.Equal(type, t.DataType);
        Assert.Equal(6, SubBytePacking.ElementBytes(t).Length);
        Assert.True(DataTypes.IsInteger(type) != DataTypes.IsFloatingPoint(type));
    }
}
