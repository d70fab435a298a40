using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Kernels.Threading;
using Xunit;

namespace NativeInfer.Tests.Kernels;

/// <summary>
/// The fused elementwise program and its block evaluator: validation of the source form, register allocation, the
/// broadcast descriptors, and evaluation over every tail length and operand kind against a scalar reference.
/// </summary>
public unsafe class FusedEvaluatorTests
{
    private static FusedProgram Program(int inputs, long[] opcodes, long[] operands, params float[] immediates) =>
        FusedProgram.Create(inputs, opcodes, operands, immediates);

    [Fact]
    public void InvalidProgramsAreRejected()
    {
        // Unknown opcode, a forward reference, a parameter that is not an immediate, an unsupported exponent, an
        // immediate out of range, a slot count that does not match, too many inputs.
        Assert.Contains("unknown opcode", Assert.Throws<ArgumentException>(() => Program(1, [999], [0, 0, 0])).Message);
        Assert.Contains("refers to 1", Assert.Throws<ArgumentException>(() => Program(1, [(long)FusedOpCode.Relu], [1, 0, 0])).Message);
        Assert.Contains("must be an immediate", Assert.Throws<ArgumentException>(() => Program(2, [(long)FusedOpCode.LeakyRelu], [0, 1, 0])).Message);
        Assert.Contains("exponent", Assert.Throws<ArgumentException>(() => Program(1, [(long)FusedOpCode.Pow], [0, -1, 0], 1.5f)).Message);
        Assert.Throws<ArgumentException>(() => Program(1, [(long)FusedOpCode.Add], [0, -2, 0], 1f));
        Assert.Throws<ArgumentException>(() => Program(1, [(long)FusedOpCode.Relu], [0, 0]));
        Assert.Throws<ArgumentException>(() => Program(FusedProgram.MaxInputs + 1, [(long)FusedOpCode.Relu], [0, 0, 0]));
        Assert.Throws<ArgumentException>(() => Program(1, [], []));
    }

    [Fact]
    public void ChainReusesOneRegister()
    {
        // x → exp → neg → relu → sigmoid → output: every value dies at its only reader.
        var p = Program(1,
            [(long)FusedOpCode.Exp, (long)FusedOpCode.Neg, (long)FusedOpCode.Relu, (long)FusedOpCode.Sigmoid],
            [0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0]);
        Assert.Equal(1, p.Registers);
        Assert.Equal("sigmoid(relu(-exp(x0)))", p.Format(i => $"x{i}"));
    }

    [Fact]
    public void LiveValuesKeepTheirRegisters()
    {
        // a = x*2, b = exp(x), c = a+b, d = c*a: a is alive across b, so two registers.
        var p = Program(1,
            [(long)FusedOpCode.Mul, (long)FusedOpCode.Exp, (long)FusedOpCode.Add, (long)FusedOpCode.Mul],
            [0, -1, 0, 0, 0, 0, 1, 2, 0, 3, 1, 0], 2f);
        Assert.Equal(2, p.Registers);
        Assert.Equal("t0=x0*2; (t0+exp(x0))*t0", p.Format(i => $"x{i}"));
        var x = new float[] { 0.5f, -1f, 2f, 0f, 3f };
        var y = Evaluate(p, [(x, 1, x.Length)], x.Length);
        for (int i = 0; i < x.Length; i++)
            Assert.Equal((double)(x[i] * 2 + MathF.Exp(x[i])) * (x[i] * 2), y[i], 1e-5 * Math.Max(1, Math.Abs(y[i])));
    }

    [Theory]
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 3, 1, 1 }, 20, 3)]      // per-channel
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 1, 3, 1, 1 }, 20, 3)]
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 2, 3, 1, 1 }, 20, 6)]   // [N,C,1,1]
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 5 }, 1, 5)]             // last axis
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 4, 5 }, 1, 20)]
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 2, 3, 4, 5 }, 1, 120)]  // full
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 1 }, 1, 1)]             // scalar
    [InlineData(new[] { 2, 3, 1, 5 }, new[] { 3, 1, 1 }, 5, 3)]       // size-1 output axes are ignored
    [InlineData(new[] { 2, 1, 4, 5 }, new[] { 2, 1, 1, 1 }, 20, 2)]
    public void DescribesContiguousBroadcasts(int[] output, int[] shape, int inner, int span)
    {
        Assert.True(FusedOperand.TryDescribe(shape, output, out int i, out int s));
        Assert.Equal((inner, span), (i, s));
    }

    [Theory]
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 3, 1, 5 })]   // two separate runs of axes
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 4 })]         // does not broadcast
    [InlineData(new[] { 3, 4 }, new[] { 2, 3, 4 })]         // higher rank than the output
    [InlineData(new[] { 2, 1, 4 }, new[] { 3, 4 })]
    public void RejectsOtherBroadcasts(int[] output, int[] shape) =>
        Assert.False(FusedOperand.TryDescribe(shape, output, out _, out _));

    public static TheoryData<int, int, int> Layouts()
    {
        // (n, inner of the per-row operand, span of the periodic operand): rows from 1 to longer than a block.
        var d = new TheoryData<int, int, int>();
        foreach (int len in new[] { 0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 65 })
            d.Add(len * 6, Math.Max(1, len), 1);
        d.Add(3 * 1500, 1500, 1);        // rows longer than a block
        d.Add(12 * 7 * 3, 3, 3);         // per-row and periodic together ([12,7,3]): rows of 3
        d.Add(5 * 2000, 2000, 1000);
        return d;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void EvaluatesEveryOperandKindAndTail(int n, int inner, int period)
    {
        // y = relu(x * c[row] + v[i % period]) - exp(s) * x, with s a scalar input and 0.25 an immediate inside:
        // every binary form (stream·stream, stream·scalar, scalar·stream) and Affine with mixed sources.
        int rows = inner == 0 ? 0 : Math.Max(1, n / inner);
        var x = Random(n, 1);
        var c = Random(Math.Max(1, Math.Min(rows, 6)), 2);
        int cSpan = c.Length;
        if (n % (inner * cSpan) != 0) { cSpan = 1; c = c[..1]; }
        var v = Random(period, 3);
        var sc = new[] { 0.3f };
        var p = Program(4,
            [(long)FusedOpCode.Affine, (long)FusedOpCode.Relu, (long)FusedOpCode.Exp, (long)FusedOpCode.Mul, (long)FusedOpCode.Sub, (long)FusedOpCode.Mul],
            [0, 1, 2, 4, 0, 0, 3, 0, 0, 6, 0, 0, 5, 7, 0, -1, 8, 0], 0.25f);
        var y = Evaluate(p, [(x, 1, Math.Max(1, n)), (c, inner, cSpan), (v, 1, period), (sc, 1, 1)], n);
        for (int i = 0; i < n; i++)
        {
            float a = MathF.FusedMultiplyAdd(x[i], c[i / inner % cSpan], v[i % period]);
            float expected = 0.25f * (Math.Max(a, 0) - VectorMath.Exp(sc[0]) * x[i]);
            Assert.True(Math.Abs(expected - y[i]) <= 1e-6f * Math.Max(1, Math.Abs(expected)), $"[{i}] expected {expected}, got {y[i]}");
        }
    }

    [Fact]
    public void SplitsAcrossThreads()
    {
        int n = 3 * ElementwiseParallel.MinChunkElements + 13;
        var x = Random(n, 4);
        var p = Program(1, [(long)FusedOpCode.Tanh, (long)FusedOpCode.Add], [0, 0, 0, 1, -1, 0], 1f);
        using var _ = KernelParallelism.Push(2);
        var y = Evaluate(p, [(x, 1, n)], n);
        for (int i = 0; i < n; i++) Assert.Equal(VectorMath.Tanh(x[i]) + 1f, y[i]);
    }

    [Theory]
    [InlineData(300, 5)]   // rows of 300: one block per row piece, per-row values walked incrementally
    [InlineData(49, 8)]    // rows of 49: several rows per block, per-row values expanded
    public void ChunksStartingInsideRowsAgree(int inner, int span)
    {
        // Threads split the output at multiples of 16 elements, inside rows: each chunk must find its place.
        int n = inner * span * (4 * ElementwiseParallel.MinChunkElements / (inner * span) + 1);
        var x = Random(n, 5);
        var c = Random(span, 6);
        var v = Random(inner, 7);   // varies along the row: a periodic input of period inner
        var p = Program(3, [(long)FusedOpCode.Affine, (long)FusedOpCode.Relu], [0, 1, 2, 3, 0, 0]);
        using var _ = KernelParallelism.Push(2);
        var y = Evaluate(p, [(x, 1, n), (c, inner, span), (v, 1, inner)], n);
        for (int i = 0; i < n; i++)
            Assert.Equal(Math.Max(0f, MathF.FusedMultiplyAdd(x[i], c[i / inner % span], v[i % inner])), y[i], 1e-6f);
    }

    [Fact]
    public void ScalarOnlyOperandsFillTheBlock()
    {
        // Every operand a scalar (inputs of span 1): each instruction's scalar form.
        var p = Program(2, [(long)FusedOpCode.Add, (long)FusedOpCode.Sigmoid, (long)FusedOpCode.Affine], [0, 1, 0, 2, 0, 0, 3, 0, 1], 0f);
        var y = Evaluate(p, [(new[] { 1f }, 1, 1), (new[] { 2f }, 1, 1)], 37);
        float expected = MathF.FusedMultiplyAdd(VectorMath.Sigmoid(3f), 1f, 2f);
        Assert.All(y, v => Assert.Equal(expected, v, 1e-6f));
    }

    [Fact]
    public void RejectsOperandsThatDoNotTile()
    {
        var p = Program(1, [(long)FusedOpCode.Relu], [0, 0, 0]);
        var x = new float[10];
        Assert.Throws<ArgumentException>(() => Evaluate(p, [(x, 3, 1)], 10));
        Assert.Throws<ArgumentException>(() => Evaluate(p, [], 10));
        // Rows of 4 (the periodic input) do not divide the per-row input's Inner of 6: a stream would wrap.
        var q = Program(2, [(long)FusedOpCode.Add], [0, 1, 0]);
        Assert.Throws<ArgumentException>(() => Evaluate(q, [(new float[4], 1, 4), (new float[2], 6, 2)], 12 * 2));
    }

    private static float[] Random(int n, int seed)
    {
        var r = new Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(r.NextDouble() * 4 - 2);
        return a;
    }

    private static float[] Evaluate(FusedProgram p, (float[] Data, int Inner, int Span)[] inputs, int n)
    {
        var y = new float[n + 16];
        Array.Fill(y, 12345f);   // a guard after n: nothing may be written past the output
        var handles = inputs.Select(i => i.Data.AsMemory().Pin()).ToArray();
        try
        {
            var operands = inputs.Select((x, k) => new FusedOperand((float*)handles[k].Pointer, x.Inner, x.Span)).ToArray();
            fixed (float* py = y) FusedEvaluator.Run(p, operands, py, n);
        }
        finally
        {
            foreach (var h in handles) h.Dispose();
        }
        Assert.All(y[n..], v => Assert.Equal(12345f, v));
        return y[..n];
    }
}
