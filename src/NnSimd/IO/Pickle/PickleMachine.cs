using System.Buffers.Binary;
using System.Text;

namespace NnSimd.IO;

/// <summary>
/// The interpreter: a stack, a mark stack and a memo; opcodes as in CPython's pickletools. It resolves only the
/// globals in <paramref name="allowed"/>, calls only the few it models, and hands persistent ids (how torch.save
/// points at tensor storages) to <paramref name="persistentLoad"/>; without one, they are refused.
/// </summary>
internal sealed class PickleMachine(byte[] data, string source, IReadOnlySet<string> allowed, Func<object?, long, object?>? persistentLoad = null)
{
    private const int MaxStack = 1_000_000;
    private const int MaxMarks = 64;
    private const int MaxMemo = 1_000_000;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private int _pos;
    private int _op;

    public object? Run()
    {
        while (true)
        {
            if (_pos >= data.Length)
            {
                throw Fail(_pos, "truncated: the pickle ends without a STOP opcode.");
            }

            _op = _pos;
            byte code = data[_pos++];
            switch (code)
            {
                case 0x80: // PROTO
                    int protocol = Byte();
                    if (protocol is < 2 or > 5)
                    {
                        throw Fail(_op, $"pickle protocol {protocol} is not supported (2 to 5 are).");
                    }

                    break;
                case 0x95: Take(8); break; // FRAME: a length hint only
                case (byte)'.': // STOP
                    if (_pos != data.Length)
                    {
                        throw Fail(_pos, $"{data.Length - _pos} bytes of trailing data after STOP.");
                    }

                    if (_stack.Count != 1)
                    {
                        throw Fail(_op, $"STOP with {_stack.Count} objects on the stack, not 1.");
                    }

                    return _stack[0];
                case (byte)'(': // MARK
                    if (_marks.Count == MaxMarks)
                    {
                        throw Fail(_op, $"nesting deeper than {MaxMarks}.");
                    }

                    _marks.Push(_stack.Count);
                    break;
                case (byte)'}': Push(new Dictionary<object, object?>()); break;
                case (byte)']': Push(new List<object?>()); break;
                case (byte)')': Push(Array.Empty<object?>()); break;
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'t': Push(PopMark().ToArray()); break;
                case 0x85: Push(new[] { Pop() }); break;
                case 0x86: { object? b = Pop(), a = Pop(); Push(new[] { a, b }); break; }
                case 0x87: { object? c = Pop(), b = Pop(), a = Pop(); Push(new[] { a, b, c }); break; }
                case (byte)'l': Push(PopMark()); break;
                case (byte)'a': { object? item = Pop(); AsList(Peek()).Add(item); break; }
                case (byte)'e': { List<object?> items = PopMark(); AsList(Peek()).AddRange(items); break; }
                case (byte)'d': Push(ToDict(PopMark())); break;
                case (byte)'s': { object? value = Pop(), key = Pop(); SetItem(AsDict(Peek()), key, value); break; }
                case (byte)'u':
                {
                    List<object?> items = PopMark();
                    Dictionary<object, object?> dict = AsDict(Peek());
                    for (int i = 0; i + 1 < items.Count; i += 2)
                    {
                        SetItem(dict, items[i], items[i + 1]);
                    }

                    break;
                }

                case (byte)'q': Memo(Byte()); break;
                case (byte)'r': Memo(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))); break;
                case 0x94: Memo(_memo.Count); break;
                case (byte)'h': Push(Recall(Byte())); break;
                case (byte)'j': Push(Recall(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break;
                case (byte)'K': Push((long)Byte()); break;
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;
                case 0x8a: Push(Long1()); break;
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;
                case 0x8c: Push(Text((ulong)Byte())); break;
                case (byte)'X': Push(Text(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break;
                case 0x8d: Push(Text(BinaryPrimitives.ReadUInt64LittleEndian(Take(8)))); break;
                case (byte)'C': Push(Take(Byte()).ToArray()); break;
                case (byte)'B': Push(Take(Length(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))).ToArray()); break;
                case 0x8e: Push(Take(Length(BinaryPrimitives.ReadUInt64LittleEndian(Take(8)))).ToArray()); break;
                case 0x96: Push(Take(Length(BinaryPrimitives.ReadUInt64LittleEndian(Take(8)))).ToArray()); break; // BYTEARRAY8
                case (byte)'U': Push(Encoding.Latin1.GetString(Take(Byte()))); break;
                case (byte)'T': Push(Encoding.Latin1.GetString(Take(Length(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))))); break;
                case 0x98: break; // READONLY_BUFFER: no effect on a copy
                case 0x97: throw Fail(_op, "NEXT_BUFFER: out-of-band buffers are not supported; pickle with in-band data.");
                case (byte)'c': Push(Global(Line(), Line())); break;
                case 0x93:
                {
                    object? name = Pop(), module = Pop();
                    if (module is not string m || name is not string n)
                    {
                        throw Fail(_op, "STACK_GLOBAL needs two strings.");
                    }

                    Push(Global(m, n));
                    break;
                }

                case (byte)'R': { object? args = Pop(), callable = Pop(); Push(Reduce(callable, args)); break; }
                case (byte)'Q': // BINPERSID
                {
                    object? pid = Pop();
                    Push(persistentLoad is null ? throw Fail(_op, "a persistent id, which only a torch.save file may hold.") : persistentLoad(pid, _op));
                    break;
                }

                case (byte)'b': { object? state = Pop(); Build(Peek(), state); break; }
                case 0x81: case 0x92: throw Fail(_op, "NEWOBJ is not used by NumPy array pickles and is not interpreted.");
                case (byte)'0': Pop(); break; // POP
                default:
                    throw Fail(_op, $"opcode 0x{code:x2} ('{(code is >= 32 and < 127 ? (char)code : '?')}') is not part of a NumPy array pickle and is not interpreted.");
            }
        }
    }

    private GlobalRef Global(string module, string name)
    {
        string full = $"{module}.{name}";
        if (!allowed.Contains(full))
        {
            string hint = module.StartsWith("torch.nn", StringComparison.Ordinal) || module == "__main__"
                ? " A whole pickled model (torch.save(model)) is code, not weights: save model.state_dict() instead."
                : "";
            throw Fail(_op, $"refusing global '{full}': only tensor and array reconstruction is allowed; nothing was executed.{hint}");
        }

        return new GlobalRef(full);
    }

    private object? Reduce(object? callable, object? args)
    {
        if (callable is not GlobalRef g || args is not object?[] a)
        {
            throw Fail(_op, $"REDUCE of {PickleReader.Describe(callable)} with {PickleReader.Describe(args)}: not a NumPy call.");
        }

        switch (g.Name)
        {
            case "numpy.core.multiarray._reconstruct" or "numpy._core.multiarray._reconstruct":
                if (a.Length < 1 || a[0] is not GlobalRef { Name: "numpy.ndarray" })
                {
                    throw Fail(_op, "_reconstruct of something other than numpy.ndarray.");
                }

                return new NdArray();
            case "numpy.dtype":
                if (a.Length < 1 || a[0] is not string descr)
                {
                    throw Fail(_op, "numpy.dtype needs a type string such as 'f4'.");
                }

                return new DType(descr, _op, source);
            case "numpy.core.numeric._frombuffer" or "numpy._core.numeric._frombuffer":
                if (a.Length != 4 || a[0] is not byte[] buffer || a[1] is not DType dtype || a[2] is not object?[] shape || a[3] is not string order)
                {
                    throw Fail(_op, "_frombuffer needs (buffer, dtype, shape, order).");
                }

                return NdArray.From(buffer, dtype, Shape(shape), order == "F", _op, source);
            case "_codecs.encode":
                if (a.Length != 2 || a[0] is not string text || a[1] is not string encoding || !encoding.Equals("latin1", StringComparison.OrdinalIgnoreCase))
                {
                    throw Fail(_op, "_codecs.encode is only interpreted as encode(str, 'latin1').");
                }

                return Encoding.Latin1.GetBytes(text);
            case "collections.OrderedDict":
                if (a.Length != 0)
                {
                    throw Fail(_op, "OrderedDict is only built empty, then filled.");
                }

                return new Dictionary<object, object?>();
            case "torch._utils._rebuild_tensor_v2" or "torch._utils._rebuild_tensor":
                // (storage, storage_offset, size, stride, ...): requires_grad, hooks and metadata do not change the values.
                if (a.Length < 4 || a[0] is not TorchStorage storage || a[1] is not long offset || a[2] is not object?[] size || a[3] is not object?[] stride)
                {
                    throw Fail(_op, $"{g.Name} needs (storage, offset, size, stride).");
                }

                return TorchTensor.Create(storage, offset, Shape(size), Strides(stride), _op, source);
            default:
                throw Fail(_op, $"'{g.Name}' cannot be called.");
        }
    }

    private void Build(object? target, object? state)
    {
        switch (target)
        {
            case NdArray array when state is object?[] { Length: 5 } s && s[1] is object?[] shape && s[2] is DType dtype && s[3] is bool fortran:
                if (s[4] is not byte[] raw)
                {
                    throw Fail(_op, $"array data is {PickleReader.Describe(s[4])}; only raw numeric data is supported (no object arrays).");
                }

                array.Set(raw, dtype, Shape(shape), fortran, _op, source);
                break;
            case DType dtype when state is object?[] { Length: >= 2 } s && s[1] is string order:
                dtype.SetByteOrder(order, _op, source);
                break;
            case Dictionary<object, object?> when state is Dictionary<object, object?>:
                // An OrderedDict's attributes (a state_dict's _metadata: module versions), not its items.
                break;
            default:
                throw Fail(_op, $"BUILD of {PickleReader.Describe(target)} with {PickleReader.Describe(state)} is not a NumPy array or dtype state.");
        }
    }

    private int[] Shape(object?[] dims)
    {
        var shape = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            shape[i] = dims[i] is long d and >= 0 and <= int.MaxValue ? (int)d : throw Fail(_op, $"shape entry {i} is {dims[i]}, not a size.");
        }

        return shape;
    }

    private long[] Strides(object?[] dims)
    {
        var strides = new long[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            strides[i] = dims[i] is long d and >= 0 ? d : throw Fail(_op, $"stride {i} is {dims[i]}, not a step of zero or more.");
        }

        return strides;
    }

    private static void SetItem(Dictionary<object, object?> dict, object? key, object? value) =>
        dict[key ?? "None"] = value;

    private static Dictionary<object, object?> ToDict(List<object?> items)
    {
        var dict = new Dictionary<object, object?>();
        for (int i = 0; i + 1 < items.Count; i += 2)
        {
            SetItem(dict, items[i], items[i + 1]);
        }

        return dict;
    }

    private List<object?> AsList(object? o) => o as List<object?> ?? throw Fail(_op, $"APPEND to {PickleReader.Describe(o)}.");

    private Dictionary<object, object?> AsDict(object? o) => o as Dictionary<object, object?> ?? throw Fail(_op, $"SETITEM on {PickleReader.Describe(o)}.");

    private void Memo(long index)
    {
        if (_stack.Count == 0)
        {
            throw Fail(_op, "memoizing from an empty stack.");
        }

        if (_memo.Count >= MaxMemo)
        {
            throw Fail(_op, $"more than {MaxMemo} memo entries.");
        }

        _memo[index] = _stack[^1];
    }

    private object? Recall(long index) =>
        _memo.TryGetValue(index, out object? value) ? value : throw Fail(_op, $"memo entry {index} was never stored.");

    private void Push(object? value)
    {
        if (_stack.Count >= MaxStack)
        {
            throw Fail(_op, $"more than {MaxStack} objects on the stack.");
        }

        _stack.Add(value);
    }

    private object? Pop()
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _stack.Count <= _marks.Peek()))
        {
            throw Fail(_op, "stack underflow.");
        }

        object? value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object? Peek() => _stack.Count > 0 ? _stack[^1] : throw Fail(_op, "stack underflow.");

    private List<object?> PopMark()
    {
        if (_marks.Count == 0)
        {
            throw Fail(_op, "no MARK to pop to.");
        }

        int mark = _marks.Pop();
        List<object?> items = _stack.GetRange(mark, _stack.Count - mark);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private int Byte() => Take(1)[0];

    private int Length(ulong length) =>
        length <= (ulong)(data.Length - _pos) ? (int)length : throw Fail(_op, $"a length of {length} bytes, but only {data.Length - _pos} remain (truncated or corrupt).");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > data.Length - _pos)
        {
            throw Fail(_pos, $"truncated: {count} bytes needed, {data.Length - _pos} remain.");
        }

        ReadOnlySpan<byte> span = data.AsSpan(_pos, count);
        _pos += count;
        return span;
    }

    private string Text(ulong length) => Encoding.UTF8.GetString(Take(Length(length)));

    private string Line()
    {
        int end = Array.IndexOf(data, (byte)'\n', _pos);
        if (end < 0 || end - _pos > 256)
        {
            throw Fail(_pos, "GLOBAL name without its newline.");
        }

        string text = Encoding.ASCII.GetString(data, _pos, end - _pos);
        _pos = end + 1;
        return text;
    }

    private long Long1()
    {
        int n = Byte();
        if (n > 8)
        {
            throw Fail(_op, $"LONG1 of {n} bytes: integers wider than 64 bits are not supported.");
        }

        ReadOnlySpan<byte> bytes = Take(n);
        long value = 0;
        for (int i = n - 1; i >= 0; i--)
        {
            value = (value << 8) | bytes[i];
        }

        if (n is > 0 and < 8 && (bytes[n - 1] & 0x80) != 0)
        {
            value -= 1L << (8 * n);
        }

        return value;
    }

    private NnSimdFormatException Fail(long offset, string problem) => new(source, offset, problem);

    /// <summary>A resolved (allowed) global; public to the readers that receive one inside a persistent id.</summary>
    internal sealed record GlobalRef(string Name);
}
