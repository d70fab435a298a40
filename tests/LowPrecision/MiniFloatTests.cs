using NativeInfer.Kernels.Numerics;
using Xunit;

namespace NativeInfer.Tests.LowPrecision;

/// <summary>The float8 and float4 formats: decoding, every-pattern round trips, rounding and the ONNX saturate table.</summary>
public class MiniFloatTests
{
    /// <summary>One format seen through plain delegates, so each test runs over all five.</summary>
    public sealed record Format(string Name, int Codes, Func<byte, float> Decode, Func<double, bool, byte> Encode,
        float Max, byte MaxBits, bool HasInfinity, bool HasNaN, bool NegativeZero)
    {
        public override string ToString() => Name;
    }

    public static readonly Format E4M3FN = new("e4m3fn", 256, b => (float)Float8E4M3FN.FromBits(b),
        (v, s) => Float8E4M3FN.FromDouble(v, s).Bits, 448f, 0x7E, false, true, true);
    public static readonly Format E4M3FNUZ = new("e4m3fnuz", 256, b => (float)Float8E4M3FNUZ.FromBits(b),
        (v, s) => Float8E4M3FNUZ.FromDouble(v, s).Bits, 240f, 0x7F, false, true, false);
    public static readonly Format E5M2 = new("e5m2", 256, b => (float)Float8E5M2.FromBits(b),
        (v, s) => Float8E5M2.FromDouble(v, s).Bits, 57344f, 0x7B, true, true, true);
    public static readonly Format E5M2FNUZ = new("e5m2fnuz", 256, b => (float)Float8E5M2FNUZ.FromBits(b),
        (v, s) => Float8E5M2FNUZ.FromDouble(v, s).Bits, 57344f, 0x7F, false, true, false);
    public static readonly Format E2M1 = new("e2m1", 16, b => (float)Float4E2M1.FromBits(b),
        (v, s) => Float4E2M1.FromDouble(v, s).Bits, 6f, 0x7, false, false, true);

    public static TheoryData<Format> Formats => new() { E4M3FN, E4M3FNUZ, E5M2, E5M2FNUZ, E2M1 };

    [Theory]
    [MemberData(nameof(Formats))]
    public void EveryBitPatternRoundTrips(Format f)
    {
        for (int bits = 0; bits < f.Codes; bits++)
        {
            float v = f.Decode((byte)bits);
            byte back = f.Encode(v, false);
            if (float.IsNaN(v)) Assert.True(float.IsNaN(f.Decode(back)), $"{f}: NaN 0x{bits:X2} came back as 0x{back:X2}");
            else Assert.True(back == bits, $"{f}: 0x{bits:X2} = {v} came back as 0x{back:X2}");
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void RoundsToTheNearestValueTiesToEven(Format f)
    {
        // Reference: scan the finite non-negative codes for the nearest; on a tie the even code wins.
        var finite = Enumerable.Range(0, f.Codes / 2).Select(b => (Bits: (byte)b, Value: (double)f.Decode((byte)b)))
            .Where(c => double.IsFinite(c.Value)).ToArray();
        var rng = new Random(1234);
        var samples = finite.Select(c => c.Value)
            .Concat(finite.Zip(finite.Skip(1), (a, b) => (a.Value + b.Value) / 2))      // every tie
            .Concat(Enumerable.Range(0, 2000).Select(_ => rng.NextDouble() * f.Max));
        foreach (double v in samples)
        {
            var best = finite.OrderBy(c => Math.Abs(c.Value - v)).ThenBy(c => c.Bits & 1).First();
            Assert.True(best.Bits == f.Encode(v, true), $"{f}: {v:R} gave 0x{f.Encode(v, true):X2}, nearest is 0x{best.Bits:X2}");
            byte negative = f.Encode(-v, true);
            byte expectedNegative = best.Bits == 0 && !f.NegativeZero ? (byte)0 : (byte)(best.Bits | f.Codes / 2);
            Assert.Equal(expectedNegative, negative);
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void SaturateClampsOutOfRangeToTheLargestFiniteValue(Format f)
    {
        byte sign = (byte)(f.Codes / 2);
        foreach (double big in new[] { double.PositiveInfinity, 1e6, f.Max * 1.5, 1e300 })
        {
            Assert.Equal(f.MaxBits, f.Encode(big, true));
            Assert.Equal((byte)(f.MaxBits | sign), f.Encode(-big, true));
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void WithoutSaturateOutOfRangeBecomesInfinityOrNaN(Format f)
    {
        foreach (double big in new[] { double.PositiveInfinity, 1e6, f.Max * 1.5 })
        {
            float pos = f.Decode(f.Encode(big, false)), neg = f.Decode(f.Encode(-big, false));
            if (f.HasInfinity) { Assert.Equal(float.PositiveInfinity, pos); Assert.Equal(float.NegativeInfinity, neg); }
            else if (f.HasNaN) { Assert.True(float.IsNaN(pos)); Assert.True(float.IsNaN(neg)); }
            else { Assert.Equal(f.Max, pos); Assert.Equal(-f.Max, neg); }
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void ZerosAndNaN(Format f)
    {
        Assert.Equal(0, f.Encode(0.0, true));
        Assert.Equal(f.NegativeZero ? f.Codes / 2 : 0, f.Encode(-0.0, true));
        Assert.Equal(f.NegativeZero ? f.Codes / 2 : 0, f.Encode(-1e-30, false));
        float nan = f.Decode(f.Encode(double.NaN, true));
        if (f.HasNaN) Assert.True(float.IsNaN(nan));
        else Assert.Equal(0f, nan);
    }

    [Theory]
    [InlineData(0x7E, 448f)]
    [InlineData(0x01, 0.001953125f)]     // 2^-9, smallest subnormal
    [InlineData(0x08, 0.015625f)]        // 2^-6, smallest normal
    [InlineData(0x38, 1f)]
    [InlineData(0xB8, -1f)]
    [InlineData(0x2F, 0.46875f)]
    public void E4M3FNValues(int bits, float value) => Assert.Equal(value, (float)Float8E4M3FN.FromBits((byte)bits));

    [Theory]
    [InlineData(0x7F, 240f)]
    [InlineData(0x01, 0.0009765625f)]    // 2^-10
    [InlineData(0x40, 1f)]
    [InlineData(0xC0, -1f)]
    public void E4M3FNUZValues(int bits, float value) => Assert.Equal(value, (float)Float8E4M3FNUZ.FromBits((byte)bits));

    [Theory]
    [InlineData(0x7B, 57344f)]
    [InlineData(0x01, 1.52587890625e-05f)] // 2^-16
    [InlineData(0x3C, 1f)]
    [InlineData(0x7C, float.PositiveInfinity)]
    [InlineData(0xFC, float.NegativeInfinity)]
    public void E5M2Values(int bits, float value) => Assert.Equal(value, (float)Float8E5M2.FromBits((byte)bits));

    [Theory]
    [InlineData(0x7F, 57344f)]
    [InlineData(0x01, 7.62939453125e-06f)] // 2^-17
    [InlineData(0x40, 1f)]
    public void E5M2FNUZValues(int bits, float value) => Assert.Equal(value, (float)Float8E5M2FNUZ.FromBits((byte)bits));

    [Fact]
    public void NaNPatterns()
    {
        for (int b = 0; b < 256; b++)
        {
            Assert.Equal((b & 0x7F) == 0x7F, Float8E4M3FN.FromBits((byte)b).IsNaN);
            Assert.Equal(b == 0x80, Float8E4M3FNUZ.FromBits((byte)b).IsNaN);
            Assert.Equal((b & 0x7F) > 0x7C, Float8E5M2.FromBits((byte)b).IsNaN);
            Assert.Equal(b == 0x80, Float8E5M2FNUZ.FromBits((byte)b).IsNaN);
        }
    }

    [Fact]
    public void Float4E2M1Table()
    {
        float[] magnitudes = [0f, 0.5f, 1f, 1.5f, 2f, 3f, 4f, 6f];
        for (int b = 0; b < 16; b++)
            Assert.Equal(b < 8 ? magnitudes[b] : -magnitudes[b - 8], (float)Float4E2M1.FromBits((byte)b));
        Assert.Equal(0x2, Float4E2M1.FromBits(0x12).Bits);   // high bits ignored
    }

    [Theory]
    [InlineData(464.0, 0x7E)]        // tie between 448 (even) and 480 (out of range): stays 448
    [InlineData(1.0625, 0x38)]       // tie between 1 and 1.125: even mantissa, 1
    [InlineData(1.1875, 0x3A)]       // tie between 1.125 and 1.25: 1.25
    [InlineData(0.0009765625, 0x00)] // 2^-10, tie between 0 and 2^-9: 0
    [InlineData(0.0029296875, 0x02)] // 3·2^-10, tie between 2^-9 and 2^-8: 2^-8
    [InlineData(0.47892547, 0x2F)]
    public void E4M3FNRoundsHalfToEven(double value, int bits) => Assert.Equal(bits, Float8E4M3FN.FromDouble(value, false).Bits);

    [Fact]
    public void ExplicitOperatorsSaturate()
    {
        Assert.Equal(0x7E, ((Float8E4M3FN)1e9f).Bits);
        Assert.Equal(0x7B, ((Float8E5M2)double.PositiveInfinity).Bits);
        Assert.Equal(448.0, (double)(Float8E4M3FN)500.0);
    }
}
