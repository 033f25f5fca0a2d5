using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace NnSimd.IO;

/// <summary>
/// NumPy's <c>.npy</c> format: the magic <c>\x93NUMPY</c>, a version, a header length, a Python-literal dict
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (n, m), }</c> (parsed by a small strict parser, never
/// evaluated), then the data. Reads f4, f8, u1, i4, i8 in either byte order and either memory order
/// (Fortran order is transposed into row-major); writes float32 C-order version 1.0.
/// </summary>
public static class Npy
{
    /// <summary>NumPy's own limit on dimensions (NPY_MAXDIMS in 1.x).</summary>
    private const int MaxDimensions = 32;

    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads an .npy file.</summary>
    public static TensorData Read(string path)
    {
        using FileStream file = File.OpenRead(path);
        return Read(file, path, Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>Reads one .npy array from a stream (e.g. a member of an .npz); errors name <paramref name="source"/>.</summary>
    public static TensorData Read(Stream stream, string source, string name)
    {
        var reader = new StreamReaderAt(stream, source);
        ReadOnlySpan<byte> magic = reader.Take(8, "the .npy magic and version");
        if (!magic[..6].SequenceEqual(Magic))
        {
            throw new NnSimdFormatException(source, 0, "not an .npy file (no \\x93NUMPY magic).");
        }

        int major = magic[6];
        int headerLength = major switch
        {
            1 => BinaryPrimitives.ReadUInt16LittleEndian(reader.Take(2, "the header length")),
            2 or 3 => checked((int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(reader.Take(4, "the header length")), int.MaxValue)),
            _ => throw new NnSimdFormatException(source, 6, $".npy version {major}.{magic[7]} is not supported (1.0 to 3.0 are)."),
        };
        if (headerLength > 1 << 20)
        {
            throw new NnSimdFormatException(source, 8, $"header length {headerLength} is implausible.");
        }

        long headerStart = reader.Position;
        string header = Encoding.UTF8.GetString(reader.Take(headerLength, "the header"));
        (string descr, bool fortran, int[] shape) = ParseHeader(header, source, headerStart);
        (TensorDType dtype, int size, bool bigEndian) = descr switch
        {
            "<f4" or "=f4" => (TensorDType.F32, 4, false),
            ">f4" => (TensorDType.F32, 4, true),
            "<f8" or "=f8" => (TensorDType.F64, 8, false),
            ">f8" => (TensorDType.F64, 8, true),
            "|u1" or "<u1" or ">u1" or "=u1" => (TensorDType.U8, 1, false),
            "<i4" or "=i4" => (TensorDType.I32, 4, false),
            ">i4" => (TensorDType.I32, 4, true),
            "<i8" or "=i8" => (TensorDType.I64, 8, false),
            ">i8" => (TensorDType.I64, 8, true),
            _ => throw new NnSimdFormatException(source, headerStart, $"dtype '{descr}' is not supported (f4, f8, u1, i4, i8 are)."),
        };
        long count;
        try
        {
            count = TensorData.ElementCountOf(shape);
        }
        catch (OverflowException)
        {
            throw new NnSimdFormatException(source, headerStart, $"shape {string.Join('x', shape)} overflows.");
        }

        byte[] raw = reader.TakeArray(checked(count * size), $"a {string.Join('x', shape)} array of {descr}");
        reader.ExpectEnd();
        int[] order = TensorData.RowMajorOrder(shape, fortran);
        switch (dtype)
        {
            case TensorDType.U8:
                return TensorData.FromBytes(name, shape, order.Select(i => raw[i]).ToArray());
            case TensorDType.F32 or TensorDType.F64:
                var f = new float[count];
                for (int i = 0; i < f.Length; i++)
                {
                    ReadOnlySpan<byte> e = raw.AsSpan(order[i] * size, size);
                    f[i] = size == 4
                        ? (bigEndian ? BinaryPrimitives.ReadSingleBigEndian(e) : BinaryPrimitives.ReadSingleLittleEndian(e))
                        : (float)(bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(e) : BinaryPrimitives.ReadDoubleLittleEndian(e));
                }

                return TensorData.FromFloats(name, shape, f, dtype);
            default:
                var n = new long[count];
                for (int i = 0; i < n.Length; i++)
                {
                    ReadOnlySpan<byte> e = raw.AsSpan(order[i] * size, size);
                    n[i] = size == 4
                        ? (bigEndian ? BinaryPrimitives.ReadInt32BigEndian(e) : BinaryPrimitives.ReadInt32LittleEndian(e))
                        : (bigEndian ? BinaryPrimitives.ReadInt64BigEndian(e) : BinaryPrimitives.ReadInt64LittleEndian(e));
                }

                return TensorData.FromIntegers(name, shape, n, dtype);
        }
    }

    /// <summary>Writes float32 values of the given shape as a version 1.0 .npy file, atomically.</summary>
    public static void Write(string path, ReadOnlySpan<float> values, IReadOnlyList<int> shape)
    {
        if (TensorData.ElementCountOf(shape) != values.Length)
        {
            throw new ArgumentException($"{values.Length} values do not fill the shape {string.Join('x', shape)}.", nameof(values));
        }

        string dims = shape.Count == 1 ? $"{shape[0]}," : string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";
        // Pad with spaces so magic + version + length + header (ending in \n) is a multiple of 64 bytes.
        int total = (10 + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(total - 10 - 1) + "\n";
        byte[] data = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i), values[i]);
        }

        AtomicFile.Write(path, stream =>
        {
            stream.Write(Magic);
            stream.WriteByte(1);
            stream.WriteByte(0);
            Span<byte> length = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
            stream.Write(length);
            stream.Write(Encoding.ASCII.GetBytes(header));
            stream.Write(data);
        });
    }

    /// <summary>Parses the header dict: exactly the keys descr, fortran_order and shape, Python literals only.</summary>
    private static (string Descr, bool Fortran, int[] Shape) ParseHeader(string header, string source, long offset)
    {
        string text = header.Trim();
        if (!text.StartsWith('{') || !text.EndsWith('}'))
        {
            throw new NnSimdFormatException(source, offset, $"the header is not a dict: {Clip(text)}");
        }

        string? descr = null;
        bool? fortran = null;
        int[]? shape = null;
        int i = 1;
        while (true)
        {
            SkipSpace(text, ref i);
            if (text[i] == '}')
            {
                break;
            }

            string key = QuotedString(text, ref i, source, offset);
            SkipSpace(text, ref i);
            Expect(text, ref i, ':', source, offset);
            SkipSpace(text, ref i);
            switch (key)
            {
                case "descr":
                    descr = QuotedString(text, ref i, source, offset);
                    break;
                case "fortran_order":
                    fortran = text[i..].StartsWith("True", StringComparison.Ordinal) ? true
                        : text[i..].StartsWith("False", StringComparison.Ordinal) ? false
                        : throw new NnSimdFormatException(source, offset, "fortran_order is neither True nor False.");
                    i += fortran.Value ? 4 : 5;
                    break;
                case "shape":
                    shape = Tuple(text, ref i, source, offset);
                    break;
                default:
                    throw new NnSimdFormatException(source, offset, $"unexpected header key '{key}'.");
            }

            SkipSpace(text, ref i);
            if (text[i] == ',')
            {
                i++;
            }
        }

        if (descr is null || fortran is null || shape is null)
        {
            throw new NnSimdFormatException(source, offset, $"the header lacks descr, fortran_order or shape: {Clip(text)}");
        }

        return (descr, fortran.Value, shape);
    }

    private static int[] Tuple(string text, ref int i, string source, long offset)
    {
        Expect(text, ref i, '(', source, offset);
        var dims = new List<int>();
        while (true)
        {
            SkipSpace(text, ref i);
            if (text[i] == ')')
            {
                i++;
                return dims.ToArray();
            }

            if (dims.Count == MaxDimensions)
            {
                throw new NnSimdFormatException(source, offset, $"the shape has more than {MaxDimensions} dimensions.");
            }

            int start = i;
            if (text[i] == '-')
            {
                i++;
            }

            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            ReadOnlySpan<char> size = text.AsSpan(start, i - start);
            if (size.Length == 0 || size is "-")
            {
                throw new NnSimdFormatException(source, offset, $"dimension {dims.Count} of the shape is not a size: {Clip(text[start..])}");
            }

            if (size[0] == '-')
            {
                throw new NnSimdFormatException(source, offset, $"dimension {dims.Count} of the shape is negative ({size}).");
            }

            if (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out int d))
            {
                throw new NnSimdFormatException(source, offset, $"dimension {dims.Count} of the shape ({size}) is larger than {int.MaxValue}.");
            }

            dims.Add(d);
            SkipSpace(text, ref i);
            if (i < text.Length && text[i] == ',')
            {
                i++;
            }
        }
    }

    private static string QuotedString(string text, ref int i, string source, long offset)
    {
        char quote = text[i];
        if (quote is not ('\'' or '"'))
        {
            throw new NnSimdFormatException(source, offset, $"expected a quoted string in the header at {Clip(text[i..])}");
        }

        int end = text.IndexOf(quote, i + 1);
        if (end < 0)
        {
            throw new NnSimdFormatException(source, offset, "unterminated string in the header.");
        }

        string value = text[(i + 1)..end];
        i = end + 1;
        return value;
    }

    private static void Expect(string text, ref int i, char c, string source, long offset)
    {
        if (i >= text.Length || text[i] != c)
        {
            throw new NnSimdFormatException(source, offset, $"expected '{c}' in the header at {Clip(text[Math.Min(i, text.Length)..])}");
        }

        i++;
    }

    private static void SkipSpace(string text, ref int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        if (i >= text.Length)
        {
            throw new InvalidDataException("The .npy header ends early.");
        }
    }

    private static string Clip(string s) => s.Length > 60 ? s[..60] + "..." : s;

    /// <summary>Reads a stream with a position, checked lengths and growth only as data arrives.</summary>
    private sealed class StreamReaderAt(Stream stream, string source)
    {
        public long Position { get; private set; }

        public ReadOnlySpan<byte> Take(int count, string what) => TakeArray(count, what);

        public byte[] TakeArray(long count, string what)
        {
            if (count > Array.MaxLength)
            {
                throw new NnSimdFormatException(source, Position, $"{what} would need {count} bytes.");
            }

            if (stream.CanSeek && count > stream.Length - stream.Position)
            {
                throw new NnSimdFormatException(source, Position, $"truncated: {what} needs {count} bytes but {stream.Length - stream.Position} remain.");
            }

            var buffer = new byte[(int)Math.Min(count, 1 << 20)];
            long filled = 0;
            while (filled < count)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, (int)Math.Min(count, 2L * buffer.Length));
                }

                int n = stream.Read(buffer, (int)filled, (int)(buffer.Length - filled));
                if (n == 0)
                {
                    throw new NnSimdFormatException(source, Position + filled, $"truncated: {what} needs {count} bytes but the data ends after {filled}.");
                }

                filled += n;
            }

            Position += count;
            return buffer;
        }

        public void ExpectEnd()
        {
            if (stream.ReadByte() >= 0)
            {
                throw new NnSimdFormatException(source, Position, "unexpected bytes after the array data.");
            }
        }
    }
}
