using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Session;

/// <summary>
/// A backend that runs whole graphs (e.g. the ILGPU backend in NativeInfer.Engine.Gpu). The engine knows only this
/// interface, so the CPU engine carries no GPU dependency; a provider registers itself with
/// <see cref="ExecutionBackends.Register"/>.
/// </summary>
public interface IExecutionBackendProvider
{
    /// <summary>True when this provider serves the backend kind (Auto included when it may pick a device).</summary>
    bool Serves(ExecutionBackend backend);

    /// <summary>
    /// A runner for the (optimized) graph on the requested backend; null only for <see cref="ExecutionBackend.Auto"/>
    /// when no suitable device is present (the session then runs on the CPU). Throws when an explicitly requested
    /// device is absent, naming the accelerators found.
    /// </summary>
    IGraphRunner? Create(Graph graph, SessionOptions options);
}

/// <summary>Runs one graph on a backend; thread-safe; disposed with its session.</summary>
public interface IGraphRunner : IDisposable
{
    /// <summary>Runs the graph on feeds by name; returns the graph outputs in order (host tensors).</summary>
    Value?[] Run(IReadOnlyDictionary<string, Value> feeds, CancellationToken cancellation);

    /// <summary>A readable description of where each node runs and the copies one run makes.</summary>
    string DescribePartition();
}

/// <summary>The registered backend providers (process-wide).</summary>
public static class ExecutionBackends
{
    private static readonly List<IExecutionBackendProvider> s_providers = new();

    /// <summary>Registers a provider; a provider of the same type is registered only once.</summary>
    public static void Register(IExecutionBackendProvider provider)
    {
        lock (s_providers)
            if (!s_providers.Any(p => p.GetType() == provider.GetType())) s_providers.Add(provider);
    }

    /// <summary>The runner for the session's backend, or null for the CPU executor.</summary>
    internal static IGraphRunner? CreateRunner(Graph graph, SessionOptions options)
    {
        if (options.Backend == ExecutionBackend.Cpu) return null;
        IExecutionBackendProvider[] providers;
        lock (s_providers) providers = s_providers.ToArray();
        var provider = providers.FirstOrDefault(p => p.Serves(options.Backend));
        if (provider is null)
        {
            if (options.Backend == ExecutionBackend.Auto) return null;
            throw new NotSupportedException(
                $"Backend {options.Backend} is not available: no GPU backend is registered. Reference NativeInfer.Engine.Gpu "
                + "and call NativeInfer.Gpu.GpuBackend.Register() before creating the session.");
        }
        return provider.Create(graph, options);
    }
}
