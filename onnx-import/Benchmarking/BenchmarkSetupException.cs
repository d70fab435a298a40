namespace NativeInfer.Onnx.Benchmarking;

/// <summary>A benchmark cannot be set up as asked (a malformed or unknown <c>--dim</c>, an input it cannot feed); the
/// message says what is wrong and how to fix it.</summary>
public sealed class BenchmarkSetupException(string message) : Exception(message);
