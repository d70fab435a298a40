using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NativeInfer.Errors;
using NativeInfer.Tensors;

namespace NativeInfer.Runtime;

/// <summary>
/// Writes a run's outputs into tensors the caller allocated (<c>GraphSession.Run(inputs, outputs)</c>): each bound
/// output is copied into its tensor and the result slot then holds that tensor; unbound outputs are dropped (null), so
/// nothing is cloned out of the activation arena for them.
/// </summary>
internal static class OutputBinding
{
    /// <exception cref="InvalidInputException">An output's shape or element type differs from its bound tensor, or the
    /// output is not a tensor.</exception>
    public static void Deliver(Value?[] outputs, Tensor?[] bound, IReadOnlyList<string> names)
    {
        // Check every bound output before copying any (kernels may already have written into the tensors they were offered).
        for (int i = 0; i < outputs.Length && i < bound.Length; i++)
        {
            if (bound[i] is not { } target) continue;
            string name = i < names.Count ? names[i] : $"#{i}";
            if (outputs[i] is not Tensor source)
                throw new InvalidInputException($"Output '{name}' is {(outputs[i] is null ? "absent" : "not a tensor")}; only tensor outputs can be bound.");
            if (source.DataType != target.DataType)
                throw new InvalidInputException(
                    $"Output '{name}' is {DataTypes.Name(source.DataType)} but the bound tensor is {DataTypes.Name(target.DataType)}.");
            if (!source.Shape.AsSpan().SequenceEqual(target.Shape))
                throw new InvalidInputException(
                    $"Output '{name}' has shape {ShapeUtil.Format(source.Shape)} but the bound tensor has shape {ShapeUtil.Format(target.Shape)}.");
        }
        for (int i = 0; i < outputs.Length; i++)
        {
            if (i < bound.Length && bound[i] is { } target)
            {
                var source = (Tensor)outputs[i]!;
                var from = source.RawBytes();
                var to = target.RawBytes();
                // The kernel wrote straight into the caller's memory when the node took the bound offer.
                if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(from), ref MemoryMarshal.GetReference(to))) from.CopyTo(to);
                outputs[i] = target;
            }
            else outputs[i] = null;
        }
    }
}
