using System.Text;

namespace NnSimd.Tests.IO.Pickle;

/// <summary>
/// Writes pickle opcodes byte by byte, as CPython's pickler does for NumPy arrays, so the fixtures need no
/// Python. Each method is one opcode or one of NumPy's opcode sequences.
/// </summary>
internal sealed class PickleWriter(int protocol)
{
    private readonly List<byte> _bytes = [];
    private int _memo;

    public int Protocol { get; } = protocol;

    public bool NumpyTwo { get; init; }

    public PickleWriter Op(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public PickleWriter Proto() => Op(0x80, (byte)Protocol);

    public PickleWriter Memoize() => Protocol >= 4 ? Op(0x94) : Op((byte)'q', (byte)_memo++);

    public PickleWriter Str(string s)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(s);
        if (Protocol >= 4 && utf8.Length < 256)
        {
            return Op(0x8c, (byte)utf8.Length).Op(utf8);
        }

        return Op((byte)'X').Op(BitConverter.GetBytes(utf8.Length)).Op(utf8);
    }

    public PickleWriter Int(int v) => v is >= 0 and < 256 ? Op((byte)'K', (byte)v) : Op((byte)'J').Op(BitConverter.GetBytes(v));

    public PickleWriter Global(string module, string name)
    {
        if (Protocol >= 4)
        {
            return Str(module).Str(name).Op(0x93);
        }

        return Op((byte)'c').Op(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
    }

    /// <summary>Raw bytes the way each protocol carries them: protocol 2 via _codecs.encode(latin1 str), later as bytes.</summary>
    public PickleWriter Bytes(byte[] data)
    {
        if (Protocol == 2)
        {
            return Global("_codecs", "encode").Str(Encoding.Latin1.GetString(data)).Str("latin1").Op(0x86).Op((byte)'R');
        }

        return data.Length < 256 ? Op((byte)'C', (byte)data.Length).Op(data) : Op((byte)'B').Op(BitConverter.GetBytes(data.Length)).Op(data);
    }

    private string Core => NumpyTwo ? "numpy._core" : "numpy.core";

    /// <summary>numpy.dtype(descr, False, True) then BUILD (3, order, ...).</summary>
    public PickleWriter DType(string descr, char order)
    {
        Global("numpy", "dtype").Str(descr).Op(0x89, 0x88).Op(0x87).Op((byte)'R').Memoize();
        return Op((byte)'(').Int(3).Str(order.ToString()).Op((byte)'N', (byte)'N', (byte)'N').Int(-1).Int(-1).Int(0).Op((byte)'t').Op((byte)'b');
    }

    /// <summary>An ndarray as _reconstruct + BUILD (protocols 2-4), the way ndarray.__reduce__ pickles it.</summary>
    public PickleWriter Array(int[] shape, string descr, char order, bool fortran, byte[] data)
    {
        Global($"{Core}.multiarray", "_reconstruct").Memoize().Global("numpy", "ndarray").Int(0).Op(0x85).Bytes("b"u8.ToArray()).Op(0x87).Op((byte)'R').Memoize();
        Op((byte)'(').Int(1).Op((byte)'(');
        foreach (int d in shape)
        {
            Int(d);
        }

        Op((byte)'t');
        DType(descr, order);
        Op(fortran ? (byte)0x88 : (byte)0x89).Bytes(data).Op((byte)'t').Op((byte)'b');
        return this;
    }

    /// <summary>An ndarray as protocol 5's _frombuffer(buffer, dtype, shape, order), the buffer in-band.</summary>
    public PickleWriter FromBuffer(int[] shape, string descr, char order, bool fortran, byte[] data, bool readOnly)
    {
        Global($"{Core}.numeric", "_frombuffer").Memoize().Op((byte)'(');
        if (readOnly)
        {
            Op(0x8e).Op(BitConverter.GetBytes((long)data.Length)).Op(data).Op(0x98);
        }
        else
        {
            Op(0x96).Op(BitConverter.GetBytes((long)data.Length)).Op(data);
        }

        DType(descr, order);
        Op((byte)'(');
        foreach (int d in shape)
        {
            Int(d);
        }

        return Op((byte)'t').Str(fortran ? "F" : "C").Op((byte)'t').Op((byte)'R');
    }

    public byte[] ToArray() => [.. _bytes];
}
