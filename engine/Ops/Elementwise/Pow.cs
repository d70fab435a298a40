using System.Numerics;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Pow: Z = X ^ Y with multidirectional broadcasting; the exponent may have another numeric type than the base and Z
/// has the base's type. Integer ^ integer is exact (wrapping) repeated multiplication; otherwise computed in double
/// and converted (truncating for an integer base). float16/bfloat16 operands are widened to float.
/// </summary>
internal sealed class Pow(OpBuildContext ctx) : BinaryOp(ctx)
{
    protected override Tensor Apply(Tensor a, Tensor b)
    {
        // float ^ 2 (any exponent type): x * x is the double-computed power rounded once, exactly.
        if (a is Tensor<float> af && b.Length == 1 && b.DataType is not (DataType.Bool or DataType.String) && b.GetDouble(0) == 2)
        {
            var shape = ShapeUtil.Broadcast(a.Shape, b.Shape);
            return FastElementwise.Binary(af, af, default(MultiplyOperator<float>)).Reshape(shape);
        }
        var x = FloatWidening.Widen(a);
        var y = FloatWidening.Widen(b);
        var z = TypeDispatch.Numeric<BaseFunc, Tensor>(x.DataType, new BaseFunc(x, y), Name);
        return FloatWidening.Narrow(z, a.DataType);
    }

    private readonly struct BaseFunc(Tensor x, Tensor y) : INumericFunc<Tensor>
    {
        public Tensor Invoke<T>() where T : unmanaged, INumber<T> =>
            TypeDispatch.Numeric<ExponentFunc<T>, Tensor>(y.DataType, new ExponentFunc<T>(x, y), "Pow");
    }

    private readonly struct ExponentFunc<T>(Tensor x, Tensor y) : INumericFunc<Tensor> where T : unmanaged, INumber<T>
    {
        public Tensor Invoke<TE>() where TE : unmanaged, INumber<TE> =>
            BroadcastLoop.Binary<T, TE, T, Kernel<T, TE>>(x.As<T>(), y.As<TE>(), default);
    }

    private readonly struct Kernel<T, TE> : IBinaryKernel<T, TE, T> where T : unmanaged, INumber<T> where TE : unmanaged, INumber<TE>
    {
        public T Invoke(T a, TE b)
        {
            if (!NumericTraits.IsFloat<T>() && !NumericTraits.IsFloat<TE>()) return IntegerPower(a, long.CreateTruncating(b));
            double r = Math.Pow(double.CreateTruncating(a), double.CreateTruncating(b));
            if (NumericTraits.IsFloat<T>()) return T.CreateTruncating(r);
            return double.IsFinite(r) ? T.CreateTruncating(Math.Truncate(r)) : T.Zero;
        }

        private static T IntegerPower(T a, long e)
        {
            if (e < 0)
            {
                // 1 / a^|e| truncated: only bases 1 and -1 give a non-zero result.
                if (a == T.One) return T.One;
                if (NumericTraits.IsSignedInteger<T>() && a == T.Zero - T.One) return (e & 1) == 0 ? T.One : a;
                return T.Zero;
            }
            T r = T.One;
            while (e != 0)
            {
                if ((e & 1) != 0) r *= a;
                a *= a;
                e >>= 1;
            }
            return r;
        }
    }
}
