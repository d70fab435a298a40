using NativeInfer.Tensors;

namespace NativeInfer.Runtime;

/// <summary>
/// A graph's memory plans, one per input signature (element types and shapes of the graph inputs), at most
/// <see cref="MaxSignatures"/>. Lookup is lock-free and allocation-free; a signature whose recorded run could not be
/// described by a plan is kept with no plan, so it is not recorded again.
/// </summary>
internal sealed class SignatureMemoryPlans
{
    public const int MaxSignatures = 8;

    private volatile Entry[] _entries = [];

    public sealed record Entry(int[] Signature, MemoryPlan? Plan);

    /// <summary>Every signature seen, with its plan (null when the recorded run could not be planned).</summary>
    public IReadOnlyList<Entry> Entries => _entries;

    /// <summary>The entry for the values in <paramref name="slots"/>, or null when this signature is new.</summary>
    public Entry? Find(ExecutionScope scope, int[] slots)
    {
        foreach (var entry in _entries)
            if (Matches(entry.Signature, scope, slots)) return entry;
        return null;
    }

    /// <summary>Whether another signature may still be recorded.</summary>
    public bool HasRoom => _entries.Length < MaxSignatures;

    public void Add(int[] signature, MemoryPlan? plan)
    {
        lock (this)
        {
            var entries = _entries;
            if (entries.Length >= MaxSignatures || entries.Any(e => e.Signature.AsSpan().SequenceEqual(signature))) return;
            _entries = [.. entries, new Entry(signature, plan)];
        }
    }

    /// <summary>Encodes the input values: per input, (element type, rank, dims…) for a tensor, −1 if absent, −2 otherwise.</summary>
    public static int[] Signature(ExecutionScope scope, int[] slots)
    {
        var code = new List<int>();
        foreach (int slot in slots)
        {
            switch (scope.Peek(slot))
            {
                case Tensor t:
                    code.Add((int)t.DataType);
                    code.Add(t.Rank);
                    code.AddRange(t.Shape);
                    break;
                case null: code.Add(-1); break;
                default: code.Add(-2); break;
            }
        }
        return code.ToArray();
    }

    /// <summary>A readable form of a signature: "float[1,3,224,224]" per input.</summary>
    /// <param name="shown">Per input, whether to include it (initializers that are also inputs are left out).</param>
    public static string Describe(int[] signature, bool[] shown)
    {
        var parts = new List<string>();
        for (int i = 0, input = 0; i < signature.Length; input++)
        {
            int kind = signature[i++];
            bool show = input >= shown.Length || shown[input];
            if (kind < 0)
            {
                if (show) parts.Add(kind == -1 ? "none" : "value");
                continue;
            }
            int rank = signature[i++];
            if (show) parts.Add($"{DataTypes.Name((DataType)kind)}[{string.Join(",", signature.AsSpan(i, rank).ToArray())}]");
            i += rank;
        }
        return string.Join(" ", parts);
    }

    private static bool Matches(int[] signature, ExecutionScope scope, int[] slots)
    {
        int i = 0;
        foreach (int slot in slots)
        {
            if (i >= signature.Length) return false;
            switch (scope.Peek(slot))
            {
                case Tensor t:
                    if (signature[i++] != (int)t.DataType || i >= signature.Length || signature[i++] != t.Rank) return false;
                    if (i + t.Rank > signature.Length) return false;
                    for (int d = 0; d < t.Rank; d++)
                        if (signature[i++] != t.Shape[d]) return false;
                    break;
                case null:
                    if (signature[i++] != -1) return false;
                    break;
                default:
                    if (signature[i++] != -2) return false;
                    break;
            }
        }
        return i == signature.Length;
    }
}
