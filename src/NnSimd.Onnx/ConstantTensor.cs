using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using NnSimd.IO;
using NnSimd.Onnx.Protos;

namespace NnSimd.Onnx;

/// <summary>
/// A constant tensor of the graph (an initializer or a Constant node's value), read into floats or int64s.
/// Every size comes from the tensor's dims and is checked against the bytes actually present, in the file or
/// beside it, before anything is allocated from it.
/// </summary>
internal sealed class ConstantTensor
{
    private ConstantTensor(string name, long[] dims, float[]? floats, long[]? int64s)
    {
        Name = name;
        Dims = dims;
        Floats = floats;
        Int64s = int64s;
    }

    public string Name { get; }

    public long[] Dims { get; }

    /// <summary>The values of a float32 tensor, else null.</summary>
    public float[]? Floats { get; }

    /// <summary>The values of an int64 tensor, else null.</summary>
    public long[]? Int64s { get; }

    public string ShapeText => "[" + string.Join(", ", Dims.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    public static ConstantTensor FromFloats(string name, long[] dims, float[] values) => new(name, dims, values, null);

    public static ConstantTensor FromInt64s(string name, long[] dims, long[] values) => new(name, dims, null, values);

    /// <summary>Reads <paramref name="t"/>: float32 (weights) or int64 (shapes); any other element type is refused by name.</summary>
    public static ConstantTensor Read(TensorProto t, string name, string file)
    {
        long[] dims = [.. t.Dims];
        int count = ElementCount(dims, name, file);
        var type = (TensorProto.Types.DataType)t.DataType;
        switch (type)
        {
            case TensorProto.Types.DataType.Float:
                if (t.FloatData.Count > 0 || (count == 0 && !t.HasRawData && !IsExternal(t)))
                {
                    CheckCount(t.FloatData.Count, count, "float_data", name, dims, file);
                    return FromFloats(name, dims, [.. t.FloatData]);
                }

                return FromFloats(name, dims, DecodeFloats(Bytes(t, count, sizeof(float), name, dims, file)));
            case TensorProto.Types.DataType.Int64:
                if (t.Int64Data.Count > 0 || (count == 0 && !t.HasRawData && !IsExternal(t)))
                {
                    CheckCount(t.Int64Data.Count, count, "int64_data", name, dims, file);
                    return FromInt64s(name, dims, [.. t.Int64Data]);
                }

                return FromInt64s(name, dims, DecodeInt64s(Bytes(t, count, sizeof(long), name, dims, file)));
            default:
                throw new NnSimdFormatException(file, null,
                    $"tensor '{name}' is {(Enum.IsDefined(type) ? type.ToString().ToUpperInvariant() : $"of element type {t.DataType}")}; NnSimd reads FLOAT weights (and INT64 shapes) only.");
        }
    }

    /// <summary>The element count of <paramref name="dims"/>, refused when negative or larger than an array can hold.</summary>
    public static int ElementCount(long[] dims, string name, string file)
    {
        long count = 1;
        foreach (long d in dims)
        {
            // Each factor is at most Array.MaxLength and so is the running product, so it never overflows.
            if (d < 0 || d > Array.MaxLength || (count = count * d) > Array.MaxLength)
            {
                throw new NnSimdFormatException(file, null, $"tensor '{name}' has dims {DimsText(dims)}, which is {(d < 0 ? "a negative dimension" : "more elements than NnSimd holds in one array")}.");
            }
        }

        return (int)count;
    }

    public static string DimsText(long[] dims) => "[" + string.Join(", ", dims.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    private static bool IsExternal(TensorProto t) => t.DataLocation == TensorProto.Types.DataLocation.External;

    private static void CheckCount(int have, int count, string field, string name, long[] dims, string file)
    {
        if (have != count)
        {
            throw new NnSimdFormatException(file, null, $"tensor '{name}' has dims {DimsText(dims)} ({count} values) but its {field} holds {have}.");
        }
    }

    /// <summary>The tensor's bytes, from raw_data or from its external file, exactly count x size of them.</summary>
    private static ReadOnlySpan<byte> Bytes(TensorProto t, int count, int size, string name, long[] dims, string file)
    {
        long expected = (long)count * size;
        if (IsExternal(t))
        {
            return ExternalData.Read(t, expected, name, file);
        }

        if (t.RawData.Length != expected)
        {
            throw new NnSimdFormatException(file, null, $"tensor '{name}' has dims {DimsText(dims)} ({expected:N0} bytes) but its raw_data holds {t.RawData.Length:N0} bytes.");
        }

        return t.RawData.Span;
    }

    // ONNX stores raw data little-endian, as the CPUs NnSimd runs on are; the loops are for any other.
    private static float[] DecodeFloats(ReadOnlySpan<byte> bytes)
    {
        if (BitConverter.IsLittleEndian)
        {
            return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        }

        var values = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        }

        return values;
    }

    private static long[] DecodeInt64s(ReadOnlySpan<byte> bytes)
    {
        var values = new long[bytes.Length / sizeof(long)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes[(i * sizeof(long))..]);
        }

        return values;
    }
}
