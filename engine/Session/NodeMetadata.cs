using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Session;

/// <summary>Describes one model input or output: element type and dimensions (-1 with a symbol for dynamic dims).</summary>
public sealed record NodeMetadata(string Name, ValueKind Kind, DataType ElementType, long[] Dimensions, string?[] SymbolicDimensions)
{
    internal static NodeMetadata From(ValueInfo info)
    {
        var t = info.Type;
        var shape = t?.Shape ?? Array.Empty<Dim>();
        return new NodeMetadata(info.Name, t?.Kind ?? ValueKind.Tensor, t?.ElementType ?? DataType.Undefined,
            shape.Select(d => d.IsKnown ? d.Value : -1).ToArray(), shape.Select(d => d.Symbol).ToArray());
    }

    public string ShapeString => "[" + string.Join(",", Dimensions.Select((d, i) => d >= 0 ? d.ToString() : SymbolicDimensions[i] ?? "?")) + "]";
}
