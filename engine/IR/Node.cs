using NativeInfer.Ops;

namespace NativeInfer.IR;

/// <summary>
/// One operator application. Inputs/outputs are value names; an empty name marks an omitted optional input or output.
/// <see cref="Op"/> is the executable operator bound from (domain, op type, opset).
/// </summary>
public sealed class Node
{
    public required string Name { get; set; }
    public required string OpType { get; init; }
    public string Domain { get; init; } = "";
    public required string[] Inputs { get; set; }
    public required string[] Outputs { get; set; }
    public Attributes Attributes { get; init; } = new();

    /// <summary>Opset version of the node's domain in force for this model.</summary>
    public int OpsetVersion { get; set; }

    /// <summary>The executable op; null until bound.</summary>
    public Op? Op { get; set; }

    public string DisplayName => string.IsNullOrEmpty(Name) ? $"{OpType}({string.Join(",", Outputs)})" : Name;

    public override string ToString() =>
        $"{DisplayName} [{(Domain.Length == 0 ? "" : Domain + ":")}{OpType} v{OpsetVersion}]";
}
