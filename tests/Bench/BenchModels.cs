using NativeInfer.Tensors;
using NativeInfer.Tests.Support;

namespace NativeInfer.Tests.Bench;

/// <summary>Tiny models for the bench tests, written to temporary files.</summary>
internal static class BenchModels
{
    /// <summary>y = Relu(x · W + b), x float [batch, 8] with a symbolic batch, W [8, 4], b [4].</summary>
    public static byte[] Dense()
    {
        var w = Enumerable.Range(0, 32).Select(i => (i % 7 - 3) * 0.25f).ToArray();
        var b = new[] { 0.1f, -0.2f, 0.3f, -0.4f };
        return new TestModel()
            .InputSymbolic("x", DataType.Float, "batch", 8)
            .Initializer("W", w, 8, 4)
            .Initializer("b", b, 4)
            .Node("MatMul", ["x", "W"], ["xw"])
            .Node("Add", ["xw", "b"], ["z"])
            .Node("Relu", ["z"], ["y"])
            .Output("y", DataType.Float, 1, 4)
            .ToBytes();
    }

    /// <summary>Writes <paramref name="bytes"/> to a fresh temporary .onnx file; delete it with <see cref="TempModel.Dispose"/>.</summary>
    public static TempModel Write(byte[] bytes) => new(bytes);

    internal sealed class TempModel : IDisposable
    {
        public TempModel(byte[] bytes)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"nativeinfer-bench-{Guid.NewGuid():N}.onnx");
            File.WriteAllBytes(Path, bytes);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
