namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Registers the elementwise family: casts, broadcasting binary arithmetic/comparison/logic/bitwise ops, Where, Clip,
/// the variadic Max/Min/Sum/Mean and the unary math and activation ops. Each op handles every opset from its first
/// version (attribute/input changes are read from the node's opset), so it is registered once.
/// </summary>
internal static class ElementwiseOps
{
    public static void Register(OpRegistry r)
    {
        r.Register("Add", 1, ctx => new Add(ctx));
        r.Register("Sub", 1, ctx => new Sub(ctx));
        r.Register("Mul", 1, ctx => new Mul(ctx));
        r.Register("Div", 1, ctx => new Div(ctx));
        r.Register("Pow", 1, ctx => new Pow(ctx));
        r.Register("Mod", 10, ctx => new Mod(ctx));
        r.Register("And", 1, ctx => new And(ctx));
        r.Register("Or", 1, ctx => new Or(ctx));
        r.Register("Xor", 1, ctx => new Xor(ctx));
        r.Register("Equal", 1, ctx => new Equal(ctx));
        r.Register("Less", 1, ctx => new Less(ctx));
        r.Register("Greater", 1, ctx => new Greater(ctx));
        r.Register("LessOrEqual", 12, ctx => new LessOrEqual(ctx));
        r.Register("GreaterOrEqual", 12, ctx => new GreaterOrEqual(ctx));
        r.Register("BitShift", 11, ctx => new BitShift(ctx));
        r.Register("BitwiseAnd", 18, ctx => new BitwiseAnd(ctx));
        r.Register("BitwiseOr", 18, ctx => new BitwiseOr(ctx));
        r.Register("BitwiseXor", 18, ctx => new BitwiseXor(ctx));
        r.Register("BitwiseNot", 18, ctx => new BitwiseNot(ctx));
        r.Register("PRelu", 1, ctx => new PRelu(ctx));
        r.Register("Clip", 1, ctx => new Clip(ctx));
        r.Register("Max", 1, ctx => new Max(ctx));
        r.Register("Min", 1, ctx => new Min(ctx));
        r.Register("Sum", 1, ctx => new Sum(ctx));
        r.Register("Mean", 1, ctx => new Mean(ctx));
        r.Register("Abs", 1, ctx => new Abs(ctx));
        r.Register("Neg", 1, ctx => new Neg(ctx));
        r.Register("Sqrt", 1, ctx => new Sqrt(ctx));
        r.Register("Exp", 1, ctx => new Exp(ctx));
        r.Register("Log", 1, ctx => new Log(ctx));
        r.Register("Sin", 7, ctx => new Sin(ctx));
        r.Register("Cos", 7, ctx => new Cos(ctx));
        r.Register("Tan", 7, ctx => new Tan(ctx));
        r.Register("Asin", 7, ctx => new Asin(ctx));
        r.Register("Acos", 7, ctx => new Acos(ctx));
        r.Register("Atan", 7, ctx => new Atan(ctx));
        r.Register("Sinh", 9, ctx => new Sinh(ctx));
        r.Register("Cosh", 9, ctx => new Cosh(ctx));
        r.Register("Asinh", 9, ctx => new Asinh(ctx));
        r.Register("Acosh", 9, ctx => new Acosh(ctx));
        r.Register("Atanh", 9, ctx => new Atanh(ctx));
        r.Register("Sigmoid", 1, ctx => new Sigmoid(ctx));
        r.Register("Tanh", 1, ctx => new Tanh(ctx));
        r.Register("Relu", 1, ctx => new Relu(ctx));
        r.Register("Elu", 1, ctx => new Elu(ctx));
        r.Register("Selu", 1, ctx => new Selu(ctx));
        r.Register("Celu", 12, ctx => new Celu(ctx));
        r.Register("LeakyRelu", 1, ctx => new LeakyRelu(ctx));
        r.Register("HardSigmoid", 1, ctx => new HardSigmoid(ctx));
        r.Register("HardSwish", 14, ctx => new HardSwish(ctx));
        r.Register("Softplus", 1, ctx => new Softplus(ctx));
        r.Register("Softsign", 1, ctx => new Softsign(ctx));
        r.Register("Mish", 18, ctx => new Mish(ctx));
        r.Register("Gelu", 20, ctx => new Gelu(ctx));
        r.Register("Swish", 24, ctx => new Swish(ctx));
        r.Register("ThresholdedRelu", 10, ctx => new ThresholdedRelu(ctx));
        r.Register("Shrink", 9, ctx => new Shrink(ctx));
        r.Register("Erf", 9, ctx => new Erf(ctx));
        r.Register("Sign", 9, ctx => new Sign(ctx));
        r.Register("Floor", 1, ctx => new Floor(ctx));
        r.Register("Ceil", 1, ctx => new Ceil(ctx));
        r.Register("Round", 11, ctx => new Round(ctx));
        r.Register("Reciprocal", 1, ctx => new Reciprocal(ctx));
        r.Register("IsNaN", 9, ctx => new IsNaN(ctx));
        r.Register("IsInf", 10, ctx => new IsInf(ctx));
        r.Register("Not", 1, ctx => new Not(ctx));
        r.Register("Cast", 1, ctx => new Cast(ctx));
        r.Register("Where", 9, _ => new Where());
        r.Register("CastLike", 15, ctx => new CastLike(ctx));
    }
}
