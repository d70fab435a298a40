using System.Buffers;
using System.Runtime.CompilerServices;
using NativeInfer.IR;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Fused;

/// <summary>
/// <c>ai.nativeinfer:FusedElementwise</c>, made by the ElementwiseFusion pass: Y = a float32 expression of the inputs
/// (multidirectional broadcasting; Y has the broadcast shape), evaluated block by block so intermediates never reach
/// memory. Attributes (standard ONNX kinds, so the node can be written back to a model file):
/// <list type="bullet">
/// <item><c>opcodes</c> (ints): one <see cref="FusedOpCode"/> per instruction;</item>
/// <item><c>operands</c> (ints): three slots per instruction, in SSA form: 0..inputs-1 name an input, inputs + i the
/// result of instruction i (earlier ones only), -(k + 1) names <c>immediates[k]</c>; the last instruction is Y;</item>
/// <item><c>immediates</c> (floats, optional): scalar constants and op parameters (alpha, clip bounds, exponents);</item>
/// <item><c>expression</c> (string, optional): the readable form, for explain output only.</item>
/// </list>
/// Inputs are float32 tensors (at most <see cref="FusedProgram.MaxInputs"/>), typically the full-shape activations and
/// per-channel constants such as folded BatchNormalization scales.
/// </summary>
internal sealed class FusedElementwise : TensorOp
{
    public const string Domain = "ai.nativeinfer";
    public const string OpType = "FusedElementwise";

    private readonly FusedProgram _program;

    public FusedElementwise(OpBuildContext ctx)
    {
        var a = ctx.Attributes;
        var opcodes = a.Ints("opcodes") ?? throw new ArgumentException($"{OpType} {ctx.Node.Name}: attribute 'opcodes' is missing.");
        var operands = a.Ints("operands") ?? throw new ArgumentException($"{OpType} {ctx.Node.Name}: attribute 'operands' is missing.");
        if (ctx.Node.Inputs.Any(i => i.Length == 0))
            throw new ArgumentException($"{OpType} {ctx.Node.Name}: inputs cannot be omitted.");
        _program = FusedProgram.Create(ctx.InputCount, opcodes, operands, a.Floats("immediates") ?? []);
    }

    public static void Register(OpRegistry r) => r.Register(Domain, OpType, 1, ctx => new FusedElementwise(ctx));

    /// <summary>The compiled program (tests and explain output).</summary>
    public FusedProgram Program => _program;

    /// <summary>
    /// In place over any full-shape input: the evaluator reads each input block before the last instruction writes
    /// the same output block, and every loop computes its ragged tail before storing.
    /// </summary>
    public override IReadOnlyList<int> InPlaceInputs => Enumerable.Range(0, _program.InputCount).ToArray();

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    protected override unsafe Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        int count = inputs.Length;
        for (int i = 0; i < count; i++)
            if (inputs.Req(i).DataType != DataType.Float)
                throw new NotSupportedException($"{OpType} computes float32 only; input {i} is {DataTypes.Name(inputs[i]!.DataType)}.");
        var shape = BroadcastShape(inputs);
        var y = Tensor<float>.Uninitialized(shape);
        int n = y.Length;
        if (n == 0) return [y];

        var handles = new Handles();
        FusedOperand* operands = stackalloc FusedOperand[Math.Max(1, count)];
        Tensor<float>[]? expanded = null;
        try
        {
            for (int i = 0; i < count; i++)
            {
                var x = (Tensor<float>)inputs[i]!;
                if (!FusedOperand.TryDescribe(x.Shape, shape, out int inner, out int span))
                {
                    // A broadcast the evaluator cannot stream (e.g. [C,1,W] against [N,C,H,W]): materialize it once.
                    expanded ??= new Tensor<float>[count];
                    x = expanded[i] = Expand(x, shape);
                    inner = 1;
                    span = n;
                }
                handles[i] = x.Memory.Pin();
                operands[i] = new FusedOperand((float*)handles[i].Pointer, inner, span);
            }
            using var hy = y.Memory.Pin();
            FusedEvaluator.Run(_program, new ReadOnlySpan<FusedOperand>(operands, count), (float*)hy.Pointer, n);
        }
        finally
        {
            for (int i = 0; i < count; i++) handles[i].Dispose();
        }
        return [y];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs)
    {
        if (inputs.Any(i => i is null)) return [TypeInfo.Tensor(DataType.Float)];
        var asSum = new Node { Name = node.Node.Name, OpType = "Sum", Inputs = node.Node.Inputs, Outputs = node.Node.Outputs, OpsetVersion = 13 };
        var r = ShapeRules.Infer(new OpBuildContext { Node = asSum, ConstantLookup = node.ConstantLookup }, inputs);
        return r is { Length: 1 } && r[0] is { } t ? [t with { ElementType = DataType.Float }] : [TypeInfo.Tensor(DataType.Float)];
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static int[] BroadcastShape(Tensor?[] inputs)
    {
        int rank = 0;
        foreach (var t in inputs) rank = Math.Max(rank, t!.Rank);
        var shape = new int[rank];
        shape.AsSpan().Fill(1);
        foreach (var t in inputs)
        {
            int offset = rank - t!.Rank;
            for (int d = 0; d < t.Rank; d++)
            {
                int v = t.Shape[d];
                ref int s = ref shape[offset + d];
                if (v == s || v == 1) continue;
                if (s == 1) s = v;
                else throw new ShapeMismatchException(
                    $"{OpType}: input shapes {string.Join(", ", inputs.Select(i => ShapeUtil.Format(i!.Shape)))} cannot be broadcast together.");
            }
        }
        return shape;
    }

    /// <summary>x broadcast to <paramref name="shape"/> (numpy rules, x aligned right).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static Tensor<float> Expand(Tensor<float> x, int[] shape)
    {
        var r = new Tensor<float>(shape);
        var strides = ShapeUtil.BroadcastStrides(x.Shape, shape.Length);
        var src = x.Span;
        var dst = r.Span;
        Span<int> index = stackalloc int[shape.Length];
        int offset = 0;
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = src[offset];
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                offset += strides[d];
                if (++index[d] < shape[d]) break;
                offset -= strides[d] * shape[d];
                index[d] = 0;
            }
        }
        return r;
    }

    [InlineArray(FusedProgram.MaxInputs)]
    private struct Handles
    {
        private MemoryHandle _element;
    }
}
