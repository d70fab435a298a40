using NativeInfer.Kernels.Numerics;
using NativeInfer.Onnx.Conformance;
using NativeInfer.Onnx.Import;
using NativeInfer.Tensors;
using NativeInfer.Tensors.LowPrecision;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.LowPrecision;

/// <summary>Whole-tensor casts to and from the low-precision types, and the per-element quantize helpers.</summary>
public class LowPrecisionCastTests
{
    [Fact]
    public void IntegersWrapExactlyFromInt64AndUInt64()
    {
        var src = new Tensor<long>([9, -9, long.MaxValue, 3], [4]);
        Assert.Equal(new double[] { -7, 7, -1, 3 }, LowPrecisionCast.Cast(src, DataType.Int4, true).ToDoubleArray());
        var big = new Tensor<ulong>([ulong.MaxValue, 17], [2]);
        Assert.Equal(new double[] { 15, 1 }, LowPrecisionCast.Cast(big, DataType.UInt4, true).ToDoubleArray());
        Assert.Equal(new double[] { 3, 1 }, LowPrecisionCast.Cast(big, DataType.UInt2, true).ToDoubleArray());
    }

    [Fact]
    public void FloatsTruncateTowardZeroIntoIntegers()
    {
        var src = new Tensor<float>([-2.7f, 2.7f, float.NaN, 9f], [4]);
        Assert.Equal(new double[] { -2, 2, 0, -7 }, LowPrecisionCast.Cast(src, DataType.Int4, true).ToDoubleArray());
    }

    [Fact]
    public void SaturateFlagReachesFloat8Targets()
    {
        var src = new Tensor<Half>([(Half)60000f, (Half)(-1000f), Half.NaN], [3]);
        var sat = LowPrecisionCast.Cast(src, DataType.Float8E4M3FN, saturate: true).ToDoubleArray();
        Assert.Equal(448, sat[0]);
        Assert.Equal(-448, sat[1]);
        Assert.True(double.IsNaN(sat[2]));
        var nosat = LowPrecisionCast.Cast(src, DataType.Float8E4M3FN, saturate: false).ToDoubleArray();
        Assert.True(nosat.All(double.IsNaN));
        var e5m2 = LowPrecisionCast.Cast(src, DataType.Float8E5M2, saturate: false).ToDoubleArray();
        Assert.Equal(57344, e5m2[0]);
        Assert.Equal(-1024, e5m2[1]);
    }

    [Fact]
    public void LowPrecisionToLowPrecisionGoesThroughTheValue()
    {
        var src = new Tensor<Float8E5M2>([Float8E5M2.FromBits(0x7B), Float8E5M2.FromBits(0x3C)], [2]);
        Assert.Equal(new double[] { 448, 1 }, LowPrecisionCast.Cast(src, DataType.Float8E4M3FN, true).ToDoubleArray());
        Assert.True(double.IsNaN(LowPrecisionCast.Cast(src, DataType.Float8E4M3FN, false).GetDouble(0)));
        Assert.Equal(new double[] { 0, 1 }, LowPrecisionCast.Cast(src, DataType.Int4, true).ToDoubleArray()); // 57344 wraps to 0
        var e8 = LowPrecisionCast.Cast(src, DataType.Float8E8M0, true, E8M0RoundMode.Down);
        Assert.Equal(new double[] { 32768, 1 }, e8.ToDoubleArray());
    }

    [Fact]
    public void FromLowPrecisionToWiderTypes()
    {
        var src = new Tensor<Int4>([Int4.Wrap(-8), Int4.Wrap(7)], [2]);
        Assert.Equal(new sbyte[] { -8, 7 }, LowPrecisionCast.Cast(src, DataType.Int8, true).As<sbyte>().ToArray());
        Assert.Equal(new Half[] { (Half)(-8f), (Half)7f }, LowPrecisionCast.Cast(src, DataType.Float16, true).As<Half>().ToArray());
        var e8 = new Tensor<Float8E8M0>([Float8E8M0.FromBits(0)], [1]);
        Assert.Equal(0.0, (double)LowPrecisionCast.Cast(e8, DataType.Float16, true).As<Half>()[0]);  // 2^-127 underflows
        Assert.Equal(new[] { "-8", "7" }, LowPrecisionCast.Cast(src, DataType.String, true).As<string>().ToArray());
    }

    [Fact]
    public void StringsParseIntoLowPrecision()
    {
        var src = new Tensor<string>(["1.5", "-INF", "NaN", "1e6"], [4]);
        var r = LowPrecisionCast.Cast(src, DataType.Float8E5M2, false).ToDoubleArray();
        Assert.Equal(1.5, r[0]);
        Assert.Equal(double.NegativeInfinity, r[1]);
        Assert.True(double.IsNaN(r[2]));
        Assert.Equal(double.PositiveInfinity, r[3]);
    }

    [Fact]
    public void SameTypeReturnsTheInput()
    {
        var t = new Tensor<Int2>([Int2.Wrap(1)], [1]);
        Assert.Same(t, LowPrecisionCast.Cast(t, DataType.Int2, true));
    }

    [Fact]
    public void SetQuantizedRoundsHalfToEvenAndClamps()
    {
        var t = new Tensor<Int4>([5]);
        double[] values = [2.5, 3.5, 100, -100, double.NaN];
        for (int i = 0; i < values.Length; i++) LowPrecisionScalar.SetQuantized(t, i, values[i], saturate: true);
        Assert.Equal(new double[] { 2, 4, 7, -8, 0 }, t.ToDoubleArray());
        var u = new Tensor<UInt2>([2]);
        LowPrecisionScalar.SetQuantized(u, 0, -3, true);
        LowPrecisionScalar.SetQuantized(u, 1, 2.6, true);
        Assert.Equal(new double[] { 0, 3 }, u.ToDoubleArray());
        var b = new Tensor<byte>([1]);
        LowPrecisionScalar.SetQuantized(b, 0, 300, true);
        Assert.Equal(255, b[0]);
        var f = new Tensor<Float8E4M3FN>([1]);
        LowPrecisionScalar.SetQuantized(f, 0, 1000, saturate: false);
        Assert.True(f[0].IsNaN);
        Assert.Equal((-8L, 7L), LowPrecisionScalar.IntegerRange(DataType.Int4));
    }

    [Fact]
    public void TensorSetDoubleFollowsCastDefaults()
    {
        var t = new Tensor<Float8E4M3FN>([1]);
        t.SetDouble(0, 1e9);
        Assert.Equal(448, t.GetDouble(0));
        var i = new Tensor<Int4>([1]);
        i.SetDouble(0, 9);
        Assert.Equal(-7, i.GetDouble(0));
        Assert.Equal(new double[] { -7 }, TensorConvert.Convert(new Tensor<long>([9], [1]), DataType.Int4).ToDoubleArray());
    }

    /// <summary>
    /// The suite's Cast cases, bit for bit: low-precision outputs must match the expected encoding exactly (NaN and
    /// negative-zero patterns included); other outputs by value.
    /// </summary>
    [SkippableFact]
    public void MatchesTheOnnxSuiteCastCasesBitForBit()
    {
        Skip.If(TestPaths.OnnxSuite is null, "ONNX backend suite not found");
        var cases = Directory.GetDirectories(Path.Combine(TestPaths.OnnxSuite!, "node"), "test_cast_*")
            .Where(d => File.Exists(Path.Combine(d, "test_data_set_0", "output_0.pb"))).ToList();
        int checkedCases = 0;
        foreach (var dir in cases)
        {
            var input = OnnxValueIO.ReadTensor(Path.Combine(dir, "test_data_set_0", "input_0.pb"));
            var expected = OnnxValueIO.ReadTensor(Path.Combine(dir, "test_data_set_0", "output_0.pb"));
            if (!LowPrecisionCast.Handles(input.DataType, expected.DataType)) continue;
            bool saturate = !Path.GetFileName(dir).Contains("no_saturate");
            var actual = LowPrecisionCast.Cast(input, expected.DataType, saturate);
            if (DataTypes.IsLowPrecision(actual.DataType))
                Assert.True(SubBytePacking.ElementBytes(expected).SequenceEqual(SubBytePacking.ElementBytes(actual)),
                    $"{Path.GetFileName(dir)}: [{Hex(actual)}], expected [{Hex(expected)}]");
            else
                Assert.Null(ValueComparer.CompareTensors(expected, actual, 0, 0));
            checkedCases++;
        }
        Assert.True(checkedCases >= 40, $"only {checkedCases} low-precision cast cases found");
    }

    private static string Hex(Tensor t) => Convert.ToHexString(SubBytePacking.ElementBytes(t));
}
