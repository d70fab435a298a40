using NativeInfer.IR;
using NativeInfer.Runtime;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Ops;

/// <summary>What an op sees while it runs: its node, the run's options and scope (for subgraphs).</summary>
public sealed class OpContext
{
    internal OpContext(Node node, ExecutionScope scope, SessionOptions options)
    {
        Node = node;
        Scope = scope;
        Options = options;
    }

    public Node Node { get; }
    public SessionOptions Options { get; }
    internal ExecutionScope Scope { get; }

    /// <summary>How many outputs the node declares (trailing omitted ones included).</summary>
    public int OutputCount => Node.Outputs.Length;

    /// <summary>True when output i is consumed (declared with a non-empty name).</summary>
    public bool OutputRequested(int i) => i < Node.Outputs.Length && Node.Outputs[i].Length > 0;

    /// <summary>
    /// Runs a subgraph (If branch, Loop/Scan body) with its formal inputs bound by position; the subgraph may also read
    /// any value visible to this node. Returns the subgraph outputs in order.
    /// </summary>
    public Value?[] RunSubgraph(IR.Graph graph, IReadOnlyList<Value?> inputs) =>
        GraphExecutor.Run(graph, inputs, Scope, Options);

    /// <summary>Random source for stochastic ops (seeded per op when a seed attribute is given).</summary>
    public Random Random => Random.Shared;
}
