using System.Buffers.Binary;

namespace NnSimd.IO;

/// <summary>
/// One storage of a torch.save file: the raw bytes of <c>data/KEY</c>, its element type and byte order. Many
/// tensors may view one storage (slices of a parameter, tied weights).
/// </summary>
internal sealed class TorchStorage(string key, TensorDType dtype, byte[] bytes, bool bigEndian)
{
    public string Key { get; } = key;

    public TensorDType DType { get; } = dtype;

    public int ItemSize { get; } = dtype switch { TensorDType.F64 => 8, TensorDType.F32 => 4, _ => 2 };

    public long Count => bytes.LongLength / ItemSize;

    /// <summary>The storage types a state_dict of floating-point tensors names, and their element types.</summary>
    public static readonly IReadOnlyDictionary<string, TensorDType> Types = new Dictionary<string, TensorDType>
    {
        ["torch.FloatStorage"] = TensorDType.F32,
        ["torch.DoubleStorage"] = TensorDType.F64,
        ["torch.HalfStorage"] = TensorDType.F16,
        ["torch.BFloat16Storage"] = TensorDType.BF16,
    };

    public float this[long index]
    {
        get
        {
            ReadOnlySpan<byte> e = bytes.AsSpan(checked((int)(index * ItemSize)), ItemSize);
            return DType switch
            {
                TensorDType.F32 => bigEndian ? BinaryPrimitives.ReadSingleBigEndian(e) : BinaryPrimitives.ReadSingleLittleEndian(e),
                TensorDType.F64 => (float)(bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(e) : BinaryPrimitives.ReadDoubleLittleEndian(e)),
                _ => FloatDecoding.Half(DType, bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(e) : BinaryPrimitives.ReadUInt16LittleEndian(e)),
            };
        }
    }
}

/// <summary>
/// A tensor of a torch.save file: a view (offset, sizes, strides) into a storage, gathered into a row-major
/// float32 array once its bounds are checked against the storage, so a stride or offset past the end is
/// refused rather than read.
/// </summary>
internal sealed class TorchTensor
{
    private TorchTensor(int[] shape, float[] values, TensorDType dtype)
    {
        Shape = shape;
        Values = values;
        DType = dtype;
    }

    public int[] Shape { get; }

    public float[] Values { get; }

    public TensorDType DType { get; }

    public static TorchTensor Create(TorchStorage storage, long offset, int[] shape, long[] strides, long op, string source)
    {
        if (shape.Length != strides.Length)
        {
            throw new NnSimdFormatException(source, op, $"a tensor of {shape.Length} sizes has {strides.Length} strides.");
        }

        long count;
        try
        {
            count = TensorData.ElementCountOf(shape);
        }
        catch (OverflowException)
        {
            throw new NnSimdFormatException(source, op, $"shape {string.Join('x', shape)} overflows.");
        }

        if (count > 0)
        {
            // The last element a view reaches: offset + sum of (size - 1) * stride, each term checked for overflow.
            long last = offset;
            try
            {
                for (int d = 0; d < shape.Length; d++)
                {
                    last = checked(last + (shape[d] - 1L) * strides[d]);
                }
            }
            catch (OverflowException)
            {
                last = long.MaxValue;
            }

            if (offset < 0 || last >= storage.Count)
            {
                throw new NnSimdFormatException(source, op,
                    $"a {string.Join('x', shape)} tensor at offset {offset} with strides ({string.Join(", ", strides)}) reaches element {last}, past the end of storage '{storage.Key}' ({storage.Count} elements).");
            }
        }

        var values = new float[count];
        var index = new int[shape.Length];
        for (long i = 0; i < count; i++)
        {
            long at = offset;
            for (int d = 0; d < shape.Length; d++)
            {
                at += index[d] * strides[d];
            }

            values[i] = storage[at];
            for (int d = shape.Length - 1; d >= 0 && ++index[d] == shape[d]; d--)
            {
                index[d] = 0;
            }
        }

        return new TorchTensor(shape, values, storage.DType);
    }
}
