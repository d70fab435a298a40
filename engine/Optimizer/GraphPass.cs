using NativeInfer.IR;
using NativeInfer.Session;

namespace NativeInfer.Optimizer;

/// <summary>
/// One named graph rewrite. A pass looks for its pattern, checks the cheap conditions first, and rewrites the graph
/// through <see cref="PassContext"/>; it returns how many rewrites it made (0: the graph is unchanged). The optimizer
/// runs the passes of the enabled levels in order, repeatedly, until none fires, and validates the graph after each
/// pass that changed it.
/// </summary>
public abstract class GraphPass
{
    /// <summary>The name used in SessionOptions.DisabledPasses, <c>--disable</c> and the explain log.</summary>
    public abstract string Name { get; }

    /// <summary>The lowest optimization level that runs this pass.</summary>
    public abstract GraphOptimizationLevel Level { get; }

    /// <summary>One line for <c>--explain</c> and the docs.</summary>
    public abstract string Description { get; }

    /// <summary>Rewrites the graph; returns the number of rewrites made.</summary>
    public abstract int Run(PassContext ctx);
}
