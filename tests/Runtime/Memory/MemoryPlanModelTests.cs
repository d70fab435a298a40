using NativeInfer.Onnx;
using NativeInfer.Runtime;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace NativeInfer.Tests.Runtime.Memory;

/// <summary>The memory planner on the light models of the ONNX backend suite (skipped when the suite is absent).</summary>
public class MemoryPlanModelTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> LightModels()
    {
        var suite = TestPaths.OnnxSuite;
        var names = suite is null || !Directory.Exists(Path.Combine(suite, "light"))
            ? ["(suite missing)"]
            : Directory.GetFiles(Path.Combine(suite, "light"), "*.onnx").Select(Path.GetFileNameWithoutExtension).Order().ToArray();
        return names.Select(n => new object[] { n! });
    }

    private static string? ModelPath(string name)
    {
        var suite = TestPaths.OnnxSuite;
        if (suite is null) return null;
        var path = Path.Combine(suite, "light", name + ".onnx");
        return File.Exists(path) ? path : null;
    }

    /// <summary>Inputs like the conformance runner's: element k of n is k/n.</summary>
    internal static Dictionary<string, Value> Inputs(InferenceSession s)
    {
        var feeds = new Dictionary<string, Value>();
        foreach (var name in s.InputNames)
        {
            var meta = s.InputMetadata[name];
            var shape = meta.Dimensions.Select(d => d is > 0 ? (int)d : 1).ToArray();
            int n = shape.Aggregate(1, (a, b) => a * b);
            feeds[name] = new Tensor<float>(Enumerable.Range(0, n).Select(k => (float)k / n).ToArray(), shape);
        }
        return feeds;
    }

    [Theory]
    [MemberData(nameof(LightModels))]
    public void PlannedPeakIsWithinTwentyPercentOfTheLowerBound(string name)
    {
        var path = ModelPath(name);
        if (path is null) return; // suite missing: nothing to check
        using var s = new InferenceSession(path, new SessionOptions { IntraOpThreads = 1 });
        var feeds = Inputs(s);
        s.Run(feeds);
        var plan = Assert.Single(s.MemoryPlans);
        output.WriteLine($"{name}: {plan}");
        Assert.True(plan.TensorsPlaced > 0);
        Assert.True(plan.PlannedPeakBytes >= plan.LowerBoundBytes);
        Assert.True(plan.Ratio <= 1.2, $"{name}: {plan}");
    }
}
