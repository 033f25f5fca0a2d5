using System.Text;
using NnSimd.IO;
using Xunit;

namespace NnSimd.Tests.IO;

public class NpyTests
{
    private static string Npy(string dict, byte[] data)
    {
        string header = dict.PadRight(118) + "\n";
        byte[] bytes = [0x93, .. "NUMPY"u8.ToArray(), 1, 0, (byte)header.Length, 0, .. Encoding.ASCII.GetBytes(header), .. data];
        string path = Path.Combine(TestData.TempDirectory(), "a.npy");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Writes_and_reads_float32()
    {
        string path = Path.Combine(TestData.TempDirectory(), "y.npy");
        float[] y = [1f, 2f, 3f, 4f, 5f, 6f];
        NnSimd.IO.Npy.Write(path, y, [2, 3]);
        Assert.Equal(0, (File.ReadAllBytes(path).Length - 24) % 64);
        TensorData t = NnSimd.IO.Npy.Read(path);
        Assert.Equal([2, 3], t.Shape);
        Assert.Equal(y, t.Floats);
    }

    [Fact]
    public void Reads_big_endian_float64_in_Fortran_order()
    {
        // [[1, 2, 3], [4, 5, 6]] stored column by column, big-endian doubles.
        double[] columnMajor = [1, 4, 2, 5, 3, 6];
        byte[] data = columnMajor.SelectMany(v => BitConverter.GetBytes(v).Reverse()).ToArray();
        TensorData t = NnSimd.IO.Npy.Read(Npy("{'descr': '>f8', 'fortran_order': True, 'shape': (2, 3), }", data));
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, t.Floats);
        Assert.Equal(TensorDType.F64, t.SourceDType);
    }

    [Fact]
    public void Reads_uint8()
    {
        TensorData t = NnSimd.IO.Npy.Read(Npy("{'descr': '|u1', 'fortran_order': False, 'shape': (4,), }", [0, 1, 128, 255]));
        Assert.Equal(new byte[] { 0, 1, 128, 255 }, t.Bytes);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 1000), }", 8, "truncated")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", 8, "would need")]
    [InlineData("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", 8, "'<c8'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 8, "after the array data")]
    [InlineData("{'descr': '<f4', 'fortran_order': maybe, 'shape': (1,), }", 4, "fortran_order")]
    [InlineData("__import__('os').system('x')", 4, "not a dict")]
    public void Invalid_files_name_the_problem(string dict, int bytes, string expected)
    {
        var e = Assert.Throws<NnSimdFormatException>(() => NnSimd.IO.Npy.Read(Npy(dict, new byte[bytes])));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("(-3, 4)", "dimension 0 of the shape is negative (-3)")]
    [InlineData("(3, -4)", "dimension 1 of the shape is negative (-4)")]
    [InlineData("(99999999999,)", "dimension 0 of the shape (99999999999) is larger than 2147483647")]
    [InlineData("(3, x)", "dimension 1 of the shape is not a size")]
    public void A_bad_shape_is_named_with_the_file_and_the_dimension(string shape, string expected)
    {
        string path = Npy($"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}", new byte[48]);
        var e = Assert.Throws<NnSimdFormatException>(() => NnSimd.IO.Npy.Read(path));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith(path, e.Message);
    }
}
