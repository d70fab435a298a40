using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops;

/// <summary>What a factory sees when it builds an op for a node: its attributes, opset and arity.</summary>
public sealed class OpBuildContext
{
    public required Node Node { get; init; }
    public Attributes Attributes => Node.Attributes;
    public int Opset => Node.OpsetVersion;
    public int InputCount => Node.Inputs.Length;
    public int OutputCount => Node.Outputs.Length;
    /// <summary>True when input i is present (declared with a non-empty name).</summary>
    public bool HasInput(int i) => i < Node.Inputs.Length && Node.Inputs[i].Length > 0;
    /// <summary>Constant value of input i when it is an initializer of the node's graph, else null.</summary>
    public Func<string, Tensor?> ConstantLookup { get; init; } = _ => null;
    public Tensor? ConstantInput(int i) => HasInput(i) ? ConstantLookup(Node.Inputs[i]) : null;
}

public delegate Op OpFactory(OpBuildContext ctx);

/// <summary>One registration: an op type of a domain, valid from <see cref="SinceVersion"/> until the next one.</summary>
public sealed record OpRegistration(string Domain, string OpType, int SinceVersion, OpFactory Factory);

/// <summary>
/// Maps (domain, op type, opset) to op factories. A lookup picks the registration with the largest since-version not
/// above the model's opset for the domain, the same rule ONNX uses to pick an operator version.
/// </summary>
public sealed class OpRegistry
{
    private readonly Dictionary<(string Domain, string OpType), List<OpRegistration>> _entries = new();

    /// <summary>The registry with every built-in op.</summary>
    public static OpRegistry Default { get; } = BuiltinOps.Create();

    public void Register(string domain, string opType, int sinceVersion, OpFactory factory)
    {
        domain = NormalizeDomain(domain);
        if (!_entries.TryGetValue((domain, opType), out var list)) _entries[(domain, opType)] = list = new();
        list.RemoveAll(r => r.SinceVersion == sinceVersion);
        list.Add(new OpRegistration(domain, opType, sinceVersion, factory));
        list.Sort((a, b) => a.SinceVersion.CompareTo(b.SinceVersion));
    }

    /// <summary>Registers the default (ai.onnx) domain op for several since-versions with one factory.</summary>
    public void Register(string opType, int sinceVersion, OpFactory factory) => Register("", opType, sinceVersion, factory);

    public OpRegistration? Resolve(string domain, string opType, int opset)
    {
        if (!_entries.TryGetValue((NormalizeDomain(domain), opType), out var list)) return null;
        OpRegistration? best = null;
        foreach (var r in list) if (r.SinceVersion <= opset) best = r;
        return best;
    }

    public bool Knows(string domain, string opType) => _entries.ContainsKey((NormalizeDomain(domain), opType));

    public IEnumerable<OpRegistration> All => _entries.Values.SelectMany(l => l);

    public static string NormalizeDomain(string domain) => domain == "ai.onnx" ? "" : domain;
}
