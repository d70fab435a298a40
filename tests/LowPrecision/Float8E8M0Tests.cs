using NativeInfer.Kernels.Numerics;
using Xunit;

namespace NativeInfer.Tests.LowPrecision;

/// <summary>The exponent-only scale type: values, rounding modes, saturation.</summary>
public class Float8E8M0Tests
{
    [Fact]
    public void EveryBitPatternIsAPowerOfTwoAndRoundTrips()
    {
        for (int b = 0; b < 255; b++)
        {
            double v = Math.ScaleB(1.0, b - 127);
            Assert.Equal(v, (double)Float8E8M0.FromBits((byte)b));
            foreach (var mode in Enum.GetValues<E8M0RoundMode>())
                Assert.Equal(b, Float8E8M0.FromDouble(v, false, mode).Bits);
        }
        Assert.True(Float8E8M0.FromBits(0xFF).IsNaN);
        Assert.True(float.IsNaN((float)Float8E8M0.FromBits(0xFF)));
    }

    [Theory]
    [InlineData(1.1, E8M0RoundMode.Up, 0x80)]
    [InlineData(1.1, E8M0RoundMode.Down, 0x7F)]
    [InlineData(1.1, E8M0RoundMode.Nearest, 0x7F)]
    [InlineData(1.5, E8M0RoundMode.Nearest, 0x80)]      // tie: up
    [InlineData(1.49, E8M0RoundMode.Nearest, 0x7F)]
    [InlineData(1.99, E8M0RoundMode.Down, 0x7F)]
    [InlineData(0.124, E8M0RoundMode.Up, 0x7C)]         // → 0.125
    [InlineData(-4.0, E8M0RoundMode.Up, 0x81)]          // the magnitude
    [InlineData(0.0, E8M0RoundMode.Up, 0x00)]           // no zero: the smallest value 2^-127
    [InlineData(1e-50, E8M0RoundMode.Nearest, 0x00)]
    public void Rounds(double value, E8M0RoundMode mode, int bits) => Assert.Equal(bits, Float8E8M0.FromDouble(value, true, mode).Bits);

    [Fact]
    public void SaturatesAboveTheRange()
    {
        double above = Math.ScaleB(1.5, 127);
        Assert.Equal(0xFE, Float8E8M0.FromDouble(above, true).Bits);
        Assert.Equal(0xFF, Float8E8M0.FromDouble(above, false).Bits);
        Assert.Equal(0xFE, Float8E8M0.FromDouble(above, false, E8M0RoundMode.Down).Bits);
        Assert.Equal(0xFE, Float8E8M0.FromDouble(double.PositiveInfinity, true).Bits);
        Assert.Equal(0xFF, Float8E8M0.FromDouble(double.NegativeInfinity, false).Bits);
        Assert.Equal(0xFF, Float8E8M0.FromDouble(double.NaN, true).Bits);
    }

    [Fact]
    public void ParsesRoundModes()
    {
        Assert.Equal(E8M0RoundMode.Up, Float8E8M0.ParseRoundMode("up"));
        Assert.Equal(E8M0RoundMode.Down, Float8E8M0.ParseRoundMode("down"));
        Assert.Equal(E8M0RoundMode.Nearest, Float8E8M0.ParseRoundMode("nearest"));
        Assert.Throws<NotSupportedException>(() => Float8E8M0.ParseRoundMode("stochastic"));
    }
}
