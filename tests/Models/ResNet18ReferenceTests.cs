using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NativeInfer.Cli.Commands;
using NativeInfer.Tensors;
using Xunit;
using Xunit.Abstractions;
using Ort = Microsoft.ML.OnnxRuntime;

namespace NativeInfer.Tests.Models;

/// <summary>The default model (ResNet18) matches ONNX Runtime 1.31.1 within 1e-4 relative to the output's scale.</summary>
public class ResNet18ReferenceTests(ITestOutputHelper output)
{
    [Fact]
    public void MatchesOnnxRuntime()
    {
        byte[] model;
        using (var s = DefaultModel.Open())
        using (var ms = new MemoryStream())
        {
            s.CopyTo(ms);
            model = ms.ToArray();
        }

        using var ours = new InferenceSession(model);
        var info = ours.Model.Graph.FeedInputs.Single();
        var input = (NativeInfer.Tensors.Tensor<float>)RunCommand.DeterministicInput(info.Type!);
        var actual = ours.Run(input).As<float>();

        using var ort = new Ort.InferenceSession(model);
        var dense = new DenseTensor<float>(input.ToArray(), input.Shape);
        using var results = ort.Run([NamedOnnxValue.CreateFromTensor(info.Name, dense)]);
        var expected = results.First().AsEnumerable<float>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(v => Math.Abs((double)v));
        double maxErr = 0;
        for (int i = 0; i < expected.Length; i++) maxErr = Math.Max(maxErr, Math.Abs(actual[i] - expected[i]));
        output.WriteLine($"outputs: {expected.Length}, max |expected| {scale:G6}, max abs error {maxErr:G4}, relative {maxErr / scale:G4}");
        // Tolerance: 1e-4 of the output's largest magnitude (element-wise relative error is meaningless near zero).
        Assert.True(maxErr <= 1e-4 * scale, $"max abs error {maxErr:G4} exceeds 1e-4 × {scale:G6}");
    }
}
