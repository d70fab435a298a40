using Google.Protobuf;
using NativeInfer.Errors;
using NativeInfer.Onnx.Proto;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Loading;

/// <summary>Bad models get one clear exception per category; nothing crashes or allocates without bound.</summary>
public class ModelLoadErrorTests
{
    private static TestModel AddModel() => new TestModel()
        .Input("a", DataType.Float, 2, 3).Input("b", DataType.Float, 2, 3)
        .Node("Add", ["a", "b"], ["c"])
        .Output("c", DataType.Float, 2, 3);

    [Fact]
    public void ValidModelLoads()
    {
        using var s = new InferenceSession(AddModel().ToBytes());
        Assert.Equal(["a", "b"], s.InputNames);
        Assert.Equal(["c"], s.OutputNames);
    }

    [Fact]
    public void TruncatedFileIsCorrupt()
    {
        var bytes = AddModel().ToBytes();
        var e = Assert.ThrowsAny<ModelLoadException>(() => new InferenceSession(bytes[..(bytes.Length / 2)]));
        Assert.Equal(ModelLoadError.Corrupt, e.Error);
    }

    [Fact]
    public void WrongFileTypeIsCorrupt()
    {
        var e = Assert.ThrowsAny<ModelLoadException>(() => new InferenceSession("this is a text file, not ONNX\n"u8.ToArray()));
        Assert.Equal(ModelLoadError.Corrupt, e.Error);
        var empty = Assert.ThrowsAny<ModelLoadException>(() => new InferenceSession(Array.Empty<byte>()));
        Assert.Equal(ModelLoadError.Corrupt, empty.Error);
    }

    [Fact]
    public void RandomBytesNeverCrash()
    {
        var valid = AddModel().ToBytes();
        var rng = new Random(42);
        for (int trial = 0; trial < 300; trial++)
        {
            var bytes = (byte[])valid.Clone();
            for (int k = 0; k < 1 + trial % 8; k++) bytes[rng.Next(bytes.Length)] = (byte)rng.Next(256);
            try
            {
                using var s = new InferenceSession(bytes);
            }
            catch (ModelLoadException) { }
        }
    }

    [Fact]
    public void DanglingEdgeNamesTheNode()
    {
        var m = new TestModel().Input("a", DataType.Float, 2).Node("Add", ["a", "missing_weight"], ["c"]).Output("c", DataType.Float, 2);
        var e = Assert.ThrowsAny<ModelLoadException>(() => new InferenceSession(m.ToBytes()));
        Assert.Equal(ModelLoadError.InvalidGraph, e.Error);
        Assert.Contains("missing_weight", e.Message);
        Assert.Contains("Add", e.Message);
    }

    [Fact]
    public void CycleIsRejected()
    {
        var m = new TestModel().Input("a", DataType.Float, 2)
            .Node("Add", ["a", "y"], ["x"]).Node("Add", ["x", "a"], ["y"]).Output("y", DataType.Float, 2);
        var e = Assert.ThrowsAny<ModelLoadException>(() => new InferenceSession(m.ToBytes()));
        Assert.Equal(ModelLoadError.InvalidGraph, e.Error);
        Assert.Contains("cycle", e.Message);
    }

    [Fact]
    public void AllUnsupportedOpsAreListedAtOnce()
    {
        var m = new TestModel().Opset("com.example", 1).Input("a", DataType.Float, 2)
            .Node("Frobnicate", ["a"], ["b"], "com.example")
            .Node("Twiddle", ["b"], ["c"], "com.example")
            .Node("Frobnicate", ["c"], ["d"], "com.example")
            .Output("d", DataType.Float, 2);
        var e = Assert.Throws<UnsupportedOperatorException>(() => new InferenceSession(m.ToBytes()));
        Assert.Equal(ModelLoadError.UnsupportedOperator, e.Error);
        Assert.Equal(2, e.Unsupported.Count);
        Assert.Contains(e.Unsupported, u => u.Contains("com.example:Frobnicate (opset 1)"));
        Assert.Contains(e.Unsupported, u => u.Contains("com.example:Twiddle (opset 1)"));
    }

    [Fact]
    public void UnsupportedOpsetIsReported()
    {
        // Add exists since opset 1 in ONNX, but a domain version 0 predates every registration.
        var m = new TestModel(opset: 0).Input("a", DataType.Float, 2).Node("Add", ["a", "a"], ["c"]).Output("c", DataType.Float, 2);
        var e = Assert.Throws<UnsupportedOperatorException>(() => new InferenceSession(m.ToBytes()));
        Assert.Contains("ai.onnx:Add (opset 0)", e.Message);
    }

    [Fact]
    public void HostileInitializerSizeIsRefusedBeforeAllocating()
    {
        var t = new TensorProto { Name = "w", DataType = (int)DataType.Float };
        t.Dims.AddRange([1_000_000, 1_000_000, 1000]);
        var m = new TestModel().Input("a", DataType.Float, 2).RawInitializer(t).Node("Add", ["a", "w"], ["c"]).Output("c", DataType.Float, 2);
        var e = Assert.ThrowsAny<ModelLoadException>(() => new InferenceSession(m.ToBytes()));
        Assert.Equal(ModelLoadError.SizeLimit, e.Error);
    }

    [Fact]
    public void ConfiguredSizeLimitApplies()
    {
        var m = new TestModel().Input("a", DataType.Float, 1000).Initializer("w", new float[1000], 1000)
            .Node("Add", ["a", "w"], ["c"]).Output("c", DataType.Float, 1000);
        var options = new NativeInfer.Session.SessionOptions { MaxTensorBytes = 1000 };
        var e = Assert.ThrowsAny<ModelLoadException>(() => new InferenceSession(m.ToBytes(), options));
        Assert.Equal(ModelLoadError.SizeLimit, e.Error);
    }

    [Fact]
    public void DataLengthMismatchIsCorrupt()
    {
        var t = new TensorProto { Name = "w", DataType = (int)DataType.Float, RawData = ByteString.CopyFrom(new byte[7]) };
        t.Dims.Add(2);
        var m = new TestModel().Input("a", DataType.Float, 2).RawInitializer(t).Node("Add", ["a", "w"], ["c"]).Output("c", DataType.Float, 2);
        var e = Assert.ThrowsAny<ModelLoadException>(() => new InferenceSession(m.ToBytes()));
        Assert.Equal(ModelLoadError.Corrupt, e.Error);
    }

    [Theory]
    [InlineData("../escape.bin")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/../../escape.bin")]
    public void ExternalDataEscapingTheModelFolderIsRefused(string location)
    {
        var dir = Directory.CreateTempSubdirectory("ni-ext-");
        try
        {
            var t = new TensorProto { Name = "w", DataType = (int)DataType.Float, DataLocation = TensorProto.Types.DataLocation.External };
            t.Dims.Add(2);
            t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
            var m = new TestModel().Input("a", DataType.Float, 2).RawInitializer(t).Node("Add", ["a", "w"], ["c"]).Output("c", DataType.Float, 2);
            string path = Path.Combine(dir.FullName, "model.onnx");
            File.WriteAllBytes(path, m.ToBytes());
            var e = Assert.ThrowsAny<ModelLoadException>(() => new InferenceSession(path));
            Assert.Equal(ModelLoadError.ExternalData, e.Error);
            Assert.Contains("escapes", e.Message);
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void ExternalDataInsideTheFolderLoads()
    {
        var dir = Directory.CreateTempSubdirectory("ni-ext-");
        try
        {
            var data = new float[] { 10, 20 };
            File.WriteAllBytes(Path.Combine(dir.FullName, "weights.bin"), [.. new byte[4], .. System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()).ToArray()]);
            var t = new TensorProto { Name = "w", DataType = (int)DataType.Float, DataLocation = TensorProto.Types.DataLocation.External };
            t.Dims.Add(2);
            t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
            t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = "4" });
            var m = new TestModel().Input("a", DataType.Float, 2).RawInitializer(t).Node("Add", ["a", "w"], ["c"]).Output("c", DataType.Float, 2);
            string path = Path.Combine(dir.FullName, "model.onnx");
            File.WriteAllBytes(path, m.ToBytes());
            using var s = new InferenceSession(path);
            var y = s.Run(new Tensor<float>([1f, 2f], [2])).As<float>();
            Assert.Equal([11f, 22f], y.ToArray());
        }
        finally { dir.Delete(true); }
    }
}
