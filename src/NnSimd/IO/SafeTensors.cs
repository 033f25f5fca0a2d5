using System.Buffers.Binary;
using System.Text.Json;

namespace NnSimd.IO;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// <c>{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}</c>, then the raw
/// little-endian C-order data, every byte of which belongs to exactly one tensor. Python's safetensors and
/// PyTorch read and write it. Reading validates everything before any tensor is allocated.
/// </summary>
public static class SafeTensors
{
    /// <summary>The largest header accepted (the reference implementation's limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>A file's tensors, in data order, and its metadata.</summary>
    public sealed record Contents(IReadOnlyList<TensorData> Tensors, IReadOnlyDictionary<string, string> Metadata)
    {
        /// <summary>The tensor called <paramref name="name"/>, or an error naming the file's tensors.</summary>
        public TensorData this[string name] =>
            Tensors.FirstOrDefault(t => t.Name == name)
            ?? throw new KeyNotFoundException($"No tensor '{name}'; the file has {string.Join(", ", Tensors.Select(t => t.Name))}.");
    }

    private sealed record Entry(string Name, TensorDType DType, int[] Shape, long Begin, long End);

    /// <summary>Reads and validates a safetensors file.</summary>
    public static Contents Read(string path)
    {
        using FileStream file = File.OpenRead(path);
        long length = file.Length;
        if (length < 8)
        {
            throw new NnSimdFormatException(path, 0, $"{length} bytes is too short for a safetensors file (the header length alone takes 8).");
        }

        Span<byte> prefix = stackalloc byte[8];
        file.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(length - 8))
        {
            throw new NnSimdFormatException(path, 0,
                $"header length {headerLength} is larger than {(headerLength > MaxHeaderBytes ? $"the limit of {MaxHeaderBytes}" : $"the {length - 8} bytes that follow")}.");
        }

        var header = new byte[headerLength];
        file.ReadExactly(header);
        (List<Entry> entries, Dictionary<string, string> metadata) = ParseHeader(header, path);
        long dataLength = length - 8 - (long)headerLength;
        Validate(entries, dataLength, path, 8 + (long)headerLength);

        var tensors = new List<TensorData>(entries.Count);
        foreach (Entry e in entries)
        {
            var raw = new byte[e.End - e.Begin];
            file.ReadExactly(raw);
            tensors.Add(Decode(e, raw));
        }

        return new Contents(tensors, metadata);
    }

    /// <summary>
    /// Writes tensors (in the order given) and metadata as safetensors. The file is written beside
    /// <paramref name="path"/> under a temporary name and renamed over it only when complete.
    /// </summary>
    public static void Write(string path, IEnumerable<TensorData> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        List<TensorData> list = tensors.ToList();
        var names = new HashSet<string>();
        foreach (TensorData t in list)
        {
            if (!names.Add(t.Name) || t.Name == "__metadata__")
            {
                throw new ArgumentException($"Tensor name '{t.Name}' is repeated or reserved.", nameof(tensors));
            }
        }

        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject("__metadata__");
                foreach ((string key, string value) in metadata)
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            long offset = 0;
            foreach (TensorData t in list)
            {
                long size = t.ElementCount * ItemSize(StoredDType(t));
                writer.WriteStartObject(t.Name);
                writer.WriteString("dtype", StoredDType(t).ToString());
                writer.WriteStartArray("shape");
                foreach (int d in t.Shape)
                {
                    writer.WriteNumberValue(d);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + size);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += size;
            }

            writer.WriteEndObject();
        }

        // Pad the header with spaces to a multiple of 8, as the reference writer does, so the data is aligned.
        int padded = (int)((json.Length + 7) / 8 * 8);
        while (json.Length < padded)
        {
            json.WriteByte((byte)' ');
        }

        AtomicFile.Write(path, stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)json.Length);
            stream.Write(prefix);
            json.Position = 0;
            json.CopyTo(stream);
            foreach (TensorData t in list)
            {
                WriteData(stream, t);
            }
        });
    }

    // Integers are written as I64, except int8 tensors (quantized weights), which keep their one byte each.
    private static TensorDType StoredDType(TensorData t) =>
        t.Floats is not null ? TensorDType.F32 : t.Bytes is not null ? TensorDType.U8 : t.SourceDType == TensorDType.I8 ? TensorDType.I8 : TensorDType.I64;

    private static void WriteData(Stream stream, TensorData t)
    {
        if (t.Bytes is not null)
        {
            stream.Write(t.Bytes);
            return;
        }

        var buffer = new byte[8 * 4096];
        if (t.Floats is not null)
        {
            for (int i = 0; i < t.Floats.Length; i += 4096)
            {
                int n = Math.Min(4096, t.Floats.Length - i);
                for (int j = 0; j < n; j++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(4 * j), t.Floats[i + j]);
                }

                stream.Write(buffer, 0, 4 * n);
            }

            return;
        }

        long[] ints = t.Integers!;
        if (StoredDType(t) == TensorDType.I8)
        {
            var int8 = new byte[ints.Length];
            for (int i = 0; i < ints.Length; i++)
            {
                int8[i] = ints[i] is >= sbyte.MinValue and <= sbyte.MaxValue
                    ? (byte)(sbyte)ints[i]
                    : throw new ArgumentException($"Tensor '{t.Name}' is I8 but element {i} is {ints[i]}.", nameof(t));
            }

            stream.Write(int8);
            return;
        }

        for (int i = 0; i < ints.Length; i += 4096)
        {
            int n = Math.Min(4096, ints.Length - i);
            for (int j = 0; j < n; j++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(8 * j), ints[i + j]);
            }

            stream.Write(buffer, 0, 8 * n);
        }
    }

    private static (List<Entry>, Dictionary<string, string>) ParseHeader(byte[] header, string path)
    {
        var entries = new List<Entry>();
        var metadata = new Dictionary<string, string>();
        var seen = new HashSet<string>();
        // The reader checks UTF-8 only as strings are read, and then throws InvalidOperationException: checked first.
        if (!System.Text.Unicode.Utf8.IsValid(header))
        {
            throw Error(path, "the header is not valid UTF-8.");
        }

        var reader = new Utf8JsonReader(header, new JsonReaderOptions { MaxDepth = 8 });
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, "the header to be a JSON object", path);
            while (Next(ref reader) && reader.TokenType != JsonTokenType.EndObject)
            {
                string name = reader.GetString()!;
                if (!seen.Add(name))
                {
                    throw Error(path, $"'{name}' appears twice in the header.");
                }

                if (name == "__metadata__")
                {
                    Expect(ref reader, JsonTokenType.StartObject, "__metadata__ to be an object", path);
                    while (Next(ref reader) && reader.TokenType != JsonTokenType.EndObject)
                    {
                        string key = reader.GetString()!;
                        Expect(ref reader, JsonTokenType.String, $"metadata '{key}' to be a string", path);
                        metadata[key] = reader.GetString()!;
                    }

                    continue;
                }

                entries.Add(ParseEntry(ref reader, name, path));
            }
        }
        catch (JsonException e)
        {
            throw Error(path, $"the header is not valid JSON ({e.Message}).");
        }
        catch (InvalidOperationException e)
        {
            // A string whose escapes do not make text (a lone surrogate such as \ud800).
            throw Error(path, $"the header holds a string that is not text ({e.Message}).");
        }

        return (entries, metadata);
    }

    private static Entry ParseEntry(ref Utf8JsonReader reader, string name, string path)
    {
        Expect(ref reader, JsonTokenType.StartObject, $"tensor '{name}' to be an object", path);
        string? dtype = null;
        List<int>? shape = null;
        List<long>? offsets = null;
        while (Next(ref reader) && reader.TokenType != JsonTokenType.EndObject)
        {
            string field = reader.GetString()!;
            switch (field)
            {
                case "dtype":
                    Expect(ref reader, JsonTokenType.String, $"tensor '{name}' dtype to be a string", path);
                    dtype = reader.GetString();
                    break;
                case "shape":
                    shape = ReadNumbers(ref reader, name, field, path).Select(v => v <= int.MaxValue ? (int)v : throw Error(path, $"tensor '{name}': dimension {v} is too large.")).ToList();
                    break;
                case "data_offsets":
                    offsets = ReadNumbers(ref reader, name, field, path);
                    break;
                default:
                    throw Error(path, $"tensor '{name}' has an unknown field '{field}'.");
            }
        }

        if (dtype is null || shape is null || offsets is null)
        {
            throw Error(path, $"tensor '{name}' needs dtype, shape and data_offsets.");
        }

        if (offsets.Count != 2)
        {
            throw Error(path, $"tensor '{name}' data_offsets has {offsets.Count} numbers, not 2.");
        }

        TensorDType type = dtype switch
        {
            "F32" => TensorDType.F32,
            "F64" => TensorDType.F64,
            "F16" => TensorDType.F16,
            "BF16" => TensorDType.BF16,
            "U8" => TensorDType.U8,
            "I8" => TensorDType.I8,
            "I32" => TensorDType.I32,
            "I64" => TensorDType.I64,
            _ => throw Error(path, $"tensor '{name}' has dtype '{dtype}'; supported are F32, F64, F16, BF16, U8, I8, I32, I64."),
        };
        return new Entry(name, type, shape.ToArray(), offsets[0], offsets[1]);
    }

    private static List<long> ReadNumbers(ref Utf8JsonReader reader, string name, string field, string path)
    {
        Expect(ref reader, JsonTokenType.StartArray, $"tensor '{name}' {field} to be an array", path);
        var values = new List<long>();
        while (Next(ref reader) && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long v) || v < 0)
            {
                throw Error(path, $"tensor '{name}' {field} must hold non-negative integers.");
            }

            if (values.Count == 64)
            {
                throw Error(path, $"tensor '{name}' {field} has more than 64 entries.");
            }

            values.Add(v);
        }

        return values;
    }

    /// <summary>Offsets sorted, starting at 0, no overlap, no holes, ending at the data's end; sizes = shape x itemsize.</summary>
    private static void Validate(List<Entry> entries, long dataLength, string path, long dataStart)
    {
        entries.Sort((x, y) => x.Begin.CompareTo(y.Begin));
        long expected = 0;
        foreach (Entry e in entries)
        {
            long count;
            try
            {
                count = TensorData.ElementCountOf(e.Shape);
            }
            catch (OverflowException)
            {
                throw Error(path, $"tensor '{e.Name}' shape {string.Join('x', e.Shape)} overflows.");
            }

            if (e.End < e.Begin)
            {
                throw Error(path, $"tensor '{e.Name}' data_offsets [{e.Begin}, {e.End}] end before they begin.");
            }

            if (e.Begin != expected)
            {
                throw new NnSimdFormatException(path, dataStart + Math.Min(e.Begin, expected),
                    e.Begin > expected
                        ? $"bytes {expected}..{e.Begin} of the data belong to no tensor (a hole before '{e.Name}')."
                        : $"tensor '{e.Name}' starts at {e.Begin}, inside the previous tensor, which ends at {expected}.");
            }

            if (count > long.MaxValue / 8 || e.End - e.Begin != count * ItemSize(e.DType))
            {
                throw Error(path, $"tensor '{e.Name}' is {e.End - e.Begin} bytes, but {e.DType} {string.Join('x', e.Shape)} needs {count * ItemSize(e.DType)}.");
            }

            if (e.End > dataLength)
            {
                throw new NnSimdFormatException(path, dataStart + e.Begin, $"tensor '{e.Name}' ends at {e.End} but the data has only {dataLength} bytes (truncated?).");
            }

            expected = e.End;
        }

        if (expected != dataLength)
        {
            throw new NnSimdFormatException(path, dataStart + expected, $"{dataLength - expected} bytes after the last tensor belong to no tensor.");
        }
    }

    private static TensorData Decode(Entry e, byte[] raw)
    {
        int count = raw.Length / ItemSize(e.DType);
        switch (e.DType)
        {
            case TensorDType.U8:
                return TensorData.FromBytes(e.Name, e.Shape, raw);
            case TensorDType.F32:
                var f = new float[count];
                for (int i = 0; i < count; i++)
                {
                    f[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(4 * i));
                }

                return TensorData.FromFloats(e.Name, e.Shape, f);
            case TensorDType.F64:
                var d = new float[count];
                for (int i = 0; i < count; i++)
                {
                    d[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(raw.AsSpan(8 * i));
                }

                return TensorData.FromFloats(e.Name, e.Shape, d, TensorDType.F64);
            case TensorDType.F16 or TensorDType.BF16:
                var h = new float[count];
                for (int i = 0; i < count; i++)
                {
                    h[i] = FloatDecoding.Half(e.DType, BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(2 * i)));
                }

                return TensorData.FromFloats(e.Name, e.Shape, h, e.DType);
            case TensorDType.I8:
                var i8 = new long[count];
                for (int i = 0; i < count; i++)
                {
                    i8[i] = (sbyte)raw[i];
                }

                return TensorData.FromIntegers(e.Name, e.Shape, i8, TensorDType.I8);
            case TensorDType.I32:
                var i32 = new long[count];
                for (int i = 0; i < count; i++)
                {
                    i32[i] = BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(4 * i));
                }

                return TensorData.FromIntegers(e.Name, e.Shape, i32, TensorDType.I32);
            default:
                var i64 = new long[count];
                for (int i = 0; i < count; i++)
                {
                    i64[i] = BinaryPrimitives.ReadInt64LittleEndian(raw.AsSpan(8 * i));
                }

                return TensorData.FromIntegers(e.Name, e.Shape, i64, TensorDType.I64);
        }
    }

    internal static int ItemSize(TensorDType dtype) => dtype switch
    {
        TensorDType.U8 or TensorDType.I8 => 1,
        TensorDType.F16 or TensorDType.BF16 => 2,
        TensorDType.F32 or TensorDType.I32 => 4,
        _ => 8,
    };

    private static bool Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("the header ends early");
        }

        return true;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what, string path)
    {
        Next(ref reader);
        if (reader.TokenType != type)
        {
            throw Error(path, $"expected {what}, found {reader.TokenType}.");
        }
    }

    private static NnSimdFormatException Error(string path, string problem) => new(path, null, "safetensors header: " + problem);
}
