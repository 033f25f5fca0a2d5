namespace NnSimd.IO;

/// <summary>Element types of the tensors the readers and writers handle.</summary>
public enum TensorDType
{
    /// <summary>32-bit float.</summary>
    F32,
    /// <summary>64-bit float (converted to float32 when read into a <see cref="TensorData"/>).</summary>
    F64,
    /// <summary>IEEE 16-bit float (converted to float32 exactly).</summary>
    F16,
    /// <summary>bfloat16, the top half of a float32 (converted to float32 exactly).</summary>
    BF16,
    /// <summary>Unsigned byte.</summary>
    U8,
    /// <summary>32-bit signed integer.</summary>
    I32,
    /// <summary>64-bit signed integer.</summary>
    I64,
    /// <summary>8-bit signed integer (quantized weights), read as 64-bit integers.</summary>
    I8,
}

/// <summary>
/// A named, row-major tensor: its shape and its elements, either as floats (F32; F64, F16, BF16 converted) or as bytes (U8),
/// or as 64-bit integers (I8, I32, I64). <see cref="SourceDType"/> keeps what the file held.
/// </summary>
public sealed class TensorData
{
    private TensorData(string name, int[] shape, TensorDType dtype, float[]? floats, byte[]? bytes, long[]? integers)
    {
        Name = name;
        Shape = shape;
        SourceDType = dtype;
        Floats = floats;
        Bytes = bytes;
        Integers = integers;
    }

    /// <summary>The tensor's name in its file.</summary>
    public string Name { get; }

    /// <summary>The dimensions, outermost first.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The element type in the file it came from.</summary>
    public TensorDType SourceDType { get; }

    /// <summary>The elements as float32 (F32, F64), else null.</summary>
    public float[]? Floats { get; }

    /// <summary>The elements as bytes (U8), else null.</summary>
    public byte[]? Bytes { get; }

    /// <summary>The elements as 64-bit integers (I8, I32, I64), else null.</summary>
    public long[]? Integers { get; }

    /// <summary>The number of elements: the product of the shape.</summary>
    public long ElementCount => ElementCountOf(Shape);

    /// <summary>The shape as text, e.g. <c>784x50</c> (a scalar is <c>()</c>).</summary>
    public string ShapeText => Shape.Count == 0 ? "()" : string.Join('x', Shape);

    /// <summary>A float tensor.</summary>
    public static TensorData FromFloats(string name, int[] shape, float[] values, TensorDType sourceDType = TensorDType.F32) =>
        Check(new TensorData(name, shape, sourceDType, values, null, null), values.Length);

    /// <summary>A byte tensor.</summary>
    public static TensorData FromBytes(string name, int[] shape, byte[] values) =>
        Check(new TensorData(name, shape, TensorDType.U8, null, values, null), values.Length);

    /// <summary>An integer tensor.</summary>
    public static TensorData FromIntegers(string name, int[] shape, long[] values, TensorDType sourceDType = TensorDType.I64) =>
        Check(new TensorData(name, shape, sourceDType, null, null, values), values.Length);

    /// <summary>The product of a shape, checked: a shape whose product overflows is refused.</summary>
    public static long ElementCountOf(IReadOnlyList<int> shape)
    {
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Negative dimension {d} in shape {string.Join('x', shape)}.", nameof(shape));
            }

            count = checked(count * d);
        }

        return count;
    }

    /// <summary>
    /// For each row-major position, the index of that element in storage of the given order: the identity for
    /// C order; for Fortran order (first index fastest, as NumPy writes <c>fortran_order</c> arrays) the
    /// permutation that transposes the data into row-major.
    /// </summary>
    internal static int[] RowMajorOrder(IReadOnlyList<int> shape, bool fortran)
    {
        int count = checked((int)ElementCountOf(shape));
        var order = new int[count];
        int rank = shape.Count;
        if (!fortran || rank < 2)
        {
            for (int i = 0; i < count; i++)
            {
                order[i] = i;
            }

            return order;
        }

        var stride = new int[rank];
        stride[0] = 1;
        for (int d = 1; d < rank; d++)
        {
            stride[d] = stride[d - 1] * shape[d - 1];
        }

        var index = new int[rank];
        for (int i = 0; i < count; i++)
        {
            int offset = 0;
            for (int d = 0; d < rank; d++)
            {
                offset += index[d] * stride[d];
            }

            order[i] = offset;
            for (int d = rank - 1; d >= 0 && ++index[d] == shape[d]; d--)
            {
                index[d] = 0;
            }
        }

        return order;
    }

    /// <summary>The floats, or an error naming the tensor when it holds another type.</summary>
    public float[] RequireFloats() =>
        Floats ?? throw new InvalidDataException($"Tensor '{Name}' holds {SourceDType}, not floating-point values.");

    private static TensorData Check(TensorData t, int length)
    {
        if (t.ElementCount != length)
        {
            throw new ArgumentException($"Tensor '{t.Name}' of shape {t.ShapeText} needs {t.ElementCount} elements, not {length}.");
        }

        return t;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} {SourceDType} {ShapeText}";
}
