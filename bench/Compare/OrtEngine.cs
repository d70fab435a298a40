using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NativeInfer.Tensors;
using Ort = Microsoft.ML.OnnxRuntime;
using Tensor = NativeInfer.Tensors.Tensor;

namespace NativeInfer.Bench.Compare;

/// <summary>
/// ONNX Runtime (CPU execution provider) configured as compare states it: GraphOptimizationLevel ORT_ENABLE_ALL,
/// IntraOpNumThreads = threads, InterOpNumThreads = 1, sequential execution, intra-op spinning off (see the
/// constructor). Inputs are copied once into ORT-owned
/// tensors and reused for every run (NativeInfer likewise reuses its input tensors).
/// </summary>
public sealed class OrtEngine : IBenchEngine
{
    private readonly Ort.SessionOptions _options;
    private readonly Ort.InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly OrtValue[] _inputValues;
    private readonly string[] _outputNames;

    public OrtEngine(ModelSource model, int threads, IReadOnlyDictionary<string, Value> inputs, IReadOnlyList<string>? outputNames)
    {
        _options = new Ort.SessionOptions
        {
            GraphOptimizationLevel = Ort.GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        // The two engines run alternately in one process. ORT's intra-op workers keep spinning for a while after a run,
        // which takes the cores from the NativeInfer run that follows (measured, ResNet18, 2 threads: NativeInfer's
        // median 29.6 ms next to a spinning ORT, 22.3 ms next to a non-spinning one), while ORT's own median does not
        // change without spinning (12.48 vs 12.55 ms). NativeInfer's workers spin 50 µs, then block.
        _options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _session = model.Path is null ? new Ort.InferenceSession(ModelSource.DefaultModelBytes(), _options) : new Ort.InferenceSession(model.Path, _options);
        _inputNames = inputs.Keys.ToArray();
        _inputValues = inputs.Values.Select(ToOrt).ToArray();
        _outputNames = (outputNames ?? _session.OutputNames).ToArray();
    }

    public string Name => "ONNX Runtime";

    public void Run()
    {
        using var results = _session.Run(_runOptions, _inputNames, _inputValues, _outputNames);
    }

    public OutputData[] RunAndRead(IReadOnlyList<string> outputNames)
    {
        using var results = _session.Run(_runOptions, _inputNames, _inputValues, outputNames.ToArray());
        return results.Select((r, i) => Read(outputNames[i], r)).ToArray();
    }

    private static OrtValue ToOrt(Value v)
    {
        if (v is not Tensor t || t.DataType == DataType.String || !DataTypes.IsSupported(t.DataType))
            throw new NotSupportedException($"compare feeds ONNX Runtime fixed-size numeric and bool tensors only, not {v}.");
        // ORT's element type codes are ONNX's, as are NativeInfer's; the byte layouts of fixed-size types agree.
        var value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, (TensorElementType)(int)t.DataType,
            t.Shape.Select(d => (long)d).ToArray());
        t.RawBytes().CopyTo(value.GetTensorMutableRawData());
        return value;
    }

    private static OutputData Read(string name, OrtValue v)
    {
        if (!v.IsTensor) throw new NotSupportedException($"ONNX Runtime output '{name}' is not a tensor.");
        var info = v.GetTensorTypeAndShape();
        double[] values = info.ElementDataType switch
        {
            TensorElementType.Float => Widen(v.GetTensorDataAsSpan<float>(), x => x),
            TensorElementType.Double => v.GetTensorDataAsSpan<double>().ToArray(),
            TensorElementType.Int64 => Widen(v.GetTensorDataAsSpan<long>(), x => x),
            TensorElementType.Int32 => Widen(v.GetTensorDataAsSpan<int>(), x => x),
            TensorElementType.Int16 => Widen(v.GetTensorDataAsSpan<short>(), x => x),
            TensorElementType.Int8 => Widen(v.GetTensorDataAsSpan<sbyte>(), x => x),
            TensorElementType.UInt8 => Widen(v.GetTensorDataAsSpan<byte>(), x => x),
            TensorElementType.UInt16 => Widen(v.GetTensorDataAsSpan<ushort>(), x => x),
            TensorElementType.UInt32 => Widen(v.GetTensorDataAsSpan<uint>(), x => x),
            TensorElementType.UInt64 => Widen(v.GetTensorDataAsSpan<ulong>(), x => x),
            TensorElementType.Bool => Widen(v.GetTensorDataAsSpan<bool>(), x => x ? 1 : 0),
            TensorElementType.Float16 => Widen(v.GetTensorDataAsSpan<ushort>(), x => (double)BitConverter.UInt16BitsToHalf(x)),
            _ => throw new NotSupportedException($"ONNX Runtime output '{name}' has element type {info.ElementDataType}, which compare does not read."),
        };
        return new OutputData(name, info.Shape, values);
    }

    private static double[] Widen<T>(ReadOnlySpan<T> s, Func<T, double> f)
    {
        var r = new double[s.Length];
        for (int i = 0; i < r.Length; i++) r[i] = f(s[i]);
        return r;
    }

    public void Dispose()
    {
        foreach (var v in _inputValues) v.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        _options.Dispose();
    }
}
