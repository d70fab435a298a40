using System.Runtime.Intrinsics;

namespace NativeInfer.Kernels.Cpu.Elementwise;

/// <summary>
/// A lane-wise r = f(a, b) on element type <typeparamref name="T"/> (float or double) at every SIMD width plus the
/// scalar form, which must give the same result as a lane. Driven by <see cref="BinaryKernel"/>.
/// </summary>
public interface IBinaryOperator<T> where T : unmanaged
{
    T Invoke(T a, T b);
    Vector512<T> Invoke(Vector512<T> a, Vector512<T> b);
    Vector256<T> Invoke(Vector256<T> a, Vector256<T> b);
    Vector128<T> Invoke(Vector128<T> a, Vector128<T> b);
}
