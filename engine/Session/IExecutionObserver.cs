using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Session;

/// <summary>
/// Watches a run node by node (e.g. a per-node profiler), set through <see cref="SessionOptions.Observer"/>. Called on
/// the run's thread, for subgraph nodes too (between their parent node's start and finish); concurrent runs call it
/// concurrently. A node that throws gets no <see cref="NodeFinished"/>. The outputs are valid only during the call:
/// their buffers may be reused once the run no longer needs them.
/// </summary>
public interface IExecutionObserver
{
    void NodeStarted(Node node);

    void NodeFinished(Node node, ReadOnlySpan<Value?> outputs);
}
