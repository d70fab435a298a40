using NativeInfer.Kernels.Numerics;
using Xunit;

namespace NativeInfer.Tests.LowPrecision;

/// <summary>[u]int4 and [u]int2: wrap, saturate, bit fields.</summary>
public class SubByteIntegerTests
{
    [Fact]
    public void WrapKeepsTheLowBits()
    {
        Assert.Equal(-7, (int)Int4.Wrap(9));
        Assert.Equal(7, (int)Int4.Wrap(-9));
        Assert.Equal(-1, (int)Int4.Wrap(long.MaxValue));
        Assert.Equal(7, (int)UInt4.Wrap(-9));
        Assert.Equal(15, (int)UInt4.Wrap(-1));
        Assert.Equal(1, (int)Int2.Wrap(-3));
        Assert.Equal(-2, (int)Int2.Wrap(2));
        Assert.Equal(3, (int)UInt2.Wrap(-1));
    }

    [Fact]
    public void EveryValueRoundTripsThroughItsBits()
    {
        for (int v = Int4.MinValue; v <= Int4.MaxValue; v++) Assert.Equal(v, (int)Int4.FromBits(Int4.Wrap(v).Bits));
        for (int v = UInt4.MinValue; v <= UInt4.MaxValue; v++) Assert.Equal(v, (int)UInt4.FromBits(UInt4.Wrap(v).Bits));
        for (int v = Int2.MinValue; v <= Int2.MaxValue; v++) Assert.Equal(v, (int)Int2.FromBits(Int2.Wrap(v).Bits));
        for (int v = UInt2.MinValue; v <= UInt2.MaxValue; v++) Assert.Equal(v, (int)UInt2.FromBits(UInt2.Wrap(v).Bits));
        Assert.Equal(0xF, Int4.Wrap(-1).Bits);
        Assert.Equal(0x2, Int2.Wrap(-2).Bits);
    }

    [Fact]
    public void SaturateClamps()
    {
        Assert.Equal(7, (int)Int4.Saturate(100));
        Assert.Equal(-8, (int)Int4.Saturate(-100));
        Assert.Equal(0, (int)UInt4.Saturate(-3));
        Assert.Equal(1, (int)Int2.Saturate(5));
        Assert.Equal(3, (int)UInt2.Saturate(5));
    }

    [Fact]
    public void FromFloatingPointTruncatesThenWraps()
    {
        Assert.Equal(-2, (int)(Int4)(-2.7));
        Assert.Equal(2, (int)(Int4)2.7f);
        Assert.Equal(0, (int)(Int4)double.NaN);
        Assert.Equal(-8, (int)(Int4)8.0);
        Assert.Equal(0, (int)(UInt4)16.5);
    }
}
