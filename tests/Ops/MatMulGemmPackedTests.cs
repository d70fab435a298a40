using NativeInfer.Onnx.Proto;
using NativeInfer.Ops;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Ops;

/// <summary>
/// MatMul and Gemm with a constant (initializer) float B, which the ops pack once at build time, against a double
/// reference; C as an epilogue bias ([N], [1, N], [M, 1]) or broadcast ([M, N], [1, 1], scalar); and an initializer
/// that is also a graph input, where a fed tensor must replace the packed one.
/// </summary>
public class MatMulGemmPackedTests
{
    private static Tensor<float> Random(Random rng, params int[] shape)
    {
        var t = new Tensor<float>(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = (float)(rng.NextDouble() * 2 - 1);
        return t;
    }

    private static void AssertClose(double[] expected, Tensor actual, int k, string what)
    {
        var a = actual.As<float>().Span;
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(a[i] - expected[i]) <= 1e-6 * (k + 2), $"{what} [{i}]: {a[i]} vs {expected[i]}");
    }

    /// <summary>numpy matmul of A [..., M, K] (or [K]) with a single matrix B [K, N], in double.</summary>
    private static double[] MatMulRef(Tensor<float> a, Tensor<float> b)
    {
        int k = b.Shape[^2], n = b.Shape[^1], rows = a.Length / k;
        var r = new double[rows * n];
        var sa = a.Span;
        var sb = b.Span;
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double)sa[i * k + p] * sb[p * n + j];
                r[i * n + j] = s;
            }
        return r;
    }

    [Theory]
    [InlineData(new[] { 5, 37 }, new[] { 37, 70 })]
    [InlineData(new[] { 37 }, new[] { 37, 70 })]
    [InlineData(new[] { 1, 300 }, new[] { 300, 1000 })]
    [InlineData(new[] { 2, 3, 49, 64 }, new[] { 64, 33 })]
    [InlineData(new[] { 4, 13, 20 }, new[] { 1, 20, 9 })]
    [InlineData(new[] { 13, 20 }, new[] { 1, 1, 20, 9 })]
    public void MatMulWithConstantB(int[] aShape, int[] bShape)
    {
        var rng = new Random(aShape.Sum() + bShape.Sum());
        var a = Random(rng, aShape);
        var b = Random(rng, bShape);
        var y = OpHarness.Run1("MatMul", 13, [a, new Const(b)]);
        var (outShape, _, _, _, _) = NativeInfer.Ops.NN.MatMulKernel.Plan(aShape, bShape);
        Assert.Equal(outShape, y.Shape);
        AssertClose(MatMulRef(a, b), y, bShape[^2], "MatMul");
        // The same product with B fed at run time (unpacked path) agrees.
        var fed = OpHarness.Run1("MatMul", 13, [a, b]);
        AssertClose(MatMulRef(a, b), fed, bShape[^2], "MatMul fed");
    }

    public static TheoryData<int[]?, bool, bool> GemmCases()
    {
        var d = new TheoryData<int[]?, bool, bool>();
        foreach (var c in new[] { null, new[] { 70 }, new[] { 1, 70 }, new[] { 13, 1 }, new[] { 13, 70 }, new[] { 1, 1 }, Array.Empty<int>() })
            for (int t = 0; t < 4; t++) d.Add(c, t % 2 == 1, t >= 2);
        return d;
    }

    [Theory]
    [MemberData(nameof(GemmCases))]
    public void GemmWithConstantB(int[]? cShape, bool transA, bool transB)
    {
        const int m = 13, n = 70, k = 300;
        const float alpha = 0.75f, beta = -1.5f;
        var rng = new Random(7);
        var a = Random(rng, transA ? [k, m] : [m, k]);
        var b = Random(rng, transB ? [n, k] : [k, n]);
        var c = cShape is null ? null : Random(rng, cShape);
        var expected = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += (double)(transA ? a.Span[p * m + i] : a.Span[i * k + p]) * (transB ? b.Span[j * k + p] : b.Span[p * n + j]);
                double cv = 0;
                if (c is not null)
                {
                    int[] cs = c.Rank == 2 ? c.Shape : c.Rank == 1 ? [1, c.Shape[0]] : [1, 1];
                    cv = c.Span[(cs[0] == 1 ? 0 : i) * cs[1] + (cs[1] == 1 ? 0 : j)];
                }
                expected[i * n + j] = alpha * s + beta * cv;
            }
        var attrs = new[] { Attr.Int("transA", transA ? 1 : 0), Attr.Int("transB", transB ? 1 : 0), Attr.Float("alpha", alpha), Attr.Float("beta", beta) };
        var packed = OpHarness.Run1("Gemm", 13, [a, new Const(b), c is null ? null : new Const(c)], attrs);
        AssertClose(expected, packed, k, "Gemm packed");
        var fed = OpHarness.Run1("Gemm", 13, [a, b, c], attrs);
        AssertClose(expected, fed, k, "Gemm fed");
    }

    [Fact]
    public void ConstantFloatBIsPackedAtBuildTime()
    {
        var b = new Tensor<float>([20, 6]);
        Tensor? Lookup(string name) => name == "b" ? b : null;
        OpBuildContext Context(string op, string bName) => new()
        {
            Node = new NativeInfer.IR.Node { Name = "n", OpType = op, Inputs = ["a", bName], Outputs = ["y"] },
            ConstantLookup = Lookup,
        };
        Assert.True(NativeInfer.Ops.NN.MatMul.Create(Context("MatMul", "b")).HasPackedB);
        Assert.True(NativeInfer.Ops.NN.Gemm.Create(Context("Gemm", "b")).HasPackedB);
        Assert.False(NativeInfer.Ops.NN.MatMul.Create(Context("MatMul", "fed")).HasPackedB);
        Assert.False(NativeInfer.Ops.NN.Gemm.Create(Context("Gemm", "fed")).HasPackedB);
        // A batched constant B (more than one matrix) is not packed: each batch has its own matrix.
        b = new Tensor<float>([2, 20, 6]);
        Assert.False(NativeInfer.Ops.NN.MatMul.Create(Context("MatMul", "b")).HasPackedB);
    }

    [Theory]
    [InlineData("MatMul")]
    [InlineData("Gemm")]
    public void FedTensorReplacesAnInitializerThatIsAlsoAnInput(string op)
    {
        var rng = new Random(9);
        var a = Random(rng, 4, 20);
        var packedB = Random(rng, 20, 6);
        var fedB = Random(rng, 20, 6);
        var model = OpHarness.Model(op, 13, [a, new Const(packedB)], 1, [], out var feeds);
        model.Graph.Input.Add(new ValueInfoProto { Name = "x1", Type = OpHarness.TypeOf(fedB) });
        var withInitializer = OpHarness.RunModel(model, feeds)[0]!.AsTensor();
        AssertClose(MatMulRef(a, packedB), withInitializer, 20, $"{op} initializer");
        feeds["x1"] = fedB;
        var withFeed = OpHarness.RunModel(model, feeds)[0]!.AsTensor();
        AssertClose(MatMulRef(a, fedB), withFeed, 20, $"{op} fed");
    }
}
