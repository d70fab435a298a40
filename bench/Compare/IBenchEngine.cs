namespace NativeInfer.Bench.Compare;

/// <summary>One output read back for comparison: its shape and values widened to double.</summary>
public sealed record OutputData(string Name, long[] Shape, double[] Values);

/// <summary>An engine with a loaded model and its inputs bound, ready to run repeatedly.</summary>
public interface IBenchEngine : IDisposable
{
    string Name { get; }

    /// <summary>One inference; outputs are produced and dropped.</summary>
    void Run();

    /// <summary>One inference, outputs read back in <paramref name="outputNames"/> order.</summary>
    OutputData[] RunAndRead(IReadOnlyList<string> outputNames);
}
