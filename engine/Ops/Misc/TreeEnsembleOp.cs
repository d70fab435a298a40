using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// ai.onnx.ml TreeEnsemble (opset 5): evaluates every tree (tree_roots) on each row of X [N, F]. An interior node
/// compares X[nodes_featureids] with nodes_splits by nodes_modes (LEQ, LT, GTE, GT, EQ, NEQ, or MEMBER of its set in
/// membership_values, sets separated by NaN in node order); NaN features follow the true branch where
/// nodes_missing_value_tracks_true says so. Children are nodes or leaves (nodes_trueleafs / nodes_falseleafs); a leaf adds
/// leaf_weights to target leaf_targetids. Trees combine by aggregate_function (AVERAGE, SUM, MIN, MAX) into
/// [N, n_targets], then post_transform (NONE, SOFTMAX, LOGISTIC, SOFTMAX_ZERO, PROBIT) applies.
/// </summary>
internal sealed class TreeEnsembleOp : TensorOp
{
    private const string Op = "TreeEnsemble";
    private enum Aggregate { Average, Sum, Min, Max }

    private readonly Aggregate _aggregate;
    private readonly int _postTransform;
    private readonly int _targets;
    private readonly long[] _roots, _features, _trueIds, _falseIds, _leafTargets;
    private readonly bool[] _trueLeaf, _falseLeaf, _missingTrue;
    private readonly int[] _modes;
    private readonly double[] _splits, _leafWeights;
    private readonly HashSet<double>?[] _members;
    private readonly long _maxFeature;

    public TreeEnsembleOp(OpBuildContext ctx)
    {
        var a = ctx.Attributes;
        long agg = a.Int("aggregate_function", 1);
        if (agg is < 0 or > 3) throw new NotSupportedException($"{Op}: aggregate_function {agg} is not supported.");
        _aggregate = (Aggregate)agg;
        long post = a.Int("post_transform", 0);
        if (post is < 0 or > 4) throw new NotSupportedException($"{Op}: post_transform {post} is not supported.");
        _postTransform = (int)post;
        long targets = a.Int("n_targets");
        if (targets < 1 || targets > Array.MaxLength) throw new NotSupportedException($"{Op}: n_targets {targets} is out of range.");
        _targets = (int)targets;
        _roots = Required(a.Ints("tree_roots"), "tree_roots");
        _features = Required(a.Ints("nodes_featureids"), "nodes_featureids");
        _trueIds = Required(a.Ints("nodes_truenodeids"), "nodes_truenodeids");
        _falseIds = Required(a.Ints("nodes_falsenodeids"), "nodes_falsenodeids");
        _trueLeaf = Flags(Required(a.Ints("nodes_trueleafs"), "nodes_trueleafs"));
        _falseLeaf = Flags(Required(a.Ints("nodes_falseleafs"), "nodes_falseleafs"));
        _missingTrue = Flags(a.Tensor("nodes_missing_value_tracks_true")?.ToInt64Array() ?? a.Ints("nodes_missing_value_tracks_true")
            ?? new long[_features.Length]);
        _modes = (Required(a.Tensor("nodes_modes"), "nodes_modes").ToInt64Array()).Select(m => (int)m).ToArray();
        _splits = MiscTensors.ToDoubles(Required(a.Tensor("nodes_splits"), "nodes_splits"));
        _leafTargets = Required(a.Ints("leaf_targetids"), "leaf_targetids");
        _leafWeights = MiscTensors.ToDoubles(Required(a.Tensor("leaf_weights"), "leaf_weights"));

        int nodes = _features.Length, leaves = _leafTargets.Length;
        if (new[] { _trueIds.Length, _falseIds.Length, _trueLeaf.Length, _falseLeaf.Length, _missingTrue.Length, _modes.Length, _splits.Length }
            .Any(l => l != nodes) || _leafWeights.Length != leaves)
            throw new NotSupportedException($"{Op}: the nodes_* (or leaf_*) attributes differ in length.");
        for (int i = 0; i < nodes; i++)
        {
            if (_modes[i] is < 0 or > 6) throw new NotSupportedException($"{Op}: node mode {_modes[i]} is not supported.");
            if (_features[i] < 0) throw new NotSupportedException($"{Op}: node {i} has a negative feature id.");
            CheckChild(_trueIds[i], _trueLeaf[i], nodes, leaves);
            CheckChild(_falseIds[i], _falseLeaf[i], nodes, leaves);
        }
        foreach (long t in _leafTargets)
            if (t < 0 || t >= _targets) throw new NotSupportedException($"{Op}: leaf target {t} is outside [0, {_targets}).");
        foreach (long r in _roots)
            if (r < 0 || r >= nodes) throw new NotSupportedException($"{Op}: tree root {r} is not a node.");
        _members = MemberSets(a.Tensor("membership_values"), nodes);
        _maxFeature = nodes == 0 ? -1 : _features.Max();
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [MiscTypes.ElementType(inputs, 0) is { } t ? TypeInfo.Tensor(t, [Dim.Unknown, Dim.Known(_targets)]) : null];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        if (!DataTypes.IsFloatingPoint(x.DataType)) throw new NotSupportedException($"{Op}: X must be floating point.");
        if (x.Rank is not (1 or 2)) throw new ShapeMismatchException($"{Op}: X must be [N, F], got {ShapeUtil.Format(x.Shape)}.");
        int rows = x.Rank == 1 ? 1 : x.Shape[0], width = x.Shape[^1];
        if (_maxFeature >= width) throw new ShapeMismatchException($"{Op}: feature id {_maxFeature} is outside X's {width} features.");
        var xs = MiscTensors.ToDoubles(x);
        TensorLimits.CheckAllocation((long)rows * _targets, DataType.Double);
        var result = new double[(long)rows * _targets];
        double init = _aggregate switch { Aggregate.Min => double.MaxValue, Aggregate.Max => double.MinValue, _ => 0 };
        if (x.DataType != DataType.Double && _aggregate is Aggregate.Min or Aggregate.Max)
            init = _aggregate == Aggregate.Min ? float.MaxValue : float.MinValue;
        for (int r = 0; r < rows; r++)
        {
            var row = xs.AsSpan(r * width, width);
            var outRow = result.AsSpan(r * _targets, _targets);
            outRow.Fill(init);
            foreach (long root in _roots)
            {
                int leaf = Evaluate((int)root, row);
                int t = (int)_leafTargets[leaf];
                double w = _leafWeights[leaf];
                outRow[t] = _aggregate switch
                {
                    Aggregate.Min => Math.Min(outRow[t], w),
                    Aggregate.Max => Math.Max(outRow[t], w),
                    Aggregate.Average => outRow[t] + w / _roots.Length,
                    _ => outRow[t] + w,
                };
            }
            PostTransform(outRow);
        }
        return [MiscTensors.FromDoubles(result, x.DataType, [rows, _targets])];
    }

    /// <summary>The leaf a row reaches from a root; a tree whose root points both ways to the same leaf is that leaf.</summary>
    private int Evaluate(int node, ReadOnlySpan<double> row)
    {
        for (int steps = 0; steps <= _features.Length; steps++)
        {
            bool go = Test(node, row[(int)_features[node]]);
            long next = go ? _trueIds[node] : _falseIds[node];
            if (go ? _trueLeaf[node] : _falseLeaf[node]) return (int)next;
            node = (int)next;
        }
        throw new InvalidOperationException($"{Op}: the tree starting at node {node} has a cycle.");
    }

    private bool Test(int node, double v)
    {
        if (double.IsNaN(v) && _missingTrue[node]) return true;
        double s = _splits[node];
        return _modes[node] switch
        {
            0 => v <= s,
            1 => v < s,
            2 => v >= s,
            3 => v > s,
            4 => v == s,
            5 => v != s,
            _ => _members[node]!.Contains(v),
        };
    }

    private void PostTransform(Span<double> v)
    {
        switch (_postTransform)
        {
            case 1:
            case 3:
            {
                bool keepZero = _postTransform == 3;
                double max = double.NegativeInfinity;
                foreach (double e in v) if (!(keepZero && e == 0)) max = Math.Max(max, e);
                double sum = 0;
                for (int i = 0; i < v.Length; i++) sum += v[i] = keepZero && v[i] == 0 ? 0 : Math.Exp(v[i] - max);
                if (sum > 0) for (int i = 0; i < v.Length; i++) v[i] /= sum;
                break;
            }
            case 2:
                for (int i = 0; i < v.Length; i++) v[i] = 1 / (1 + Math.Exp(-v[i]));
                break;
            case 4:
                for (int i = 0; i < v.Length; i++) v[i] = Math.Sqrt(2) * ErfInv(2 * v[i] - 1);
                break;
        }
    }

    /// <summary>Inverse error function (Giles' single-precision approximation refined by two Newton steps).</summary>
    private static double ErfInv(double y)
    {
        if (y <= -1) return double.NegativeInfinity;
        if (y >= 1) return double.PositiveInfinity;
        double w = -Math.Log((1 - y) * (1 + y)), p;
        if (w < 5)
        {
            w -= 2.5;
            p = 2.81022636e-08;
            foreach (double c in new[] { 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941 })
                p = c + p * w;
        }
        else
        {
            w = Math.Sqrt(w) - 3;
            p = -0.000200214257;
            foreach (double c in new[] { 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682 })
                p = c + p * w;
        }
        double x = p * y;
        for (int i = 0; i < 2; i++) x -= (Erf(x) - y) / (2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x));
        return x;
    }

    /// <summary>erf by its Taylor series near 0 and the continued fraction of erfc beyond.</summary>
    private static double Erf(double x)
    {
        double ax = Math.Abs(x);
        if (ax < 2.5)
        {
            double term = x, sum = x, x2 = x * x;
            for (int n = 1; n < 60; n++)
            {
                term *= -x2 / n;
                sum += term / (2 * n + 1);
            }
            return 2 / Math.Sqrt(Math.PI) * sum;
        }
        double f = 0;
        for (int n = 60; n >= 1; n--) f = n / 2.0 / (ax + f);
        double erfc = Math.Exp(-ax * ax) / Math.Sqrt(Math.PI) / (ax + f);
        return Math.Sign(x) * (1 - erfc);
    }

    private HashSet<double>?[] MemberSets(Tensor? values, int nodes)
    {
        var sets = new HashSet<double>?[nodes];
        var v = values is null ? [] : MiscTensors.ToDoubles(values);
        int at = 0;
        for (int i = 0; i < nodes; i++)
        {
            if (_modes[i] != 6) continue;
            if (at >= v.Length && values is null) throw new NotSupportedException($"{Op}: node {i} is a MEMBER node but membership_values is missing.");
            var set = new HashSet<double>();
            while (at < v.Length && !double.IsNaN(v[at])) set.Add(v[at++]);
            at++;
            sets[i] = set;
        }
        return sets;
    }

    private static void CheckChild(long id, bool leaf, int nodes, int leaves)
    {
        if (id < 0 || id >= (leaf ? leaves : nodes))
            throw new NotSupportedException($"{Op}: child {(leaf ? "leaf" : "node")} {id} is out of range.");
    }

    private static T Required<T>(T? v, string name) where T : class =>
        v ?? throw new NotSupportedException($"{Op}: attribute '{name}' is required.");

    private static bool[] Flags(long[] v) => v.Select(e => e != 0).ToArray();
}
