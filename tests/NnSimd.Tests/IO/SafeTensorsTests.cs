using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NnSimd.IO;
using Xunit;

namespace NnSimd.Tests.IO;

public class SafeTensorsTests
{
    private static string File(string header, byte[] data)
    {
        byte[] h = Encoding.UTF8.GetBytes(header);
        string path = Path.Combine(TestData.TempDirectory(), "t.safetensors");
        System.IO.File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)h.Length), .. h, .. data]);
        return path;
    }

    /// <summary>
    /// A header of 640 bytes (0x280) starts the file with 0x80 0x02, which is also how a protocol-2 pickle starts;
    /// likewise 0x380..0x580 for protocols 3-5. The safetensors signature (a length that fits the file, then '{')
    /// must win, or a model whose header happens to be that long is refused as a pickle.
    /// </summary>
    [Theory]
    [InlineData(0x280)]
    [InlineData(0x380)]
    [InlineData(0x480)]
    [InlineData(0x580)]
    public void A_header_length_that_starts_like_a_pickle_is_still_safetensors(int headerBytes)
    {
        string path = Path.Combine(TestData.TempDirectory(), "pickle-like.safetensors");
        string json = "{\"__metadata__\":{\"pad\":\"\"}}";
        json = json.Replace("\"\"}}", "\"" + new string('x', headerBytes - json.Length) + "\"}}", StringComparison.Ordinal);
        Assert.Equal(headerBytes, json.Length);
        var bytes = new byte[8 + headerBytes];
        BitConverter.TryWriteBytes(bytes, (ulong)headerBytes);
        Encoding.ASCII.GetBytes(json).CopyTo(bytes, 8);
        System.IO.File.WriteAllBytes(path, bytes);
        Assert.Equal([0x80, (byte)(headerBytes >> 8)], bytes[..2]);
        Assert.Equal(FileKind.SafeTensors, FileFormat.Detect(path));
        Assert.Empty(SafeTensors.Read(path).Tensors);
    }

    [Fact]
    public void Round_trips_bitwise_with_metadata()
    {
        float[] w = [1.5f, -0f, float.Epsilon, float.MaxValue, float.NaN, 3f];
        string path = Path.Combine(TestData.TempDirectory(), "m.safetensors");
        SafeTensors.Write(path,
        [
            TensorData.FromFloats("w", [2, 3], w),
            TensorData.FromBytes("b", [4], [1, 2, 3, 255]),
            TensorData.FromIntegers("i", [2], [-5, long.MaxValue]),
        ], new Dictionary<string, string> { ["activations"] = "sigmoid,softmax" });

        SafeTensors.Contents c = SafeTensors.Read(path);
        Assert.Equal(BitConverter.SingleToInt32Bits(w[1]), BitConverter.SingleToInt32Bits(c["w"].Floats![1]));
        Assert.Equal(w.Select(BitConverter.SingleToInt32Bits), c["w"].Floats!.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal([2, 3], c["w"].Shape);
        Assert.Equal(new byte[] { 1, 2, 3, 255 }, c["b"].Bytes);
        Assert.Equal(new long[] { -5, long.MaxValue }, c["i"].Integers);
        Assert.Equal("sigmoid,softmax", c.Metadata["activations"]);
        Assert.Equal(0, (new FileInfo(path).Length - 8 - (long)BitConverter.ToUInt64(System.IO.File.ReadAllBytes(path), 0) - 24 - 4 - 16) % 8);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Property(MaxTest = 50)]
    public Property Random_tensors_round_trip() =>
        Prop.ForAll(Gen.Choose(0, 5).SelectMany(rows => Gen.Choose(1, 7).SelectMany(cols => Generators.Value().ArrayOf(rows * cols).Select(v => (rows, cols, v)))).ToArbitrary(), t =>
        {
            string path = Path.Combine(TestData.TempDirectory(), "p.safetensors");
            SafeTensors.Write(path, [TensorData.FromFloats("x", [t.rows, t.cols], t.v)]);
            TensorData back = SafeTensors.Read(path)["x"];
            return back.Floats!.SequenceEqual(t.v) && back.Shape.SequenceEqual([t.rows, t.cols]);
        });

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "inside the previous tensor")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12, "belong to no tensor")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "needs 12")]
    [InlineData("{\"a\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1, "dtype 'Q7'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 9, "5 bytes after the last tensor")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8, "truncated")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "appears twice")]
    [InlineData("[1,2]", 0, "expected the header to be a JSON object")]
    [InlineData("{\"a\":", 0, "not valid JSON")]
    public void Invalid_files_name_the_problem(string header, int dataBytes, string expected)
    {
        string path = File(header, new byte[dataBytes]);
        var e = Assert.Throws<NnSimdFormatException>(() => SafeTensors.Read(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_lying_header_length_is_refused_before_allocating()
    {
        string path = Path.Combine(TestData.TempDirectory(), "lie.safetensors");
        System.IO.File.WriteAllBytes(path, [.. BitConverter.GetBytes(1UL << 60), .. "{}"u8.ToArray()]);
        var e = Assert.Throws<NnSimdFormatException>(() => SafeTensors.Read(path));
        Assert.Contains("header length", e.Message);
        System.IO.File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Contains("too short", Assert.Throws<NnSimdFormatException>(() => SafeTensors.Read(path)).Message);
    }
}
