using System.Numerics;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// Running state of one output element of a reduction: a value of the element type, a double side slot (the
/// exp-sum of log-sum-exp, the winning index of arg-max) and the number of elements seen so far.
/// </summary>
internal struct Acc<T>
{
    public double Aux;   // first: keeps the struct at 16 bytes for 4-byte T
    public T Value;
    public int Count;
}

/// <summary>
/// One reduction (sum, max, log-sum-exp, ...) as three static steps, so <see cref="ReduceDriver"/> compiles a
/// specialized loop per reduction and element type. Implementations are empty structs.
/// </summary>
internal interface IReduction
{
    /// <summary>The state of an empty reduction (its identity element).</summary>
    static abstract Acc<T> Init<T>() where T : unmanaged, INumber<T>;

    static abstract void Step<T>(ref Acc<T> acc, T x) where T : unmanaged, INumber<T>;

    /// <summary>The result from the final state; <paramref name="count"/> elements were folded in.</summary>
    static abstract T Finish<T>(in Acc<T> acc, int count) where T : unmanaged, INumber<T>;
}

/// <summary>Numeric helpers shared by the reductions of this family.</summary>
internal static class NumericLimits
{
    /// <summary>-inf for floating types, the minimum value for integers.</summary>
    public static T Lowest<T>() where T : INumber<T> => T.CreateSaturating(double.NegativeInfinity);

    /// <summary>+inf for floating types, the maximum value for integers.</summary>
    public static T Highest<T>() where T : INumber<T> => T.CreateSaturating(double.PositiveInfinity);

    public static double ToDouble<T>(T v) where T : INumber<T> => double.CreateTruncating(v);

    /// <summary>e^x in T's own precision for float and double, through double otherwise.</summary>
    public static T Exp<T>(T x) where T : INumber<T>
    {
        if (typeof(T) == typeof(float)) return (T)(object)MathF.Exp((float)(object)x);
        if (typeof(T) == typeof(double)) return (T)(object)Math.Exp((double)(object)x);
        return FromDouble<T>(Math.Exp(ToDouble(x)));
    }

    /// <summary>Converts a double result to T (integers truncate toward zero, NaN becomes 0 for integers).</summary>
    public static T FromDouble<T>(double v) where T : INumber<T> => T.CreateSaturating(v);
}
