using System.Buffers.Binary;
namespace NnSimd.IO;

/// <summary>A NumPy dtype as the pickle describes it: kind and size (<c>f4</c>, <c>f8</c>, <c>u1</c>, <c>i4</c>, <c>i8</c>) and byte order.</summary>
internal sealed class DType
{
    public DType(string descr, long offset, string source)
    {
        (Kind, Size) = descr switch
        {
            "f4" => ('f', 4),
            "f8" => ('f', 8),
            "u1" => ('u', 1),
            "i4" => ('i', 4),
            "i8" => ('i', 8),
            _ => throw new NnSimdFormatException(source, offset, $"dtype '{descr}' is not supported (f4, f8, u1, i4, i8 are)."),
        };
    }

    public char Kind { get; }

    public int Size { get; }

    public bool BigEndian { get; private set; }

    public void SetByteOrder(string order, long offset, string source) => BigEndian = order switch
    {
        "<" or "=" or "|" => false,
        ">" => true,
        _ => throw new NnSimdFormatException(source, offset, $"a dtype's byte order is '{(order.Length > 8 ? order[..8] + "..." : order)}', not one of < > = |."),
    };

    public override string ToString() => $"{(BigEndian ? '>' : '<')}{Kind}{Size}";
}

/// <summary>An array being rebuilt: empty after <c>_reconstruct</c>, filled by BUILD (or made by <c>_frombuffer</c>).</summary>
internal sealed class NdArray
{
    private byte[]? _raw;
    private DType? _dtype;
    private int[] _shape = [];
    private bool _fortran;

    public static NdArray From(byte[] raw, DType dtype, int[] shape, bool fortran, long offset, string source)
    {
        var array = new NdArray();
        array.Set(raw, dtype, shape, fortran, offset, source);
        return array;
    }

    public void Set(byte[] raw, DType dtype, int[] shape, bool fortran, long offset, string source)
    {
        long count;
        try
        {
            count = TensorData.ElementCountOf(shape);
        }
        catch (OverflowException)
        {
            throw new NnSimdFormatException(source, offset, $"shape {string.Join('x', shape)} overflows.");
        }

        if (count * dtype.Size != raw.Length)
        {
            throw new NnSimdFormatException(source, offset,
                $"array of shape {string.Join('x', shape)} and dtype {dtype} needs {count * dtype.Size} bytes but holds {raw.Length}.");
        }

        (_raw, _dtype, _shape, _fortran) = (raw, dtype, shape, fortran);
    }

    /// <summary>The array as a row-major tensor: floats for f4/f8 (f8 rounded to float32), bytes for u1, integers for i4/i8.</summary>
    public TensorData ToTensor(string name, string source)
    {
        if (_raw is null || _dtype is null)
        {
            throw new NnSimdFormatException(source, null, $"array '{name}' was never given its data.");
        }

        int count = _raw.Length / _dtype.Size;
        int[] order = TensorData.RowMajorOrder(_shape, _fortran);
        DType t = _dtype;
        switch (t.Kind)
        {
            case 'f':
                var floats = new float[count];
                for (int i = 0; i < count; i++)
                {
                    ReadOnlySpan<byte> e = _raw.AsSpan(order[i] * t.Size, t.Size);
                    floats[i] = t.Size == 4
                        ? (t.BigEndian ? BinaryPrimitives.ReadSingleBigEndian(e) : BinaryPrimitives.ReadSingleLittleEndian(e))
                        : (float)(t.BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(e) : BinaryPrimitives.ReadDoubleLittleEndian(e));
                }

                return TensorData.FromFloats(name, _shape, floats, t.Size == 8 ? TensorDType.F64 : TensorDType.F32);
            case 'u':
                var bytes = new byte[count];
                for (int i = 0; i < count; i++)
                {
                    bytes[i] = _raw[order[i]];
                }

                return TensorData.FromBytes(name, _shape, bytes);
            default:
                var ints = new long[count];
                for (int i = 0; i < count; i++)
                {
                    ReadOnlySpan<byte> e = _raw.AsSpan(order[i] * t.Size, t.Size);
                    ints[i] = t.Size == 4
                        ? (t.BigEndian ? BinaryPrimitives.ReadInt32BigEndian(e) : BinaryPrimitives.ReadInt32LittleEndian(e))
                        : (t.BigEndian ? BinaryPrimitives.ReadInt64BigEndian(e) : BinaryPrimitives.ReadInt64LittleEndian(e));
                }

                return TensorData.FromIntegers(name, _shape, ints, t.Size == 4 ? TensorDType.I32 : TensorDType.I64);
        }
    }
}
