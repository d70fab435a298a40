using NativeInfer.Errors;
using NativeInfer.Gpu;
using NativeInfer.Kernels.Gpu.Runtime;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Gpu.Backend;

/// <summary>
/// The any-type GPU ops (Cast, comparisons, logic, Where, Expand, Tile, integer arithmetic), the reductions,
/// ArgMax/ArgMin and the host-answered ops: small graphs on the CPU backend and on the accelerator, every output compared
/// element by element (integers and bool exactly, float types within 1e-5 + 1e-3·|cpu|) and every node placed on the GPU.
/// </summary>
public abstract class GpuTypedOpsTests : GpuGraphTests
{
    private static readonly float[] Tricky = [0f, -0f, 1.5f, -2.5f, 2.5f, -2.7f, 65519f, 65520f, 1e-6f, 3e-8f, 300.9f, -129.5f, 1e30f, float.NaN, float.PositiveInfinity, 0.1f];

    [SkippableFact]
    public void CastBetweenEveryHandledType()
    {
        var x = new Tensor<float>(Tricky, [Tricky.Length]);
        var g = new GpuTestGraph().Input("x", x);
        var outputs = new List<string>();
        foreach (var to in new[] { DataType.Double, DataType.Float16, DataType.BFloat16, DataType.Int32, DataType.Int8, DataType.UInt8,
                     DataType.Int64, DataType.Bool, DataType.UInt16, DataType.Int16 })
        {
            string n = $"c{(int)to}";
            g.Node("Cast", ["x"], [n], Attr.Int("to", (int)to));
            outputs.Add(n);
            if (to is DataType.Float16 or DataType.BFloat16 or DataType.Double or DataType.Int32 or DataType.Bool)
            {
                // and back to float32, and to double
                g.Node("Cast", [n], [n + "f"], Attr.Int("to", (int)DataType.Float));
                g.Node("Cast", [n], [n + "d"], Attr.Int("to", (int)DataType.Double));
                outputs.Add(n + "f");
                outputs.Add(n + "d");
            }
        }
        var like = new Tensor<long>([1], [1]);
        g.Input("like", like).Node("CastLike", ["x", "like"], ["cl"]);
        outputs.Add("cl");
        // Out-of-range and non-finite values convert to integers like .NET does (truncate, saturate to int64, keep the low bits).
        var finite = new Tensor<double>([0, 3.99, -3.99, 1e15, -7, 255.5], [6]);
        g.Input("d", finite).Node("Cast", ["d"], ["d16"], Attr.Int("to", (int)DataType.Float16))
            .Node("Cast", ["d"], ["di"], Attr.Int("to", (int)DataType.Int64))
            .Node("Cast", ["di"], ["diu"], Attr.Int("to", (int)DataType.UInt64))
            .Node("Cast", ["diu"], ["diuf"], Attr.Int("to", (int)DataType.Float));
        outputs.AddRange(["d16", "di", "diu", "diuf"]);
        g.Output(outputs.ToArray());
        AllOnGpu(Compare(g), "Cast", "CastLike");
    }

    [SkippableFact]
    public void CastOfFiniteValuesToIntegers()
    {
        var x = new Tensor<float>([0f, 1.5f, -2.5f, 2.7f, -2.7f, 100.9f, -100.9f, 127f], [8]);
        var g = new GpuTestGraph().Input("x", x);
        var outs = new List<string>();
        foreach (var to in new[] { DataType.Int8, DataType.UInt8, DataType.Int16, DataType.UInt16, DataType.Int32, DataType.UInt32, DataType.Int64, DataType.UInt64 })
        {
            g.Node("Cast", ["x"], [$"i{(int)to}"], Attr.Int("to", (int)to));
            outs.Add($"i{(int)to}");
        }
        g.Node("Cast", ["i3"], ["i3h"], Attr.Int("to", (int)DataType.Float16));
        outs.Add("i3h");
        AllOnGpu(Compare(g.Output(outs.ToArray())), "Cast");
    }

    [SkippableFact]
    public void ComparisonsLogicWhereExpandTile()
    {
        var a = new Tensor<long>([1, -5, 7, long.MaxValue, 0, 3], [2, 3]);
        var b = new Tensor<long>([1, 7, -5], [3]);
        var u = new Tensor<ulong>([1, ulong.MaxValue, 5], [3]);
        var v = new Tensor<ulong>([2, 1, 5], [3]);
        var f = GpuTestGraph.Random(40, [2, 3]);
        var h = new Tensor<float>([0.5f, float.NaN, -1f], [3]);
        var g = new GpuTestGraph()
            .Input("a", a).Input("b", b).Input("u", u).Input("v", v).Input("f", f).Input("h", h)
            .Const("shape", new Tensor<long>([2, 2, 3], [3]))
            .Const("reps", new Tensor<long>([2, 1], [2]))
            .Node("Equal", ["a", "b"], ["eq"]).Node("Less", ["a", "b"], ["lt"]).Node("GreaterOrEqual", ["u", "v"], ["ge"])
            .Node("LessOrEqual", ["f", "h"], ["fle"]).Node("Greater", ["f", "h"], ["fgt"])
            .Node("Or", ["eq", "lt"], ["or"]).Node("Xor", ["eq", "fgt"], ["xor"]).Node("And", ["or", "fle"], ["and"]).Node("Not", ["and"], ["not"])
            .Node("Where", ["lt", "a", "b"], ["w"]).Node("Where", ["fgt", "f", "h"], ["wf"])
            .Node("Expand", ["b", "shape"], ["ex"]).Node("Expand", ["not", "shape"], ["exb"])
            .Node("Tile", ["a", "reps"], ["tile"])
            .Output("eq", "lt", "ge", "fle", "fgt", "or", "xor", "and", "not", "w", "wf", "ex", "exb", "tile");
        AllOnGpu(Compare(g), "Equal", "Where", "Expand", "Tile", "Not");
    }

    [SkippableFact]
    public void IntegerAndDoubleArithmetic()
    {
        var a = new Tensor<int>([7, -7, 9, -9, 100, 3], [2, 3]);
        var b = new Tensor<int>([2, 3, -4], [3]);
        var d = new Tensor<double>([1.5, -2.25, 3.0, 8.5, -0.5, 2.0], [2, 3]);
        var e = new Tensor<double>([0.5, 2.0, -1.5], [3]);
        var s = new Tensor<byte>([1, 128, 255], [3]);
        var sh = new Tensor<byte>([1, 2, 7], [3]);
        var g = new GpuTestGraph()
            .Input("a", a).Input("b", b).Input("d", d).Input("e", e).Input("s", s).Input("sh", sh)
            .Node("Add", ["a", "b"], ["add"]).Node("Sub", ["a", "b"], ["sub"]).Node("Mul", ["a", "b"], ["mul"]).Node("Div", ["a", "b"], ["div"])
            .Node("Mod", ["a", "b"], ["mod"]).Node("Mod", ["a", "b"], ["fmod"], Attr.Int("fmod", 1))
            .Node("Max", ["a", "b", "add"], ["max"]).Node("Min", ["a"], ["min1"]).Node("Sum", ["a", "b"], ["sum"])
            .Node("Add", ["d", "e"], ["dadd"]).Node("Div", ["d", "e"], ["ddiv"]).Node("Pow", ["d", "e"], ["dpow"]).Node("Min", ["d", "e"], ["dmin"])
            .Node("Mod", ["d", "e"], ["dmod"], Attr.Int("fmod", 1))
            .Node("Abs", ["a"], ["abs"]).Node("Neg", ["d"], ["neg"]).Node("Sign", ["a"], ["sign"])
            .Node("BitShift", ["s", "sh"], ["shl"], Attr.Str("direction", "LEFT")).Node("BitShift", ["s", "sh"], ["shr"], Attr.Str("direction", "RIGHT"))
            .Node("BitwiseXor", ["s", "sh"], ["bx"]).Node("BitwiseNot", ["s"], ["bn"])
            .Node("IsNaN", ["ddiv"], ["nan"]).Node("IsInf", ["ddiv"], ["inf"])
            .Output("add", "sub", "mul", "div", "mod", "fmod", "max", "min1", "sum", "dadd", "ddiv", "dpow", "dmin", "dmod", "abs", "neg", "sign",
                "shl", "shr", "bx", "bn", "nan", "inf");
        AllOnGpu(Compare(g), "Mod", "Max", "BitShift", "IsNaN");
    }

    [SkippableFact]
    public void IntegerDivisionByZeroIsAClearError()
    {
        RequireDevice();
        var g = new GpuTestGraph()
            .Input("a", new Tensor<int>([1, 2], [2])).Input("b", new Tensor<int>([1, 0], [2]))
            .Node("Div", ["a", "b"], ["y"]).Output("y");
        using var gpu = new GraphSession(g.Load(), new SessionOptions { Backend = Backend, CpuFallback = false });
        var ex = Assert.Throws<NodeExecutionException>(() => gpu.Run(g.Feeds));
        Assert.Contains("division by zero", ex.Message);
    }

    [SkippableFact]
    public void ReductionsOverAxesInputsAndAttributes()
    {
        var x = GpuTestGraph.Random(41, [3, 4, 70], 0.1f, 2f);   // positive for LogSum; 70 ≥ the group threshold
        var g = new GpuTestGraph(opset: 18).Input("x", x)
            .Const("ax", new Tensor<long>([0, -1], [2]))
            .Const("a1", new Tensor<long>([1], [1]))
            .Const("none", new Tensor<long>([], [0]));
        var outs = new List<string>();
        foreach (var op in new[] { "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare" })
        {
            g.Node(op, ["x", "ax"], [op + "_a"]).Node(op, ["x", "a1"], [op + "_b"], Attr.Int("keepdims", 0)).Node(op, ["x"], [op + "_all"]);
            outs.AddRange([op + "_a", op + "_b", op + "_all"]);
        }
        g.Node("ReduceSum", ["x", "none"], ["noop"], Attr.Int("noop_with_empty_axes", 1));
        g.Node("ArgMax", ["x"], ["amax"], Attr.Int("axis", 2)).Node("ArgMin", ["x"], ["amin"], Attr.Int("axis", 1), Attr.Int("keepdims", 0));
        g.Input("t", new Tensor<int>([3, 1, 3, 0, 0, 2], [2, 3]))
            .Node("ArgMax", ["t"], ["tmax"], Attr.Int("axis", 1), Attr.Int("select_last_index", 1))
            .Node("ArgMin", ["t"], ["tmin"], Attr.Int("axis", 0));
        outs.AddRange(["noop", "amax", "amin", "tmax", "tmin"]);
        AllOnGpu(Compare(g.Output(outs.ToArray())), "ReduceSum", "ReduceLogSumExp", "ArgMax", "ArgMin");
    }

    [SkippableFact]
    public void ReductionsWithAxesAttributeOpset13()
    {
        var x = GpuTestGraph.Random(42, [2, 3, 5]);
        var g = new GpuTestGraph(opset: 13).Input("x", x)
            .Node("ReduceMean", ["x"], ["m"], Attr.Ints("axes", 1, 2), Attr.Int("keepdims", 0))
            .Node("ReduceMax", ["x"], ["mx"], Attr.Ints("axes", -2))
            .Output("m", "mx");
        AllOnGpu(Compare(g), "ReduceMean", "ReduceMax");
    }

    [SkippableFact]
    public void ShapeSizeAndInferenceDropout()
    {
        var x = GpuTestGraph.Random(43, [2, 3, 4]);
        var g = new GpuTestGraph().Input("x", x, declareShape: false)
            .Node("Shape", ["x"], ["s"]).Node("Shape", ["x"], ["s1"], Attr.Int("start", 1), Attr.Int("end", -1)).Node("Size", ["x"], ["n"])
            .Node("Dropout", ["x"], ["dx", "mask"])
            .Output("s", "s1", "n", "dx", "mask");
        AllOnGpu(Compare(g), "Shape", "Size", "Dropout");
    }

    [SkippableFact]
    public void TriluCumSumRangeConstantOfShape()
    {
        var x = GpuTestGraph.Random(44, [2, 3, 4]);
        var n = new Tensor<short>([1, -2, 3, 4, -5, 6], [2, 3]);
        var g = new GpuTestGraph().Input("x", x).Input("n", n)
            .Input("k", new Tensor<long>([-1], []))
            .Input("axis", new Tensor<int>([1], []))
            .Input("start", new Tensor<int>([10], [])).Input("limit", new Tensor<int>([-3], [])).Input("delta", new Tensor<int>([-4], []))
            .Input("fs", new Tensor<float>([0.5f], [])).Input("fl", new Tensor<float>([3f], [])).Input("fd", new Tensor<float>([0.75f], []))
            .Input("shape", new Tensor<long>([2, 3], [2]))
            .Node("Trilu", ["x"], ["up"]).Node("Trilu", ["x", "k"], ["low"], Attr.Int("upper", 0)).Node("Trilu", ["n", "k"], ["nup"])
            .Node("CumSum", ["x", "axis"], ["cs"]).Node("CumSum", ["n", "axis"], ["ncs"], Attr.Int("exclusive", 1), Attr.Int("reverse", 1))
            .Node("Range", ["start", "limit", "delta"], ["r"]).Node("Range", ["fs", "fl", "fd"], ["fr"])
            .Node("ConstantOfShape", ["shape"], ["c0"])
            .Node("ConstantOfShape", ["shape"], ["c7"], new Onnx.Proto.AttributeProto
            {
                Name = "value", Type = Onnx.Proto.AttributeProto.Types.AttributeType.Tensor,
                T = Onnx.Import.OnnxTensorReader.Write(new Tensor<long>([7], [1]), "v"),
            })
            .Output("up", "low", "nup", "cs", "ncs", "r", "fr", "c0", "c7");
        AllOnGpu(Compare(g), "Trilu", "CumSum", "Range", "ConstantOfShape");
    }

    [SkippableFact]
    public void ResizeNearestAndLinear()
    {
        var x = GpuTestGraph.Random(45, [1, 2, 4, 5]);
        var g = new GpuTestGraph(opset: 19).Input("x", x)
            .Input("up", new Tensor<float>([1f, 1f, 1.7f, 2.5f], [4]))
            .Input("down", new Tensor<float>([1f, 1f, 0.6f, 0.5f], [4]))
            .Input("sizes", new Tensor<long>([7, 3], [2]))
            .Node("Resize", ["x", "", "up"], ["n1"], Attr.Str("mode", "nearest"))
            .Node("Resize", ["x", "", "down"], ["n2"], Attr.Str("mode", "nearest"), Attr.Str("nearest_mode", "round_prefer_ceil"),
                Attr.Str("coordinate_transformation_mode", "asymmetric"))
            .Node("Resize", ["x", "", "", "sizes"], ["n3"], Attr.Str("mode", "nearest"), Attr.Ints("axes", 2, 3),
                Attr.Str("nearest_mode", "floor"), Attr.Str("coordinate_transformation_mode", "align_corners"))
            .Node("Resize", ["x", "", "up"], ["l1"], Attr.Str("mode", "linear"))
            .Node("Resize", ["x", "", "down"], ["l2"], Attr.Str("mode", "linear"), Attr.Str("coordinate_transformation_mode", "pytorch_half_pixel"))
            .Node("Resize", ["x", "", "", "sizes"], ["l3"], Attr.Str("mode", "linear"), Attr.Ints("axes", 3, 2),
                Attr.Str("keep_aspect_ratio_policy", "not_larger"), Attr.Str("coordinate_transformation_mode", "half_pixel_symmetric"))
            .Output("n1", "n2", "n3", "l1", "l2", "l3");
        AllOnGpu(Compare(g), "Resize");
    }

}

/// <summary>On ILGPU's CPU accelerator (always present).</summary>
public sealed class IlgpuCpuTypedOpsTests : GpuTypedOpsTests
{
    protected override ExecutionBackend Backend => ExecutionBackend.IlgpuCpu;
    protected override GpuDeviceKind Kind => GpuDeviceKind.Cpu;
}

/// <summary>On a CUDA GPU; skipped where there is none.</summary>
public sealed class CudaTypedOpsTests : GpuTypedOpsTests
{
    protected override ExecutionBackend Backend => ExecutionBackend.Cuda;
    protected override GpuDeviceKind Kind => GpuDeviceKind.Cuda;
}
