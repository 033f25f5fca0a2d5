using System.Globalization;
using NnSimd.IO;
using NnSimd.Model;
using NnSimd.Onnx.Protos;

namespace NnSimd.Onnx;

/// <summary>
/// Turns an ONNX graph into a chain of dense layers by walking its nodes in order with one live value, the
/// batch of rows flowing through the network (the "stream"), and everything else constant. Each node must
/// take the stream the previous one produced, so a graph that branches, reuses a value, runs its nodes out of
/// order or in a cycle, or computes with its constants is refused rather than guessed at.
/// </summary>
internal sealed class OnnxImporter
{
    public const int MinOpset = 9;
    public const int MaxOpset = 21;

    /// <summary>The operators the importer maps (LogSoftmax is named apart: NnSimd has no such activation).</summary>
    public const string Supported = "Gemm, MatMul, Add, Relu, Sigmoid, Tanh, Softmax, Flatten, Identity, Reshape, Constant";

    /// <summary>How many inputs each mapped operator takes (Gemm's C is optional from opset 11).</summary>
    private static readonly Dictionary<string, (int Min, int Max)> Arity = new()
    {
        ["Gemm"] = (2, 3),
        ["MatMul"] = (2, 2),
        ["Add"] = (2, 2),
        ["Relu"] = (1, 1),
        ["Sigmoid"] = (1, 1),
        ["Tanh"] = (1, 1),
        ["Softmax"] = (1, 1),
        ["Flatten"] = (1, 1),
        ["Identity"] = (1, 1),
        ["Reshape"] = (2, 2),
    };

    private readonly string _file;
    private readonly int _opset;
    private readonly Dictionary<string, ConstantTensor> _constants = [];
    private readonly HashSet<string> _defined = [];
    private readonly List<DenseLayer> _layers = [];

    // The stream: its name, and its shape after the batch dimension.
    private string _stream = "";
    private long[] _features = [];

    // The layer being built: the affine part is set by Gemm/MatMul(+Add), the activation closes it.
    private float[]? _weights;
    private float[]? _bias;
    private bool _biased;
    private int _in, _out;
    private string _layerNode = "";

    private OnnxImporter(string file, int opset)
    {
        _file = file;
        _opset = opset;
    }

    public static Network Import(ModelProto model, string file)
    {
        GraphProto graph = model.Graph ?? throw new NnSimdFormatException(file, null, "not an ONNX model: it has no graph.");
        if (model.IrVersion is < 3 or > 11)
        {
            throw new NnSimdFormatException(file, null, $"ONNX IR version {model.IrVersion}; NnSimd reads IR versions 3 to 11.");
        }

        var importer = new OnnxImporter(file, Opset(model, file));
        return importer.Walk(graph);
    }

    private static int Opset(ModelProto model, string file)
    {
        long? opset = null;
        foreach (OperatorSetIdProto o in model.OpsetImport)
        {
            if (o.Domain is "" or "ai.onnx")
            {
                opset = o.Version;
            }
        }

        if (opset is not { } v || v < MinOpset || v > MaxOpset)
        {
            throw new NnSimdFormatException(file, null,
                opset is null ? "the model imports no default (ai.onnx) operator set." : $"operator set {opset}; NnSimd reads opsets {MinOpset} to {MaxOpset}.");
        }

        return (int)v;
    }

    private Network Walk(GraphProto graph)
    {
        foreach (TensorProto t in graph.Initializer)
        {
            Define(t.Name, "an initializer");
            _constants[t.Name] = ConstantTensor.Read(t, t.Name, _file);
        }

        ValueInfoProto input = SingleInput(graph);
        Define(input.Name, "the graph input");
        _stream = input.Name;
        _features = InputFeatures(input);
        if (graph.Output.Count != 1)
        {
            throw Refuse($"the graph has {graph.Output.Count} outputs ({string.Join(", ", graph.Output.Select(o => o.Name))}); an MLP has one.");
        }

        HashSet<string> madeLater = [.. graph.Node.SelectMany(n => n.Output)];
        for (int i = 0; i < graph.Node.Count; i++)
        {
            NodeProto node = graph.Node[i];
            string where = $"node {i} '{node.Name}' ({node.OpType})";
            foreach (string name in node.Input.Where(n => n.Length > 0))
            {
                if (!_defined.Contains(name))
                {
                    throw Refuse(madeLater.Contains(name)
                        ? $"{where} uses '{name}' before any node makes it: the nodes are out of topological order or form a cycle."
                        : $"{where} uses '{name}', which no node, initializer or input defines.");
                }
            }

            Apply(node, where);
            foreach (string name in node.Output.Where(n => n.Length > 0))
            {
                Define(name, where);
            }
        }

        return Finish(graph.Output[0]);
    }

    private ValueInfoProto SingleInput(GraphProto graph)
    {
        // Before IR 4 the initializers were listed among the inputs as well; they are not data inputs.
        ValueInfoProto[] inputs = [.. graph.Input.Where(i => !_constants.ContainsKey(i.Name))];
        if (inputs.Length != 1)
        {
            throw Refuse($"the graph has {inputs.Length} data inputs ({string.Join(", ", inputs.Select(i => i.Name))}); an MLP has one.");
        }

        return inputs[0];
    }

    /// <summary>The input's shape after its batch dimension, which may be anything: NnSimd runs any batch.</summary>
    private long[] InputFeatures(ValueInfoProto input)
    {
        TypeProto.Types.Tensor? tensor = input.Type?.TensorType;
        if (tensor is null || tensor.ElemType != (int)TensorProto.Types.DataType.Float)
        {
            throw Refuse($"input '{input.Name}' must be a float32 tensor{(tensor is null ? "" : $", not element type {tensor.ElemType}")}.");
        }

        if (tensor.Shape is null || tensor.Shape.Dim.Count < 2)
        {
            throw Refuse($"input '{input.Name}' must have a known shape [batch, features...], not {(tensor.Shape is null ? "none" : $"rank {tensor.Shape.Dim.Count}")}.");
        }

        var features = new long[tensor.Shape.Dim.Count - 1];
        for (int i = 0; i < features.Length; i++)
        {
            TensorShapeProto.Types.Dimension d = tensor.Shape.Dim[i + 1];
            if (!d.HasDimValue || d.DimValue < 1 || d.DimValue > Array.MaxLength)
            {
                throw Refuse($"input '{input.Name}' dimension {i + 1} is {(d.HasDimValue ? d.DimValue.ToString(CultureInfo.InvariantCulture) : $"'{d.DimParam}'")}: each dimension after the batch must be a fixed width from 1 to {Array.MaxLength}.");
            }

            features[i] = d.DimValue;
        }

        ConstantTensor.ElementCount(features, input.Name, _file);
        return features;
    }

    private void Define(string name, string by)
    {
        if (name.Length == 0)
        {
            throw Refuse($"{by} has an empty name.");
        }

        if (!_defined.Add(name))
        {
            throw Refuse($"'{name}' is defined twice (again by {by}).");
        }
    }

    private void Apply(NodeProto node, string where)
    {
        if (node.Domain is not ("" or "ai.onnx"))
        {
            throw Refuse($"{where} is from operator domain '{node.Domain}'; NnSimd maps only these ONNX operators: {Supported}.");
        }

        if (node.OpType == "Constant")
        {
            Constant(node, where);
            return;
        }

        string[] inputs = [.. node.Input];
        if (node.Output.Count != 1 || node.Output[0].Length == 0)
        {
            throw Refuse($"{where} has {node.Output.Count} outputs; NnSimd maps nodes with one.");
        }

        string output = node.Output[0];
        if (node.OpType == "Identity" && inputs.Length == 1 && _constants.TryGetValue(inputs[0], out ConstantTensor? c))
        {
            _constants[output] = c;
            return;
        }

        if (!Arity.TryGetValue(node.OpType, out (int Min, int Max) arity))
        {
            throw Refuse(node.OpType == "LogSoftmax"
                ? $"{where}: NnSimd has no log-softmax activation. Export the model with Softmax (the log of its outputs is LogSoftmax; the argmax is the same)."
                : $"{where} is not an operator NnSimd maps; it maps {Supported}.");
        }

        if (inputs.Length < arity.Min || inputs.Length > arity.Max)
        {
            throw Refuse($"{where} has {inputs.Length} inputs; {node.OpType} takes {(arity.Min == arity.Max ? arity.Min : $"{arity.Min} or {arity.Max}")}.");
        }

        TakeStream(node, where);
        switch (node.OpType)
        {
            case "Gemm":
                Gemm(node, where);
                break;
            case "MatMul":
                Attributes(node, where);
                Affine(Weight(node, 1, where, "B"), transposed: false, 1f, where, node);
                break;
            case "Add":
                Attributes(node, where);
                Add(node, where);
                break;
            case "Relu":
                Close(Activation.Relu, node, where);
                break;
            case "Sigmoid":
                Close(Activation.Sigmoid, node, where);
                break;
            case "Tanh":
                Close(Activation.Tanh, node, where);
                break;
            case "Softmax":
                LastAxis(node, where);
                Close(Activation.Softmax, node, where);
                break;
            case "Flatten":
                Flatten(node, where);
                break;
            case "Identity":
                Attributes(node, where);
                break;
            case "Reshape":
                Reshape(node, where);
                break;
        }

        _stream = output;
    }

    /// <summary>The node must take the current stream as its first input, and the rest of its inputs must be constants.</summary>
    private void TakeStream(NodeProto node, string where)
    {
        int streamAt = -1;
        for (int i = 0; i < node.Input.Count; i++)
        {
            string name = node.Input[i];
            if (name.Length == 0 || _constants.ContainsKey(name))
            {
                continue;
            }

            if (name != _stream)
            {
                throw Refuse($"{where} takes '{name}', which is neither a constant nor the output of the node before ('{_stream}'): NnSimd maps a chain of layers, not a graph that branches.");
            }

            if (streamAt >= 0)
            {
                throw Refuse($"{where} takes '{name}' twice; NnSimd maps a chain of layers.");
            }

            streamAt = i;
        }

        bool addFirst = node.OpType == "Add" && streamAt == 1;
        if (streamAt < 0 || (streamAt != 0 && !addFirst))
        {
            throw Refuse(streamAt < 0
                ? $"{where} computes only with constants; NnSimd does not evaluate constant subgraphs."
                : $"{where} takes the rows '{_stream}' as input {streamAt}; NnSimd maps them as the first input only.");
        }
    }

    private void Constant(NodeProto node, string where)
    {
        if (node.Output.Count != 1 || node.Attribute.Count != 1)
        {
            throw Refuse($"{where} must have one output and one value attribute.");
        }

        AttributeProto a = node.Attribute[0];
        string name = node.Output[0];
        _constants[name] = a.Name switch
        {
            "value" when a.T is not null => ConstantTensor.Read(a.T, name, _file),
            "value_float" => ConstantTensor.FromFloats(name, [], [a.F]),
            "value_floats" => ConstantTensor.FromFloats(name, [a.Floats.Count], [.. a.Floats]),
            "value_int" => ConstantTensor.FromInt64s(name, [], [a.I]),
            "value_ints" => ConstantTensor.FromInt64s(name, [a.Ints.Count], [.. a.Ints]),
            _ => throw Refuse($"{where} has a '{a.Name}' value; NnSimd reads value (a tensor), value_float(s) and value_int(s)."),
        };
    }

    private void Gemm(NodeProto node, string where)
    {
        Dictionary<string, AttributeProto> attrs = Attributes(node, where, "alpha", "beta", "transA", "transB");
        float alpha = Float(attrs, "alpha", 1f), beta = Float(attrs, "beta", 1f);
        if (Int(attrs, "transA", 0) != 0)
        {
            throw Refuse($"{where} has transA=1, which would transpose the batch of rows; NnSimd maps Gemm with transA=0.");
        }

        Affine(Weight(node, 1, where, "B"), transposed: Int(attrs, "transB", 0) != 0, alpha, where, node);
        if (node.Input.Count > 2 && node.Input[2].Length > 0 && beta != 0f)
        {
            AddBias(_constants[node.Input[2]], beta, where);
        }
    }

    private void Add(NodeProto node, string where)
    {
        if (_weights is null || node.Input.Count != 2)
        {
            throw Refuse($"{where} adds to '{_stream}', which is not the output of a Gemm or MatMul: NnSimd maps Add only as a layer's bias.");
        }

        string other = node.Input[0] == _stream ? node.Input[1] : node.Input[0];
        AddBias(_constants[other], 1f, where);
    }

    private ConstantTensor Weight(NodeProto node, int index, string where, string role)
    {
        if (node.Input.Count <= index || !_constants.TryGetValue(node.Input[index], out ConstantTensor? w))
        {
            throw Refuse($"{where} has no constant {role}.");
        }

        if (w.Floats is null || w.Dims.Length != 2 || w.Dims[0] < 1 || w.Dims[1] < 1)
        {
            throw Refuse($"{where}: {role} '{w.Name}' must be a 2-D float tensor with no empty dimension, not {w.ShapeText}{(w.Floats is null ? " int64" : "")}.");
        }

        return w;
    }

    /// <summary>Opens a layer: x . W with W = alpha . B, or alpha . B^T when <paramref name="transposed"/>.</summary>
    private void Affine(ConstantTensor b, bool transposed, float alpha, string where, NodeProto node)
    {
        if (_features.Length != 1)
        {
            throw Refuse($"{where} multiplies rows of shape {ConstantTensor.DimsText(_features)}; Flatten or Reshape them to [batch, features] first.");
        }

        if (_weights is not null)
        {
            CloseLayer(Activation.Identity);
        }

        int rows = (int)b.Dims[0], cols = (int)b.Dims[1];
        int inputs = transposed ? cols : rows, outputs = transposed ? rows : cols;
        if (inputs != _features[0])
        {
            throw Refuse($"{where}: its weight '{b.Name}' {b.ShapeText}{(transposed ? " (transposed)" : "")} takes {inputs} inputs but '{_stream}' has {_features[0]}.");
        }

        float[] w = b.Floats!;
        var weights = new float[w.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                float v = w[r * cols + c];
                weights[transposed ? c * rows + r : r * cols + c] = alpha == 1f ? v : alpha * v;
            }
        }

        _weights = weights;
        _bias = new float[outputs];
        _biased = false;
        _in = inputs;
        _out = outputs;
        _layerNode = node.Name.Length > 0 ? node.Name : node.OpType;
        _features = [outputs];
    }

    /// <summary>Adds a constant that broadcasts to the layer's outputs: [outputs], [1, outputs], or a single value.</summary>
    private void AddBias(ConstantTensor c, float scale, string where)
    {
        bool fits = c.Floats is not null && c.Dims.Length <= 2 && (c.Dims.Length == 0 || c.Dims[^1] == _out || c.Dims[^1] == 1) && c.Dims.SkipLast(1).All(d => d == 1);
        if (!fits)
        {
            throw Refuse($"{where}: '{c.Name}' {c.ShapeText}{(c.Floats is null ? " int64" : "")} is not a float bias of {_out} outputs ([{_out}], [1, {_out}] or one value).");
        }

        // The first bias is copied, not added to zero: 0 + -0 is +0, and arithmetic quiets a signalling NaN,
        // while a network must import bit for bit as it was exported.
        float[] values = c.Floats!;
        for (int j = 0; j < _out; j++)
        {
            float v = values.Length == 1 ? values[0] : values[j];
            v = scale == 1f ? v : scale * v;
            _bias![j] = _biased ? _bias[j] + v : v;
        }

        _biased = true;
    }

    private void Close(Activation activation, NodeProto node, string where)
    {
        Attributes(node, where, activation == Activation.Softmax ? ["axis"] : []);
        if (_weights is null)
        {
            throw Refuse($"{where} does not follow a Gemm or MatMul (+ Add): NnSimd applies an activation only as part of a layer.");
        }

        CloseLayer(activation);
    }

    private void CloseLayer(Activation activation)
    {
        if (_layers.Count > 0 && _layers[^1].Activation == Activation.Softmax)
        {
            throw Refuse($"layer '{_layerNode}' follows a Softmax; NnSimd allows Softmax only at the end of the network.");
        }

        _layers.Add(new DenseLayer(_weights, _bias, _in, _out, activation));
        _weights = null;
        _bias = null;
    }

    /// <summary>Softmax over the last axis of [batch, features] rows: axis 1 or -1 (before opset 13, axis 1 meant "rows from axis 1 on", the same on 2-D).</summary>
    private void LastAxis(NodeProto node, string where)
    {
        Dictionary<string, AttributeProto> attrs = Attributes(node, where, "axis");
        long axis = Int(attrs, "axis", _opset < 13 ? 1 : -1);
        if (_features.Length != 1 || axis is not (1 or -1))
        {
            throw Refuse($"{where} has axis {axis} on rows of shape [batch, {string.Join(", ", _features)}]; NnSimd maps Softmax over the last axis of [batch, features].");
        }
    }

    private void Flatten(NodeProto node, string where)
    {
        Dictionary<string, AttributeProto> attrs = Attributes(node, where, "axis");
        long axis = Int(attrs, "axis", 1);
        int rank = _features.Length + 1;
        if ((axis < 0 ? axis + rank : axis) != 1)
        {
            throw Refuse($"{where} has axis {axis}; NnSimd maps Flatten to [batch, features], axis 1.");
        }

        _features = [_features.Aggregate(1L, (a, d) => a * d)];
    }

    /// <summary>A reshape to rows of the same width: shape [-1, F], [0, F] or [0, -1], F the features' product.</summary>
    private void Reshape(NodeProto node, string where)
    {
        Dictionary<string, AttributeProto> attrs = Attributes(node, where, "allowzero");
        if (node.Input.Count != 2 || !_constants.TryGetValue(node.Input[1], out ConstantTensor? shape) || shape.Int64s is null || shape.Dims.Length != 1)
        {
            throw Refuse($"{where} needs a constant int64 shape as its second input.");
        }

        long width = _features.Aggregate(1L, (a, d) => a * d);
        long[] s = shape.Int64s;
        bool keepBatch = s.Length == 2 && ((s[0] == 0 && Int(attrs, "allowzero", 0) == 0) || s[0] == -1);
        if (!keepBatch || !(s[1] == width || (s[1] == -1 && s[0] == 0)))
        {
            throw Refuse($"{where} reshapes [batch, {string.Join(", ", _features)}] to [{string.Join(", ", s)}]; NnSimd maps a Reshape to rows of the same width ([-1, {width}] or [0, {width}]).");
        }

        _features = [width];
    }

    private Network Finish(ValueInfoProto output)
    {
        if (output.Name != _stream)
        {
            throw Refuse($"the graph's output '{output.Name}' is not the end of the chain of layers ('{_stream}').");
        }

        if (_weights is not null)
        {
            CloseLayer(Activation.Identity);
        }

        if (_layers.Count == 0)
        {
            throw Refuse("the graph has no Gemm or MatMul layer.");
        }

        if (_features.Length != 1)
        {
            throw Refuse($"the output has shape [batch, {string.Join(", ", _features)}]; an MLP gives rows [batch, {_layers[^1].Outputs}].");
        }

        TensorShapeProto? declared = output.Type?.TensorType?.Shape;
        if (declared is not null && (declared.Dim.Count != 2 || (declared.Dim[1].HasDimValue && declared.Dim[1].DimValue != _layers[^1].Outputs)))
        {
            throw Refuse($"the output '{output.Name}' is declared [{string.Join(", ", declared.Dim.Select(d => d.HasDimValue ? d.DimValue.ToString(CultureInfo.InvariantCulture) : d.DimParam))}] but the layers give [batch, {_layers[^1].Outputs}].");
        }

        return new Network([.. _layers]);
    }

    /// <summary>The node's attributes by name; any the mapping does not know is refused, as ignoring it could change the result.</summary>
    private Dictionary<string, AttributeProto> Attributes(NodeProto node, string where, params string[] known)
    {
        var attrs = new Dictionary<string, AttributeProto>();
        foreach (AttributeProto a in node.Attribute)
        {
            if (!known.Contains(a.Name) || !attrs.TryAdd(a.Name, a))
            {
                throw Refuse($"{where} has attribute '{a.Name}'{(known.Contains(a.Name) ? " twice" : "")}; NnSimd maps {node.OpType} with {(known.Length == 0 ? "none" : string.Join(", ", known))}.");
            }
        }

        return attrs;
    }

    private float Float(Dictionary<string, AttributeProto> attrs, string name, float fallback) =>
        !attrs.TryGetValue(name, out AttributeProto? a) ? fallback
        : a.Type == AttributeProto.Types.AttributeType.Float ? a.F
        : throw Refuse($"attribute '{name}' is {a.Type}, not a FLOAT.");

    private long Int(Dictionary<string, AttributeProto> attrs, string name, long fallback) =>
        !attrs.TryGetValue(name, out AttributeProto? a) ? fallback
        : a.Type == AttributeProto.Types.AttributeType.Int ? a.I
        : throw Refuse($"attribute '{name}' is {a.Type}, not an INT.");

    private NnSimdFormatException Refuse(string problem) => new(_file, null, problem);
}
