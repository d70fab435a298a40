using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NativeInfer.Onnx.Proto;
using NativeInfer.Tensors;
using Ort = Microsoft.ML.OnnxRuntime;

namespace NativeInfer.Tests.Support;

/// <summary>Runs a model in ONNX Runtime (an independent reference) on float32 / int32 / int64 / bool feeds.</summary>
internal static class OrtReference
{
    /// <summary>The outputs as (shape, values as double), or null when ONNX Runtime refuses the model or the inputs.</summary>
    public static (int[] Shape, double[] Values)[]? Run(ModelProto model, IReadOnlyDictionary<string, Value> feeds)
    {
        try
        {
            using var options = new Ort.SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            using var session = new Ort.InferenceSession(model.ToByteArray(), options);
            var inputs = feeds.Select(kv => kv.Value switch
            {
                NativeInfer.Tensors.Tensor<float> f => NamedOnnxValue.CreateFromTensor(kv.Key, new DenseTensor<float>(f.ToArray(), f.Shape)),
                NativeInfer.Tensors.Tensor<long> l => NamedOnnxValue.CreateFromTensor(kv.Key, new DenseTensor<long>(l.ToArray(), l.Shape)),
                NativeInfer.Tensors.Tensor<int> i => NamedOnnxValue.CreateFromTensor(kv.Key, new DenseTensor<int>(i.ToArray(), i.Shape)),
                NativeInfer.Tensors.Tensor<bool> b => NamedOnnxValue.CreateFromTensor(kv.Key, new DenseTensor<bool>(b.ToArray(), b.Shape)),
                _ => throw new ArgumentException($"Feed '{kv.Key}' is not float32, int32, int64 or bool."),
            }).ToList();
            using var results = session.Run(inputs);
            return results.Select(r => r.Value switch
            {
                DenseTensor<float> f => (f.Dimensions.ToArray(), f.ToArray().Select(v => (double)v).ToArray()),
                DenseTensor<long> l => (l.Dimensions.ToArray(), l.ToArray().Select(v => (double)v).ToArray()),
                DenseTensor<bool> b => (b.Dimensions.ToArray(), b.ToArray().Select(v => v ? 1.0 : 0.0).ToArray()),
                DenseTensor<byte> u8 => (u8.Dimensions.ToArray(), u8.ToArray().Select(v => (double)v).ToArray()),
                DenseTensor<sbyte> i8 => (i8.Dimensions.ToArray(), i8.ToArray().Select(v => (double)v).ToArray()),
                _ => throw new NotSupportedException($"ONNX Runtime output of type {r.Value?.GetType().Name}."),
            }).ToArray();
        }
        catch (OnnxRuntimeException)
        {
            return null;
        }
    }
}
