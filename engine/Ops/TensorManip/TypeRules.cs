using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>Small helpers for the family's shape/type inference (<see cref="Op.InferOutputs"/>).</summary>
internal static class TypeRules
{
    /// <summary>Input i's type, or null when unknown or absent.</summary>
    public static TypeInfo? At(TypeInfo?[] inputs, int i) => i < inputs.Length ? inputs[i] : null;

    /// <summary>A tensor of input i's element type with the given shape (null = unknown); null when input i is unknown.</summary>
    public static TypeInfo? Like(TypeInfo?[] inputs, int i, Dim[]? shape = null) =>
        At(inputs, i) is { Kind: ValueKind.Tensor } t ? TypeInfo.Tensor(t.ElementType, shape) : null;

    /// <summary><paramref name="count"/> outputs of input i's element type, shapes unknown.</summary>
    public static TypeInfo?[] SameElementType(TypeInfo?[] inputs, int i, int count)
    {
        var r = new TypeInfo?[count];
        for (int k = 0; k < count; k++) r[k] = Like(inputs, i);
        return r;
    }

    /// <summary>The values of a constant integer input (an initializer), else null.</summary>
    public static long[]? ConstInts(OpBuildContext node, int i) => node.ConstantInput(i)?.ToInt64Array();

    /// <summary>Known dims as an IR shape.</summary>
    public static Dim[] Known(ReadOnlySpan<int> dims)
    {
        var r = new Dim[dims.Length];
        for (int i = 0; i < dims.Length; i++) r[i] = Dim.Known(dims[i]);
        return r;
    }
}
