using NativeInfer.Kernels.Numerics;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;
using static NativeInfer.Tests.Support.OpHarness;

namespace NativeInfer.Tests.Ops;

/// <summary>
/// Arithmetic on the element types the suite touches lightly: integers wrap like numpy's fixed-width types, 64-bit
/// integers stay exact beyond 2^53 (no detour through double), unsigned values above the signed range compare as
/// unsigned, half-precision types compute and round per element. Expected values are worked out by hand.
/// </summary>
public class ArithmeticDtypeTests
{
    private static Tensor<T> V<T>(params T[] v) => new(v, [v.Length]);

    [Fact]
    public void Int8AddSubMulWrap()
    {
        var a = V<sbyte>(100, -100, 127, 16, -128);
        var b = V<sbyte>(100, -100, 1, 16, -1);
        TensorAssert.Equal(new sbyte[] { -56, 56, -128, 32, 127 }, [5], Run1("Add", 14, [a, b]));
        TensorAssert.Equal(new sbyte[] { 0, 0, 126, 0, -127 }, [5], Run1("Sub", 14, [a, b]));
        TensorAssert.Equal(new sbyte[] { 16, 16, 127, 0, -128 }, [5], Run1("Mul", 14, [a, b]));
    }

    [Fact]
    public void Int8AbsAndNegOfMinimumWrap()
    {
        TensorAssert.Equal(new sbyte[] { -128, 5, 127 }, [3], Run1("Abs", 13, [V<sbyte>(-128, -5, 127)]));
        TensorAssert.Equal(new sbyte[] { -128, 5, -127 }, [3], Run1("Neg", 13, [V<sbyte>(-128, -5, 127)]));
    }

    [Fact]
    public void UInt16Wraps()
    {
        TensorAssert.Equal(new ushort[] { 65535, 0, 1 }, [3], Run1("Sub", 14, [V<ushort>(0, 1, 65535), V<ushort>(1, 1, 65534)]));
        TensorAssert.Equal(new ushort[] { 0, 65535 }, [2], Run1("Add", 14, [V<ushort>(65535, 65534), V<ushort>(1, 1)]));
        TensorAssert.Equal(new ushort[] { 0, 65534 }, [2], Run1("Mul", 14, [V<ushort>(256, 32767), V<ushort>(256, 2)]));
    }

    [Fact]
    public void UInt64StaysExactAboveTwoToThe63()
    {
        ulong top = ulong.MaxValue;
        TensorAssert.Equal(new[] { top - 5, (1UL << 63) + (1UL << 62) + 3 }, [2],
            Run1("Add", 14, [V(top - 10, (1UL << 63) + 3), V(5UL, 1UL << 62)]));
        TensorAssert.Equal(new[] { 1UL << 32, 13835058055282163715UL }, [2],
            Run1("Mul", 14, [V(4294967296UL, (1UL << 62) + 1), V(4294967297UL, 3UL)]));
        TensorAssert.Equal(new[] { 6148914691236517205UL, 1UL }, [2], Run1("Div", 14, [V(top, top), V(3UL, top)]));
        TensorAssert.Equal(new[] { top }, [1], Run1("Sub", 14, [V(0UL), V(1UL)]));
    }

    [Fact]
    public void UInt64ComparesUnsigned()
    {
        var a = V(1UL << 63, 1UL, ulong.MaxValue);
        var b = V(1UL, 1UL << 63, ulong.MaxValue - 1);
        TensorAssert.Equal(new[] { 1UL << 63, 1UL << 63, ulong.MaxValue }, [3], Run1("Max", 13, [a, b]));
        TensorAssert.Equal(new[] { 1UL, 1UL, ulong.MaxValue - 1 }, [3], Run1("Min", 13, [a, b]));
        TensorAssert.Equal(new[] { true, false, true }, [3], Run1("Greater", 13, [a, b]));
        TensorAssert.Equal(new[] { false, false, true }, [3], Run1("Equal", 13, [a, V(1UL, 1UL << 62, ulong.MaxValue)]));
    }

    [Fact]
    public void Int64StaysExactAboveTwoToThe53()
    {
        long big = (1L << 53) + 1;
        TensorAssert.Equal(new[] { big + 2, long.MaxValue }, [2], Run1("Add", 14, [V(big, long.MaxValue - 1), V(2L, 1L)]));
        TensorAssert.Equal(new[] { 9223372030926249001L }, [1], Run1("Mul", 14, [V(3037000499L), V(3037000499L)]));
        TensorAssert.Equal(new[] { long.MinValue }, [1], Run1("Add", 14, [V(long.MaxValue), V(1L)]));
        TensorAssert.Equal(new[] { big }, [1], Run1("Max", 13, [V(big), V(big - 1)]));
        TensorAssert.Equal(new[] { 1L }, [1], Run1("Sub", 14, [V(big), V(big - 1)]));
    }

    [Fact]
    public void IntegerDivTruncatesTowardZero() =>
        TensorAssert.Equal(new[] { 3, -3, -3, 3, 0 }, [5], Run1("Div", 14, [V(7, -7, 7, -7, 1), V(2, 2, -2, -2, 2)]));

    [Fact]
    public void IntegerModTakesDivisorSign()
    {
        var a = V(-7, 7, -7, 7, 6);
        var b = V(3, -3, -3, 3, 3);
        TensorAssert.Equal(new[] { 2, -2, -1, 1, 0 }, [5], Run1("Mod", 13, [a, b]));
        TensorAssert.Equal(new[] { -1, 1, -1, 1, 0 }, [5], Run1("Mod", 13, [a, b], Attr.Int("fmod", 1)));
    }

    [Fact]
    public void Int8Mod() =>
        TensorAssert.Equal(new sbyte[] { 0, 1, -1 }, [3], Run1("Mod", 13, [V<sbyte>(-128, -128, 127), V<sbyte>(-1, 3, -2)]));

    [Fact]
    public void Int32ModOfMinimumByMinusOneIsZero() =>
        TensorAssert.Equal(new[] { 0 }, [1], Run1("Mod", 13, [V(int.MinValue), V(-1)]));

    [Fact]
    public void FloatFmodKeepsDividendSign() =>
        TensorAssert.Equal(new[] { -1f, 1f, -0.5f }, [3], Run1("Mod", 13, [V(-7f, 7f, -5.5f), V(3f, -3f, 2.5f)], Attr.Int("fmod", 1)));

    [Fact]
    public void Float16Arithmetic()
    {
        var a = V((Half)1.5, (Half)65504, (Half)0.1, (Half)(-2));
        var b = V((Half)2.25, (Half)65504, (Half)0.2, (Half)0.5);
        var sum = Run1("Add", 14, [a, b]).As<Half>().ToArray();
        Assert.Equal((Half)3.75, sum[0]);
        Assert.True(Half.IsPositiveInfinity(sum[1]));
        // 0.1 and 0.2 are stored as 0.0999755859375 and 0.199951171875; their exact sum 0.2999267578125 rounds to the half 0.2998046875.
        Assert.Equal((Half)0.2998046875, sum[2]);
        TensorAssert.Equal(new[] { (Half)3.375, Half.PositiveInfinity, (Half)0.019989013671875, (Half)(-1) }, [4], Run1("Mul", 14, [a, b]));
        TensorAssert.Equal(new[] { (Half)(-4) }, [1], Run1("Div", 14, [V((Half)(-2)), V((Half)0.5)]));
    }

    [Fact]
    public void BFloat16Arithmetic()
    {
        static BFloat16 B(float f) => (BFloat16)f;
        var a = V(B(1.5f), B(3f), B(-2f), B(256f));
        var b = V(B(2.25f), B(1.5f), B(0.5f), B(1f));
        static float[] Floats(Tensor t) => t.As<BFloat16>().ToArray().Select(v => (float)v).ToArray();
        Assert.Equal([3.75f, 4.5f, -1.5f, 256f], Floats(Run1("Add", 14, [a, b]))); // 257 is not a bfloat16: rounds to even 256
        Assert.Equal([3.375f, 4.5f, -1f, 256f], Floats(Run1("Mul", 14, [a, b])));
        Assert.Equal([-0.75f, 1.5f, -2.5f, 255f], Floats(Run1("Sub", 14, [a, b])));
        Assert.Equal(DataType.BFloat16, Run1("Relu", 14, [a]).DataType);
        Assert.Equal([1.5f, 3f, 0f, 256f], Floats(Run1("Relu", 14, [a])));
    }

    [Fact]
    public void BoolLogic()
    {
        var a = V(false, false, true, true);
        var b = V(false, true, false, true);
        TensorAssert.Equal(new[] { false, false, false, true }, [4], Run1("And", 7, [a, b]));
        TensorAssert.Equal(new[] { false, true, true, true }, [4], Run1("Or", 7, [a, b]));
        TensorAssert.Equal(new[] { false, true, true, false }, [4], Run1("Xor", 7, [a, b]));
        TensorAssert.Equal(new[] { true, true, false, false }, [4], Run1("Not", 1, [a]));
        TensorAssert.Equal(new[] { true, false, false, true }, [4], Run1("Equal", 13, [a, b]));
    }

    [Fact]
    public void StringEqual() =>
        TensorAssert.Equal(new[] { true, false, false, true }, [4],
            Run1("Equal", 19, [V("a", "b", "é", ""), V("a", "B", "e", "")]));

    [Fact]
    public void BitShiftUInt64AndUInt8()
    {
        TensorAssert.Equal(new[] { 1UL << 63, 0UL }, [2], Run1("BitShift", 11, [V(1UL, 1UL << 63), V(63UL, 1UL)], Attr.Str("direction", "LEFT")));
        TensorAssert.Equal(new[] { 1UL, 0UL }, [2], Run1("BitShift", 11, [V(1UL << 63, 1UL), V(63UL, 1UL)], Attr.Str("direction", "RIGHT")));
        TensorAssert.Equal(new byte[] { 0xF0, 0x80 }, [2], Run1("BitShift", 11, [V<byte>(0xFF, 0xFF), V<byte>(4, 7)], Attr.Str("direction", "LEFT")));
    }

    [Fact]
    public void CastIntegerWrapsAndFloatToBool()
    {
        TensorAssert.Equal(new byte[] { 255, 128, 0 }, [3], Run1("Cast", 13, [V<sbyte>(-1, -128, 0)], Attr.Int("to", (int)DataType.UInt8)));
        TensorAssert.Equal(new[] { false, true, true, true }, [4],
            Run1("Cast", 13, [V(0f, -0.5f, float.NaN, float.PositiveInfinity)], Attr.Int("to", (int)DataType.Bool)));
        TensorAssert.Equal(new[] { 18446744073709551615f }, [1], Run1("Cast", 13, [V(ulong.MaxValue)], Attr.Int("to", (int)DataType.Float)));
    }

    [Fact]
    public void CastRoundsToNearestEvenInHalfTypes()
    {
        // float16 has 10 fraction bits: 1 + 2^-11 is a tie (rounds to 1), 1 + 3·2^-11 rounds up to 1 + 2^-9.
        var h = Run1("Cast", 13, [V(1 + Math.Pow(2, -11), 1 + 3 * Math.Pow(2, -11))], Attr.Int("to", (int)DataType.Float16)).As<Half>();
        Assert.Equal([(Half)1, (Half)(1 + Math.Pow(2, -9))], h.ToArray());
        // bfloat16 has 7 fraction bits: 1 + 2^-8 is a tie (rounds to 1), 1 + 3·2^-8 rounds up to 1 + 2^-6.
        var b = Run1("Cast", 13, [V(1 + MathF.Pow(2, -8), 1 + 3 * MathF.Pow(2, -8))], Attr.Int("to", (int)DataType.BFloat16)).As<BFloat16>();
        Assert.Equal([1f, 1 + MathF.Pow(2, -6)], b.ToArray().Select(v => (float)v).ToArray());
    }

    // ---- Reductions and index ops on 64-bit integers: exact beyond 2^53, unsigned above 2^63

    [Fact]
    public void ReduceSumInt64AndUInt64Exact()
    {
        long p53 = 1L << 53;
        TensorAssert.Equal(new[] { p53 + 2 }, [], Run1("ReduceSum", 13, [V(p53, 1L, 1L)], Attr.Int("keepdims", 0)));
        TensorAssert.Equal(new[] { (1UL << 63) + (1UL << 62) + 1 }, [1], Run1("ReduceSum", 13, [V(1UL << 63, 1UL << 62, 1UL)]));
        TensorAssert.Equal(new[] { p53 + 2 }, [1], Run1("Sum", 13, [V(p53), V(1L), V(1L)]));
    }

    [Fact]
    public void ReduceMaxMinAndArgMaxUInt64()
    {
        var x = V(1UL, (1UL << 63) + 1, 1UL << 63);
        TensorAssert.Equal(new[] { (1UL << 63) + 1 }, [1], Run1("ReduceMax", 13, [x]));
        TensorAssert.Equal(new[] { 1UL }, [1], Run1("ReduceMin", 13, [x]));
        TensorAssert.Equal(new[] { 1L }, [1], Run1("ArgMax", 13, [x]));
        TensorAssert.Equal(new[] { 0L }, [1], Run1("ArgMin", 13, [x]));
    }

    [Fact]
    public void ReduceProdInt32Wraps() =>
        TensorAssert.Equal(new[] { 0 }, [1], Run1("ReduceProd", 13, [V(65536, 65536)]));

    [Fact]
    public void CumSumInt64Exact()
    {
        long p53 = 1L << 53;
        TensorAssert.Equal(new[] { p53, p53 + 1, p53 + 2 }, [3], Run1("CumSum", 14, [V(p53, 1L, 1L), Tensor<long>.Scalar(0)]));
    }

    [Fact]
    public void TopKAndComparisonsInt64BeyondDoublePrecision()
    {
        long p53 = 1L << 53;
        var r = Run("TopK", 11, [V(p53, p53 + 1, p53 - 1), V(1L)], 2);
        TensorAssert.Equal(new[] { p53 + 1 }, [1], r[0]);
        TensorAssert.Equal(new[] { 1L }, [1], r[1]);
        TensorAssert.Equal(new[] { false, true }, [2], Run1("Equal", 13, [V(p53, p53 + 1), V(p53 + 1, p53 + 1)]));
        TensorAssert.Equal(new[] { true, false }, [2], Run1("Greater", 13, [V(p53 + 1, p53), V(p53, p53 + 1)]));
    }

    [Fact]
    public void HalfTypesCompare()
    {
        TensorAssert.Equal(new[] { true, false, false }, [3],
            Run1("Less", 13, [V((Half)1, (Half)2, Half.NaN), V((Half)1.001, (Half)2, (Half)0)]));
        TensorAssert.Equal(new[] { false, true }, [2],
            Run1("Greater", 13, [V((BFloat16)1f, (BFloat16)3f), V((BFloat16)2f, (BFloat16)(-3f))]));
    }
}
