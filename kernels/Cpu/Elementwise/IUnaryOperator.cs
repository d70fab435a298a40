using System.Runtime.Intrinsics;

namespace NativeInfer.Kernels.Cpu.Elementwise;

/// <summary>
/// A lane-wise float32 function y = f(x) at every SIMD width, driven by <see cref="UnaryKernel.Map"/>. A struct
/// implementation (attributes as fields) lets the driver specialize and inline it.
/// </summary>
public interface IUnaryOperator
{
    Vector512<float> Invoke(Vector512<float> x);
    Vector256<float> Invoke(Vector256<float> x);
    Vector128<float> Invoke(Vector128<float> x);
}
