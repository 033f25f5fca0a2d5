using System.Buffers.Binary;

namespace NnSimd.IO;

/// <summary>
/// The IDX format of the MNIST files, raw or gzip: two zero bytes, a type code, the number of dimensions, then
/// each dimension as a big-endian u32, then the elements, big-endian, row-major. Everything is checked against
/// the data actually present before the elements are kept.
/// </summary>
public static class Idx
{
    /// <summary>At most this many elements per file (the full MNIST training set is 47 million).</summary>
    public const long MaxElements = 1L << 30;

    /// <summary>Reads an IDX file: uint8 (0x08) as bytes, int32 (0x0C) as integers, float32 (0x0D) and float64 (0x0E) as floats.</summary>
    public static TensorData Read(string path)
    {
        using var reader = new BoundedReader(path);
        byte[] head = reader.ReadExactly(4, "the IDX magic number");
        if (head[0] != 0 || head[1] != 0)
        {
            throw new NnSimdFormatException(path, 0, $"not an IDX file: it starts with 0x{head[0]:x2}{head[1]:x2}, not 0x0000.");
        }

        (TensorDType dtype, int itemSize) = head[2] switch
        {
            0x08 => (TensorDType.U8, 1),
            0x0C => (TensorDType.I32, 4),
            0x0D => (TensorDType.F32, 4),
            0x0E => (TensorDType.F64, 8),
            _ => throw new NnSimdFormatException(path, 2, $"IDX element type 0x{head[2]:x2} is not supported (0x08 u8, 0x0C i32, 0x0D f32, 0x0E f64 are)."),
        };
        int rank = head[3];
        if (rank is < 1 or > 8)
        {
            throw new NnSimdFormatException(path, 3, $"IDX rank {rank} is outside 1..8.");
        }

        byte[] dimBytes = reader.ReadExactly(4L * rank, "the IDX dimensions");
        var shape = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            uint d = BinaryPrimitives.ReadUInt32BigEndian(dimBytes.AsSpan(4 * i));
            if (d > int.MaxValue)
            {
                throw new NnSimdFormatException(path, 4 + 4 * i, $"dimension {i} is {d}, too large.");
            }

            shape[i] = (int)d;
            count *= d;
            if (count > MaxElements)
            {
                throw new NnSimdFormatException(path, 4 + 4 * i, $"the shape {string.Join('x', shape[..(i + 1)])} has more than {MaxElements} elements.");
            }
        }

        byte[] data = reader.ReadExactly(count * itemSize, $"a {string.Join('x', shape)} tensor of {dtype}");
        reader.ExpectEnd();
        string name = Path.GetFileName(path);
        switch (dtype)
        {
            case TensorDType.U8:
                return TensorData.FromBytes(name, shape, data);
            case TensorDType.I32:
                var ints = new long[count];
                for (int i = 0; i < ints.Length; i++)
                {
                    ints[i] = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4 * i));
                }

                return TensorData.FromIntegers(name, shape, ints, TensorDType.I32);
            case TensorDType.F32:
                var floats = new float[count];
                for (int i = 0; i < floats.Length; i++)
                {
                    floats[i] = BinaryPrimitives.ReadSingleBigEndian(data.AsSpan(4 * i));
                }

                return TensorData.FromFloats(name, shape, floats);
            default:
                var doubles = new float[count];
                for (int i = 0; i < doubles.Length; i++)
                {
                    doubles[i] = (float)BinaryPrimitives.ReadDoubleBigEndian(data.AsSpan(8 * i));
                }

                return TensorData.FromFloats(name, shape, doubles, TensorDType.F64);
        }
    }
}
