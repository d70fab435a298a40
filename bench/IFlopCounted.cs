namespace NativeInfer.Bench;

/// <summary>
/// A BenchmarkDotNet benchmark class that knows how much arithmetic one benchmark operation does. The summary then
/// shows GFLOP/s and the fraction of this machine's measured FP32 peak (one thread and all cores) for each case
/// (<see cref="Columns.FlopColumns"/>).
/// <para>
/// Contract: <see cref="Flops"/> is the floating-point operations of ONE operation (one call of the benchmark method,
/// or one of its <c>OperationsPerInvoke</c>); a fused multiply-add counts as 2. It must be computable from the
/// <c>[Params]</c> fields/properties alone: the summary column creates a fresh instance with the case's parameters set
/// and reads it, without running <c>[GlobalSetup]</c>. Return 0 (or NaN) for a case it does not apply to.
/// </para>
/// </summary>
public interface IFlopCounted
{
    /// <summary>Floating-point operations per benchmark operation (multiply-add = 2).</summary>
    double Flops { get; }
}
