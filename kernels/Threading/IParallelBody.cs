namespace NativeInfer.Kernels.Threading;

/// <summary>
/// The body of an allocation-free parallel loop (<see cref="KernelParallelism.For{TBody}(int, int, ref TBody)"/>): a
/// struct holding what the loop reads (spans cannot be fields: keep arrays, pointers or offsets), invoked once per
/// index, possibly from several threads at once.
/// </summary>
public interface IParallelBody
{
    void Invoke(int index);
}
