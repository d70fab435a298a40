using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Whole-tensor element type conversion for Cast and CastLike: every pair among the numeric types, bfloat16, bool and
/// string. Numeric pairs convert directly (<see cref="ScalarCast"/>), strings through <see cref="StringCast"/>.
/// </summary>
internal static class ElementCast
{
    public static Tensor Convert(Tensor src, DataType target)
    {
        if (src.DataType == target) return src;
        if (!DataTypes.IsSupported(target))
            throw new NotSupportedException($"Cast to {DataTypes.Name(target)} is not supported.");
        return Dispatch.Any<SourceFunc, Tensor>(src.DataType, new SourceFunc(src, target));
    }

    private readonly struct SourceFunc(Tensor src, DataType target) : IAnyFunc<Tensor>
    {
        public Tensor Invoke<TS>() =>
            Dispatch.Any<TargetFunc<TS>, Tensor>(target, new TargetFunc<TS>(src.As<TS>()));
    }

    private readonly struct TargetFunc<TS>(Tensor<TS> src) : IAnyFunc<Tensor>
    {
        public Tensor Invoke<TD>()
        {
            if (typeof(TD) == typeof(string)) return UnaryLoop.Map<TS, string, ToText<TS>>(src, default);
            if (typeof(TS) == typeof(string)) return UnaryLoop.Map<string, TD, FromText<TD>>(src.As<string>(), default);
            return UnaryLoop.Map<TS, TD, Numeric<TS, TD>>(src, default);
        }
    }

    private readonly struct Numeric<TS, TD> : IUnaryKernel<TS, TD>
    {
        public TD Invoke(TS x) => ScalarCast.Convert<TS, TD>(x);
    }

    private readonly struct ToText<TS> : IUnaryKernel<TS, string>
    {
        public string Invoke(TS x) => StringCast.Format(x);
    }

    private readonly struct FromText<TD> : IUnaryKernel<string, TD>
    {
        public TD Invoke(string x) => StringCast.Parse<TD>(x);
    }
}
