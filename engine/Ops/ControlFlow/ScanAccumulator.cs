using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.ControlFlow;

/// <summary>
/// Collects the per-iteration values of one scan output of a Loop or Scan body and stacks them along a new axis at the
/// end. Every iteration must produce a tensor of the same element type and shape. The running total is checked against
/// the tensor size limit as it grows, so a long loop fails early instead of exhausting memory.
/// </summary>
internal sealed class ScanAccumulator(string owner, string outputName, TypeInfo? declared)
{
    private readonly List<Tensor> _items = new();
    private long _elements;

    public int Count => _items.Count;

    public void Add(Value? value)
    {
        if (value is not Tensor t)
            throw new InvalidOperationException(
                $"{owner}: scan output '{outputName}' must be a tensor, got {(value is null ? "nothing" : FlowValues.Describe(value))}.");
        if (_items.Count > 0)
        {
            var first = _items[0];
            if (t.DataType != first.DataType || !t.Shape.AsSpan().SequenceEqual(first.Shape))
                throw new ShapeMismatchException(
                    $"{owner}: scan output '{outputName}' is {t} in iteration {_items.Count} but {first} in iteration 0.");
        }
        _elements += t.Length;
        TensorLimits.CheckAllocation(_elements, t.DataType);
        _items.Add(t);
    }

    /// <summary>
    /// The collected values stacked along a new axis <paramref name="axis"/> (last iteration first when
    /// <paramref name="reverse"/>). With no iterations: an empty tensor of the declared element type and shape.
    /// </summary>
    public Tensor Stack(int axis, bool reverse)
    {
        if (_items.Count == 0) return Empty(axis);
        IReadOnlyList<Tensor> items = _items;
        if (reverse)
        {
            var r = new List<Tensor>(_items);
            r.Reverse();
            items = r;
        }
        return TensorBlocks.Concat(items, axis, newAxis: true);
    }

    /// <summary>The values of the iterations collected so far, in order.</summary>
    public IReadOnlyList<Tensor> Items => _items;

    private Tensor Empty(int axis)
    {
        var type = FlowValues.DeclaredElementType(declared);
        var dims = declared?.Shape?.Select(x => x.IsKnown ? (int)x.Value : 0).ToArray() ?? [];
        return Tensor.Create(type, TensorBlocks.InsertAxis(dims, Math.Min(axis, dims.Length), 0));
    }
}
