using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;
using static NativeInfer.Tests.Support.OpHarness;
using static NativeInfer.Tests.Support.TestTensors;

namespace NativeInfer.Tests.Ops;

/// <summary>Broadcasting and shape corner cases: dims of size 0, rank-0 scalars, 1-D MatMul operands, empty reductions.</summary>
public class BroadcastCornerTests
{
    [Theory]
    [InlineData(new[] { 0, 3 }, new[] { 1, 3 }, new[] { 0, 3 })]
    [InlineData(new[] { 2, 0 }, new[] { 1 }, new[] { 2, 0 })]
    [InlineData(new[] { 0 }, new int[0], new[] { 0 })]
    [InlineData(new[] { 1, 0 }, new[] { 3, 1 }, new[] { 3, 0 })]
    [InlineData(new[] { 2, 1, 0 }, new[] { 4, 1 }, new[] { 2, 4, 0 })]
    public void EmptyBroadcasts(int[] a, int[] b, int[] expected)
    {
        foreach (var op in new[] { "Add", "Mul", "Sub", "Div", "Pow" })
        {
            var y = Run1(op, 15, [F(a), F(b)]);
            Assert.Equal(expected, y.Shape);
            Assert.Equal(0, y.Length);
        }
        Assert.Equal(expected, Run1("Greater", 13, [F(a), F(b)]).Shape);
        Assert.Equal(expected, Run1("Where", 16, [new Tensor<bool>(a), F(b), F(b)]).Shape);
    }

    [Fact]
    public void ScalarWithScalarStaysRankZero()
    {
        TensorAssert.Equal([5f], [], Run1("Add", 14, [Tensor<float>.Scalar(2), Tensor<float>.Scalar(3)]));
        TensorAssert.Equal(new[] { true }, [], Run1("Less", 13, [Tensor<float>.Scalar(2), Tensor<float>.Scalar(3)]));
        TensorAssert.Equal([6f], [], Run1("Sum", 13, [Tensor<float>.Scalar(1), Tensor<float>.Scalar(2), Tensor<float>.Scalar(3)]));
    }

    [Fact]
    public void ScalarBroadcastsOverMatrix()
    {
        TensorAssert.Equal([11f, 12, 13, 14, 15, 16], [2, 3], Run1("Add", 14, [Tensor<float>.Scalar(10), F([1, 2, 3, 4, 5, 6], 2, 3)]));
        TensorAssert.Equal([-9f, -8, -7, -6, -5, -4], [2, 3], Run1("Sub", 14, [F([1, 2, 3, 4, 5, 6], 2, 3), Tensor<float>.Scalar(10)]));
    }

    [Fact]
    public void OuterBroadcast() =>
        TensorAssert.Equal([10f, 20, 30, 40, 20, 40, 60, 80, 30, 60, 90, 120], [3, 4],
            Run1("Mul", 14, [F([1, 2, 3], 3, 1), F([10, 20, 30, 40], 1, 4)]));

    [Fact]
    public void MiddleAxisBroadcastBothWays() =>
        // a [2,1,2] + b [1,3,1]: y[i,j,k] = a[i,0,k] + b[0,j,0].
        TensorAssert.Equal([101f, 102, 201, 202, 301, 302, 103, 104, 203, 204, 303, 304], [2, 3, 2],
            Run1("Add", 14, [F([1, 2, 3, 4], 2, 1, 2), F([100, 200, 300], 1, 3, 1)]));

    [Fact]
    public void VariadicSumBroadcastsThreeShapes() =>
        TensorAssert.Equal([111f, 121, 112, 122], [2, 2], Run1("Sum", 13, [F([1, 2], 2, 1), F([10, 20], 2), Tensor<float>.Scalar(100)]));

    [Fact]
    public void MaxWithEmptyOperand() => Assert.Equal([0, 4], Run1("Max", 13, [F(0, 4), F(4), Tensor<float>.Scalar(1)]).Shape);

    [Fact]
    public void ExpandScalarAndExpandKeepsLargerDims()
    {
        TensorAssert.Equal([7f, 7, 7, 7], [2, 2], Run1("Expand", 13, [Tensor<float>.Scalar(7), L(2, 2)]));
        // Expand's shape may be smaller than the input's: the result is the broadcast of both.
        TensorAssert.Equal([1f, 2, 1, 2], [2, 2], Run1("Expand", 13, [F([1, 2, 1, 2], 2, 2), L(1, 1)]));
        Assert.Equal([3, 0], Run1("Expand", 13, [F(3, 1), L(0)]).Shape);
    }

    [Fact]
    public void MatMulOneDimensionalOperands()
    {
        TensorAssert.Equal([32f], [], Run1("MatMul", 13, [F([1, 2, 3], 3), F([4, 5, 6], 3)]));
        TensorAssert.Equal([22f, 28], [2], Run1("MatMul", 13, [F([1, 2, 3], 3), F([1, 2, 3, 4, 5, 6], 3, 2)]));
        TensorAssert.Equal([14f, 32], [2], Run1("MatMul", 13, [F([1, 2, 3, 4, 5, 6], 2, 3), F([1, 2, 3], 3)]));
        // 1-D times a batch of matrices: [3] x [2,3,1] -> [2,1].
        TensorAssert.Equal([14f, 32], [2, 1], Run1("MatMul", 13, [F([1, 2, 3], 3), F([1, 2, 3, 4, 5, 6], 2, 3, 1)]));
    }

    [Fact]
    public void MatMulBatchBroadcast()
    {
        // a [2,1,2,2] x b [3,2,1] -> [2,3,2,1]; b's batch of 3 column vectors meets each of a's 2 matrices.
        var a = F([1, 0, 0, 1, 2, 0, 0, 2], 2, 1, 2, 2);
        var b = F([1, 2, 3, 4, 5, 6], 3, 2, 1);
        TensorAssert.Equal([1f, 2, 3, 4, 5, 6, 2, 4, 6, 8, 10, 12], [2, 3, 2, 1], Run1("MatMul", 13, [a, b]));
    }

    [Fact]
    public void MatMulWithZeroInnerDimIsZeros()
    {
        TensorAssert.Equal([0f, 0, 0, 0, 0, 0], [2, 3], Run1("MatMul", 13, [F(2, 0), F(0, 3)]));
        Assert.Equal([0, 4], Run1("MatMul", 13, [F(0, 3), F(3, 4)]).Shape);
        Assert.Equal([2, 0, 4], Run1("MatMul", 13, [F(2, 0, 3), F(3, 4)]).Shape);
    }

    [Fact]
    public void GemmWithZeroInnerDimIsBetaC() =>
        TensorAssert.Equal([2f, 4, 2, 4], [2, 2], Run1("Gemm", 13, [F(2, 0), F(0, 2), F([1, 2], 2)], Attr.Float("beta", 2)));

    [Fact]
    public void ReductionsOverEmptyAxis()
    {
        // ReduceSum over a 0-length axis is 0; ReduceProd is 1; the result keeps the other dims.
        TensorAssert.Equal([0f, 0, 0], [3], Run1("ReduceSum", 13, [F(0, 3), L(0)], Attr.Int("keepdims", 0)));
        TensorAssert.Equal([1f, 1, 1], [1, 3], Run1("ReduceProd", 18, [F(0, 3), L(0)]));
        Assert.Equal([0, 1], Run1("ReduceSum", 13, [F(0, 3), L(1)]).Shape);
    }

    [Fact]
    public void ConcatSkipsEmptyOperands() =>
        TensorAssert.Equal([1f, 2, 3, 4, 5, 6], [2, 3], Run1("Concat", 13, [F(0, 3), F([1, 2, 3, 4, 5, 6], 2, 3), F(0, 3)], Attr.Int("axis", 0)));

    [Fact]
    public void ShapeOpsOnScalarsAndEmpties()
    {
        TensorAssert.Equal(Array.Empty<long>(), [0], Run1("Shape", 13, [Tensor<float>.Scalar(1)]));
        TensorAssert.Equal(new[] { 0L, 3 }, [2], Run1("Shape", 13, [F(0, 3)]));
        TensorAssert.Equal(new[] { 0L }, [], Run1("Size", 13, [F(4, 0)]));
        TensorAssert.Equal([5f], [1, 1], Run1("Reshape", 14, [Tensor<float>.Scalar(5), L(1, 1)]));
        TensorAssert.Equal([5f], [], Run1("Reshape", 14, [F([5], 1, 1), L()]));
        Assert.Equal([0, 3], Run1("Reshape", 14, [F(0, 3), L(0, 3)], Attr.Int("allowzero", 1)).Shape);
        Assert.Equal([2, 0], Run1("Reshape", 14, [F(0, 2), L(2, 0)], Attr.Int("allowzero", 1)).Shape);
        Assert.Equal([0, 2], Run1("Reshape", 14, [F(0, 2), L(0, 2)]).Shape);
    }

    [Fact]
    public void TransposeAndSliceOfEmpty()
    {
        Assert.Equal([3, 0], Run1("Transpose", 13, [F(0, 3)]).Shape);
        Assert.Equal([0, 3], Run1("Slice", 13, [F([1, 2, 3, 4, 5, 6], 2, 3), L(1), L(1), L(0)]).Shape);
        Assert.Equal([0], Run1("Gather", 13, [F([1, 2, 3], 3), new Tensor<long>([0])]).Shape);
    }
}
