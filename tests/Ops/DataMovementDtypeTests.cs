using NativeInfer.Kernels.Numerics;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;
using static NativeInfer.Tests.Support.OpHarness;
using static NativeInfer.Tests.Support.TestTensors;

namespace NativeInfer.Tests.Ops;

/// <summary>
/// Data-movement ops carry every element type through unchanged: the input is filled with distinct values of one
/// dtype, and each output element must equal the input element the op's index mapping (worked out by hand) names.
/// </summary>
public class DataMovementDtypeTests
{
    public static TheoryData<DataType> Types =>
    [
        DataType.Int8, DataType.UInt8, DataType.Int16, DataType.UInt16, DataType.UInt32, DataType.UInt64, DataType.Int64,
        DataType.Bool, DataType.String, DataType.Float16, DataType.BFloat16, DataType.Double,
    ];

    /// <summary>Value number <paramref name="i"/> of a dtype: distinct for numbers and strings, a 3-cycle for bool.</summary>
    private static Array Values(DataType t, int n)
    {
        var idx = Enumerable.Range(0, n);
        return t switch
        {
            DataType.Int8 => idx.Select(i => (sbyte)(i * 37 - 120)).ToArray(),
            DataType.UInt8 => idx.Select(i => (byte)(250 - i * 13)).ToArray(),
            DataType.Int16 => idx.Select(i => (short)(i * 3001 - 32000)).ToArray(),
            DataType.UInt16 => idx.Select(i => (ushort)(65535 - i * 1000)).ToArray(),
            DataType.UInt32 => idx.Select(i => uint.MaxValue - (uint)i * 7).ToArray(),
            DataType.UInt64 => idx.Select(i => ulong.MaxValue - (ulong)i * 3).ToArray(),
            DataType.Int64 => idx.Select(i => long.MinValue + 1 + i).ToArray(),
            DataType.Bool => idx.Select(i => i % 3 == 1).ToArray(),
            DataType.String => idx.Select(i => i % 2 == 0 ? $"s{i}" : $"é{i}✓").ToArray(),
            DataType.Float16 => idx.Select(i => (Half)(i * 0.5 - 2.75)).ToArray(),
            DataType.BFloat16 => idx.Select(i => (BFloat16)(i * 0.25f - 1.5f)).ToArray(),
            DataType.Double => idx.Select(i => 1e300 / (i + 1) - i).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(t)),
        };
    }

    /// <summary>
    /// A tensor of values[from..from+count]. Dispatches on the array's exact type: the CLR lets byte[] pass as sbyte[]
    /// (and ulong[] as long[]), so type patterns would pick the wrong element type.
    /// </summary>
    private static Tensor Make(Array values, int from, int count, int[] shape)
    {
        Tensor Typed<T>() => new Tensor<T>(((T[])values)[from..(from + count)], shape);
        var type = values.GetType().GetElementType()!;
        if (type == typeof(sbyte)) return Typed<sbyte>();
        if (type == typeof(byte)) return Typed<byte>();
        if (type == typeof(short)) return Typed<short>();
        if (type == typeof(ushort)) return Typed<ushort>();
        if (type == typeof(uint)) return Typed<uint>();
        if (type == typeof(ulong)) return Typed<ulong>();
        if (type == typeof(long)) return Typed<long>();
        if (type == typeof(bool)) return Typed<bool>();
        if (type == typeof(string)) return Typed<string>();
        if (type == typeof(Half)) return Typed<Half>();
        if (type == typeof(BFloat16)) return Typed<BFloat16>();
        if (type == typeof(double)) return Typed<double>();
        throw new ArgumentException($"Unexpected array type {type}.");
    }

    /// <summary>x = values 0..5 as [2,3]; y = values 6..11 as [2,3].</summary>
    private static (Array Pool, Tensor X, Tensor Y) Operands(DataType t)
    {
        var pool = Values(t, 12);
        Assert.Equal(t, Make(pool, 0, 1, [1]).DataType);
        return (pool, Make(pool, 0, 6, [2, 3]), Make(pool, 6, 6, [2, 3]));
    }

    /// <summary>Asserts dtype, shape, and that element j equals pool[source[j]] (bitwise for floats, ordinal for strings).</summary>
    private static void AssertPicks(Array pool, int[] source, int[] shape, Value? actual)
    {
        var t = Assert.IsAssignableFrom<Tensor>(actual);
        Assert.Equal(shape, t.Shape);
        var expected = Make(pool, 0, pool.Length, [pool.Length]);
        Assert.Equal(expected.DataType, t.DataType);
        Assert.Equal(source.Length, t.Length);
        for (int j = 0; j < source.Length; j++)
            Assert.True(SameElement(expected, source[j], t, j), $"Element {j}: expected value #{source[j]}.");
    }

    private static bool SameElement(Tensor a, int i, Tensor b, int j) => a switch
    {
        Tensor<string> s => s[i] == b.As<string>()[j],
        Tensor<bool> s => s[i] == b.As<bool>()[j],
        Tensor<Half> h => BitConverter.HalfToUInt16Bits(h[i]) == BitConverter.HalfToUInt16Bits(b.As<Half>()[j]),
        Tensor<BFloat16> h => h[i].Bits == b.As<BFloat16>()[j].Bits,
        Tensor<double> d => BitConverter.DoubleToInt64Bits(d[i]) == BitConverter.DoubleToInt64Bits(b.As<double>()[j]),
        Tensor<ulong> u => u[i] == b.As<ulong>()[j],
        Tensor<long> u => u[i] == b.As<long>()[j],
        _ => a.GetDouble(i) == b.GetDouble(j),
    };


    [Theory, MemberData(nameof(Types))]
    public void Transpose(DataType t)
    {
        var (pool, x, _) = Operands(t);
        AssertPicks(pool, [0, 3, 1, 4, 2, 5], [3, 2], Run1("Transpose", 13, [x]));
    }

    [Theory, MemberData(nameof(Types))]
    public void Concat(DataType t)
    {
        var (pool, x, y) = Operands(t);
        AssertPicks(pool, [0, 1, 2, 6, 7, 8, 3, 4, 5, 9, 10, 11], [2, 6], Run1("Concat", 13, [x, y], Attr.Int("axis", 1)));
        AssertPicks(pool, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [4, 3], Run1("Concat", 13, [x, y], Attr.Int("axis", -2)));
    }

    [Theory, MemberData(nameof(Types))]
    public void Gather(DataType t)
    {
        var (pool, x, _) = Operands(t);
        AssertPicks(pool, [2, 0, 5, 3], [2, 2], Run1("Gather", 13, [x, L(-1, 0)], Attr.Int("axis", 1)));
        AssertPicks(pool, [3, 4, 5], [3], Run1("Gather", 13, [x, Tensor<long>.Scalar(1)]));
    }

    [Theory, MemberData(nameof(Types))]
    public void GatherElementsAndScatterElements(DataType t)
    {
        var (pool, x, y) = Operands(t);
        AssertPicks(pool, [2, 2, 0, 4, 3, 4], [2, 3],
            Run1("GatherElements", 13, [x, new Tensor<long>([2, 2, 0, 1, 0, 1], [2, 3])], Attr.Int("axis", 1)));
        var updates = Make(pool, 6, 2, [2, 1]);
        AssertPicks(pool, [0, 6, 2, 7, 4, 5], [2, 3],
            Run1("ScatterElements", 16, [x, new Tensor<long>([1, 0], [2, 1]), updates], Attr.Int("axis", 1)));
    }

    [Theory, MemberData(nameof(Types))]
    public void Slice(DataType t)
    {
        var (pool, x, _) = Operands(t);
        AssertPicks(pool, [1, 2, 4, 5], [2, 2], Run1("Slice", 13, [x, L(1), L(3), L(1)]));
        AssertPicks(pool, [5, 4, 3], [1, 3], Run1("Slice", 13, [x, L(-1, -1), L(-2, -4), L(0, 1), L(-1, -1)]));
    }

    [Theory, MemberData(nameof(Types))]
    public void ReshapeFlattenSqueezeUnsqueeze(DataType t)
    {
        var (pool, x, _) = Operands(t);
        int[] id = [0, 1, 2, 3, 4, 5];
        AssertPicks(pool, id, [3, 2], Run1("Reshape", 14, [x, L(-1, 2)]));
        AssertPicks(pool, id, [1, 6], Run1("Flatten", 13, [x], Attr.Int("axis", 0)));
        var u = Run1("Unsqueeze", 13, [x, L(1)]);
        AssertPicks(pool, id, [2, 1, 3], u);
        AssertPicks(pool, id, [2, 3], Run1("Squeeze", 13, [u, L(1)]));
        AssertPicks(pool, id, [2, 3], Run1("Identity", 16, [x]));
    }

    [Theory, MemberData(nameof(Types))]
    public void ExpandAndTile(DataType t)
    {
        var (pool, x, _) = Operands(t);
        AssertPicks(pool, [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5], [2, 2, 3], Run1("Expand", 13, [x, L(2, 1, 1)]));
        AssertPicks(pool, [0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5], [2, 6], Run1("Tile", 13, [x, L(1, 2)]));
        var row = Make(pool, 3, 3, [1, 3]);
        AssertPicks(pool, [3, 4, 5, 3, 4, 5], [2, 3], Run1("Expand", 13, [row, L(2, 1)]));
    }

    [Theory, MemberData(nameof(Types))]
    public void Where(DataType t)
    {
        var (pool, x, y) = Operands(t);
        var cond = new Tensor<bool>([true, false, true], [1, 3]);
        AssertPicks(pool, [0, 7, 2, 3, 10, 5], [2, 3], Run1("Where", 16, [cond, x, y]));
    }

    [Theory, MemberData(nameof(Types))]
    public void SplitAndConcatFromPieces(DataType t)
    {
        var (pool, x, _) = Operands(t);
        var parts = Run("Split", 13, [x, L(1, 2)], 2, Attr.Int("axis", 1));
        AssertPicks(pool, [0, 3], [2, 1], parts[0]);
        AssertPicks(pool, [1, 2, 4, 5], [2, 2], parts[1]);
    }

    [Theory, MemberData(nameof(Types))]
    public void DepthToSpaceAndSpaceToDepth(DataType t)
    {
        var pool = Values(t, 8);
        var x = Make(pool, 0, 8, [1, 4, 1, 2]);
        // DCR: channel c = (bh·2 + bw)·1 + 0; y[0,0,h·2+bh, w·2+bw] = x[0, bh·2+bw, h, w].
        var y = Run1("DepthToSpace", 13, [x], Attr.Int("blocksize", 2));
        AssertPicks(pool, [0, 2, 1, 3, 4, 6, 5, 7], [1, 1, 2, 4], y);
        AssertPicks(pool, [0, 1, 2, 3, 4, 5, 6, 7], [1, 4, 1, 2], Run1("SpaceToDepth", 13, [y], Attr.Int("blocksize", 2)));
    }

    [Theory, MemberData(nameof(Types))]
    public void SequenceRoundTrip(DataType t)
    {
        var (pool, x, y) = Operands(t);
        var seq = Run("SequenceConstruct", 11, [x, y])[0];
        var s = Assert.IsType<SequenceValue>(seq);
        Assert.Equal(t, s.ElementType);
        AssertPicks(pool, [6, 7, 8, 9, 10, 11], [2, 3], Run1("SequenceAt", 11, [s, Tensor<long>.Scalar(-1)]));
        AssertPicks(pool, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [2, 2, 3],
            Run1("ConcatFromSequence", 11, [s], Attr.Int("axis", 0), Attr.Int("new_axis", 1)));
    }
}
