using NativeInfer.Kernels.Gpu.Typed;
using NativeInfer.Tensors;

namespace NativeInfer.Gpu.Ops;

/// <summary>
/// The ops of any standard element type (float, double, float16, bfloat16, the integers, bool) on the
/// <see cref="GpuTyped"/> kernels: Cast, CastLike, comparisons (bool outputs), And/Or/Xor/Not, Where, Expand, Tile,
/// arithmetic and Max/Min of non-float32 types (float32 keeps its own kernels, registered first), Mod, BitShift,
/// Bitwise*, IsNaN, IsInf. Integer Div and Mod read the divisor on the host to refuse a zero.
/// </summary>
public static class GpuTypedOps
{
    public static void Register(GpuOpTable t)
    {
        t.Register("Cast", ctx =>
        {
            var to = (DataType)ctx.Attributes.Int("to", 0);
            return Typed(ctx, 0) is { } from && Handles(to) && ctx.Build.InputCount == 1 ? new GpuConvertOp(to) : null;
        });
        t.Register("CastLike", ctx =>
            Typed(ctx, 0) is not null && Typed(ctx, 1) is { } to && ctx.Build.InputCount == 2 ? new GpuConvertOp(to) : null);

        foreach (var (name, op) in new[] { ("Equal", GpuTyped.Equal), ("Less", GpuTyped.Less), ("LessOrEqual", GpuTyped.LessOrEqual),
                     ("Greater", GpuTyped.Greater), ("GreaterOrEqual", GpuTyped.GreaterOrEqual) })
            t.Register(name, ctx => SameTyped(ctx, 2) is not null ? new GpuTypedBinaryOp(op, DataType.Bool) : null);
        foreach (var (name, op) in new[] { ("And", GpuTyped.And), ("Or", GpuTyped.Or), ("Xor", GpuTyped.Xor) })
            t.Register(name, ctx => SameTyped(ctx, 2) == DataType.Bool ? new GpuTypedBinaryOp(op, DataType.Bool) : null);
        foreach (var (name, op) in new[] { ("BitwiseAnd", GpuTyped.BitAnd), ("BitwiseOr", GpuTyped.BitOr), ("BitwiseXor", GpuTyped.BitXor) })
            t.Register(name, ctx => SameTyped(ctx, 2) is { } d && DataTypes.IsInteger(d) ? new GpuTypedBinaryOp(op, null) : null);
        t.Register("BitShift", ctx =>
        {
            if (SameTyped(ctx, 2) is not ({ } d and (DataType.UInt8 or DataType.UInt16 or DataType.UInt32 or DataType.UInt64))) return null;
            return ctx.Attributes.String("direction", "") switch
            {
                "LEFT" => new GpuTypedBinaryOp(GpuTyped.ShiftLeft, null),
                "RIGHT" => new GpuTypedBinaryOp(GpuTyped.ShiftRight, null),
                _ => null,
            };
        });

        // Arithmetic of the other types (float32 has its own kernels, asked first).
        foreach (var (name, op) in new[] { ("Add", GpuTyped.Add), ("Sub", GpuTyped.Sub), ("Mul", GpuTyped.Mul) })
            t.RegisterAfter(name, ctx => Arithmetic(ctx) ? new GpuTypedBinaryOp(op, null) : null);
        t.RegisterAfter("Div", ctx => Arithmetic(ctx) ? new GpuTypedBinaryOp(GpuTyped.Div, null, checkDivisor: !IsFloat(Typed(ctx, 0))) : null);
        t.Register("Mod", ctx =>
        {
            if (!Arithmetic(ctx)) return null;
            bool fmod = ctx.Attributes.Int("fmod", 0) != 0;
            bool isFloat = IsFloat(Typed(ctx, 0));
            if (isFloat && !fmod) return null;   // ONNX requires fmod=1 for floats
            return new GpuTypedBinaryOp(fmod ? GpuTyped.FMod : GpuTyped.Mod, null, checkDivisor: !isFloat);
        });
        t.RegisterAfter("Pow", ctx =>
            ctx.Build.InputCount == 2 && Typed(ctx, 0) is { } b && Typed(ctx, 1) is { } e && b != DataType.Bool && e != DataType.Bool
                ? new GpuTypedBinaryOp(GpuTyped.Pow, null) : null);
        foreach (var (name, op) in new[] { ("Max", GpuTyped.Max), ("Min", GpuTyped.Min), ("Sum", GpuTyped.Add) })
            t.RegisterAfter(name, ctx => Variadic(ctx) is { } d && d != DataType.Bool ? new GpuVariadicOp(op) : null);

        t.Register("Not", ctx => ctx.Build.InputCount == 1 && Typed(ctx, 0) == DataType.Bool ? new GpuTypedUnaryOp(GpuTyped.Not, DataType.Bool) : null);
        t.Register("BitwiseNot", ctx => ctx.Build.InputCount == 1 && Typed(ctx, 0) is { } d && DataTypes.IsInteger(d) ? new GpuTypedUnaryOp(GpuTyped.BitwiseNot, null) : null);
        t.Register("IsNaN", ctx => ctx.Build.InputCount == 1 && IsFloat(Typed(ctx, 0)) ? new GpuTypedUnaryOp(GpuTyped.IsNaN, DataType.Bool) : null);
        t.Register("IsInf", ctx => ctx.Build.InputCount == 1 && IsFloat(Typed(ctx, 0))
            ? new GpuTypedUnaryOp(GpuTyped.IsInf, DataType.Bool, (int)ctx.Attributes.Int("detect_positive", 1), (int)ctx.Attributes.Int("detect_negative", 1))
            : null);
        foreach (var (name, op) in new[] { ("Abs", GpuTyped.Abs), ("Neg", GpuTyped.Neg), ("Sign", GpuTyped.Sign) })
            t.RegisterAfter(name, ctx => ctx.Build.InputCount == 1 && Typed(ctx, 0) is { } d && d != DataType.Bool ? new GpuTypedUnaryOp(op, null) : null);

        t.Register("Where", ctx =>
            ctx.Build.InputCount == 3 && Typed(ctx, 0) == DataType.Bool && Typed(ctx, 1) is { } x && Typed(ctx, 2) == x ? new GpuWhereOp() : null);
        t.Register("Expand", ctx => ctx.Build.InputCount == 2 && Typed(ctx, 0) is not null && ctx.Build.Opset >= 8 ? new GpuExpandOp() : null);
        t.Register("Tile", ctx => ctx.Build.InputCount == 2 && Typed(ctx, 0) is not null && ctx.Build.Opset >= 6 ? new GpuTileOp() : null);
    }

    internal static bool Handles(DataType t) => GpuScalar.Handles((int)t);

    private static bool IsFloat(DataType? t) => t is { } d && GpuScalar.IsFloat((int)d);

    /// <summary>The element type of input i when it is a tensor of a type the typed kernels handle.</summary>
    internal static DataType? Typed(GpuOpBuildContext ctx, int i) =>
        ctx.Build.HasInput(i) && i < ctx.InputTypes.Length && ctx.InputTypes[i] is { Kind: IR.ValueKind.Tensor } t && Handles(t.ElementType)
            ? t.ElementType : null;

    /// <summary>The common element type of exactly <paramref name="n"/> present inputs, or null.</summary>
    private static DataType? SameTyped(GpuOpBuildContext ctx, int n)
    {
        if (ctx.Build.InputCount != n) return null;
        DataType? first = Typed(ctx, 0);
        for (int i = 1; i < n; i++) if (Typed(ctx, i) != first) return null;
        return first;
    }

    /// <summary>Two inputs of one numeric type that is not float32 (float32 has its own kernels).</summary>
    private static bool Arithmetic(GpuOpBuildContext ctx) =>
        SameTyped(ctx, 2) is { } d && d is not DataType.Bool && !ctx.Attributes.Has("broadcast");

    private static DataType? Variadic(GpuOpBuildContext ctx)
    {
        if (ctx.Build.InputCount < 1) return null;
        DataType? first = Typed(ctx, 0);
        for (int i = 1; i < ctx.Build.InputCount; i++) if (Typed(ctx, i) != first) return null;
        return first;
    }

    internal static GpuTyped Kernels(GpuOpContext ctx) => ctx.Device.Kernel(typeof(GpuTyped), a => new GpuTyped(a));
}

/// <summary>Cast / CastLike to a fixed element type.</summary>
internal sealed class GpuConvertOp(DataType to) : GpuOp
{
    public override DataType OutputType(int i, DataType input0) => to;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        if (x.DataType == to) return [x];
        var y = ctx.Allocate(to, x.Shape);
        GpuTypedOps.Kernels(ctx).Unary(ctx.Stream, GpuTyped.Convert, x.Raw, (int)x.DataType, y.Raw, (int)to, x.Length);
        return [y];
    }
}

/// <summary>A unary function of any handled type; the output keeps the input's type unless one is given.</summary>
internal sealed class GpuTypedUnaryOp(int op, DataType? output, int p0 = 0, int p1 = 0) : GpuOp
{
    public override DataType OutputType(int i, DataType input0) => output ?? input0;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        var type = output ?? x.DataType;
        var y = ctx.Allocate(type, x.Shape);
        GpuTypedOps.Kernels(ctx).Unary(ctx.Stream, op, x.Raw, (int)x.DataType, y.Raw, (int)type, x.Length, p0, p1);
        return [y];
    }
}

/// <summary>A broadcasting binary function of any handled type (bool output for comparisons and logic).</summary>
internal sealed class GpuTypedBinaryOp(int op, DataType? output, bool checkDivisor = false) : GpuOp
{
    public override bool ReadsOnHost(int i) => checkDivisor && i == 1;

    public override DataType OutputType(int i, DataType input0) => output ?? input0;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var a = inputs.Req(0);
        GpuTensor b;
        GpuTensor? uploaded = null;
        if (checkDivisor)
        {
            var host = inputs.Host(1) ?? throw new ArgumentException("The divisor is missing.");
            for (int i = 0; i < host.Length; i++)
                if (host.GetDouble(i) == 0) throw new DivideByZeroException($"{ctx.Node.OpType}: integer division by zero (divisor element {i}).");
            b = uploaded = ctx.Upload(host);
        }
        else b = inputs.Req(1);
        var shape = ShapeUtil.Broadcast(a.Shape, b.Shape);
        var type = output ?? a.DataType;
        var y = ctx.Allocate(type, shape);
        GpuTypedOps.Kernels(ctx).Binary(ctx.Stream, op, a.Raw, (int)a.DataType, b.Raw, (int)b.DataType, y.Raw, (int)type, y.Length, shape, a.Shape, b.Shape);
        if (uploaded is not null) ctx.Free(uploaded);
        return [y];
    }
}

/// <summary>Max, Min or Sum of one or more inputs with broadcasting, folded left to right.</summary>
internal sealed class GpuVariadicOp(int op) : GpuOp
{
    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var acc = inputs.Req(0);
        if (inputs.Count == 1) return [acc];
        var kernels = GpuTypedOps.Kernels(ctx);
        for (int k = 1; k < inputs.Count; k++)
        {
            var b = inputs.Req(k);
            if (b.DataType != acc.DataType) throw new ArgumentException($"{ctx.Node.OpType}: input {k} is {DataTypes.Name(b.DataType)}, not {DataTypes.Name(acc.DataType)}.");
            var shape = ShapeUtil.Broadcast(acc.Shape, b.Shape);
            var y = ctx.Allocate(acc.DataType, shape);
            kernels.Binary(ctx.Stream, op, acc.Raw, (int)acc.DataType, b.Raw, (int)b.DataType, y.Raw, (int)y.DataType, y.Length, shape, acc.Shape, b.Shape);
            if (k > 1) ctx.Free(acc);
            acc = y;
        }
        return [acc];
    }
}

/// <summary>Where(cond, x, y) with broadcasting of all three.</summary>
internal sealed class GpuWhereOp : GpuOp
{
    public override DataType OutputType(int i, DataType input0) => DataType.Undefined;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var c = inputs.Req(0);
        var x = inputs.Req(1);
        var z = inputs.Req(2);
        if (c.DataType != DataType.Bool || x.DataType != z.DataType)
            throw new ArgumentException($"Where needs a bool condition and two values of one type, got {c}, {x}, {z}.");
        var shape = ShapeUtil.Broadcast(ShapeUtil.Broadcast(c.Shape, x.Shape), z.Shape);
        var y = ctx.Allocate(x.DataType, shape);
        GpuTypedOps.Kernels(ctx).Where(ctx.Stream, c.Raw, c.Shape, x.Raw, x.Shape, z.Raw, z.Shape, y.Raw, shape, DataTypes.SizeOf(x.DataType));
        return [y];
    }
}

/// <summary>Expand: x broadcast with a shape read on the host (numpy rules, both directions).</summary>
internal sealed class GpuExpandOp : GpuOp
{
    public override bool ReadsOnHost(int i) => i == 1;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        var spec = inputs.Host(1)?.ToInt64Array() ?? throw new ArgumentException("Expand needs a shape.");
        var target = new int[spec.Length];
        for (int i = 0; i < spec.Length; i++)
            target[i] = spec[i] is >= 0 and <= int.MaxValue ? (int)spec[i] : throw new ArgumentException($"Expand: invalid dimension {spec[i]}.");
        var shape = ShapeUtil.Broadcast(x.Shape, target);
        var y = ctx.Allocate(x.DataType, shape);
        GpuTypedOps.Kernels(ctx).Expand(ctx.Stream, x.Raw, x.Shape, y.Raw, shape, DataTypes.SizeOf(x.DataType));
        return [y];
    }
}

/// <summary>Tile: x repeated along each dim by the repeats read on the host.</summary>
internal sealed class GpuTileOp : GpuOp
{
    public override bool ReadsOnHost(int i) => i == 1;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        var repeats = inputs.Host(1)?.ToInt64Array() ?? throw new ArgumentException("Tile needs repeats.");
        if (repeats.Length != x.Rank) throw new ArgumentException($"Tile: {repeats.Length} repeats for rank {x.Rank}.");
        var shape = new int[x.Rank];
        for (int d = 0; d < x.Rank; d++)
        {
            if (repeats[d] < 0) throw new ArgumentException($"Tile: negative repeat {repeats[d]}.");
            shape[d] = checked((int)(x.Shape[d] * repeats[d]));
        }
        var y = ctx.Allocate(x.DataType, shape);
        if (y.Length > 0) GpuTypedOps.Kernels(ctx).Tile(ctx.Stream, x.Raw, x.Shape, y.Raw, shape, DataTypes.SizeOf(x.DataType));
        return [y];
    }
}
