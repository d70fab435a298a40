using NativeInfer.Tensors;

namespace NativeInfer.Runtime;

/// <summary>Values live during one graph run; a subgraph's scope falls back to its parent's for outer names.</summary>
internal sealed class ExecutionScope(ExecutionScope? parent, CancellationToken cancellation = default)
{
    /// <summary>Cancels the whole run, subgraphs included (checked before every node).</summary>
    public CancellationToken Cancellation { get; } = parent?.Cancellation ?? cancellation;

    private readonly Dictionary<string, Value?> _values = new();

    public void Set(string name, Value? value) => _values[name] = value;

    public void Remove(string name) => _values.Remove(name);

    public Value? Get(string name)
    {
        for (var s = this; s is not null; s = s.Parent)
            if (s._values.TryGetValue(name, out var v)) return v;
        throw new KeyNotFoundException($"Value '{name}' is not available.");
    }

    public ExecutionScope? Parent { get; } = parent;
}
