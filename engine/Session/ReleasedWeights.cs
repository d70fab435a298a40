using System.Buffers;
using System.Runtime.InteropServices;
using NativeInfer.Tensors;

namespace NativeInfer.Session;

/// <summary>
/// Stand-ins for constant weights a session released once every op reading them had packed its own copy: a tensor of
/// the weight's element type and shape whose storage is gone. Shapes, names and identity stay (shape inference, the
/// memory planner and the ops' "is this my packed weight" check see no difference); reading its elements throws an
/// <see cref="InvalidOperationException"/> naming the weight, so a path that would need the data fails loudly instead of
/// computing with garbage.
/// </summary>
public static class ReleasedWeights
{
    /// <summary>True when <paramref name="tensor"/> is a released weight's stand-in (its elements cannot be read).</summary>
    public static bool IsReleased(Tensor tensor) =>
        tensor is Tensor<float> f && MemoryMarshal.TryGetMemoryManager<float, NoStorage>(f.Memory, out _);

    /// <summary>A data-less stand-in of <paramref name="weight"/>'s type and shape, named <paramref name="name"/> in errors.</summary>
    internal static Tensor<float> StandIn(Tensor<float> weight, string name) =>
        new(new NoStorage(name, weight.Length).Memory, weight.Shape);

    /// <summary>Memory of a given length with nothing behind it: every access throws.</summary>
    private sealed class NoStorage(string name, int length) : MemoryManager<float>
    {
        public override Memory<float> Memory => CreateMemory(length);

        public override Span<float> GetSpan() => throw Released();

        public override MemoryHandle Pin(int elementIndex = 0) => throw Released();

        public override void Unpin() { }

        protected override void Dispose(bool disposing) { }

        private InvalidOperationException Released() => new(
            $"The data of constant '{name}' was released after every op reading it packed its own copy; it can no longer be "
            + "read. Set SessionOptions.ReleasePackedWeights = false to keep constant weights readable.");
    }
}
