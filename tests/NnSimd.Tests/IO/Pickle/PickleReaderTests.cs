
using NnSimd.IO;
using Xunit;

namespace NnSimd.Tests.IO.Pickle;

public class PickleReaderTests
{
    private static readonly float[] Values = [1.5f, -2f, 3.25f, 0f, float.MaxValue, -0.125f];

    private static byte[] LittleF4(float[] v) => v.SelectMany(BitConverter.GetBytes).ToArray();

    private static byte[] BigF4(float[] v) => v.SelectMany(x => BitConverter.GetBytes(x).Reverse()).ToArray();

    /// <summary>{'W': array, 'b': array} with the array written by <paramref name="array"/>.</summary>
    private static byte[] Dict(PickleWriter w, Action<PickleWriter> array)
    {
        w.Proto();
        if (w.Protocol >= 4)
        {
            w.Op(0x95).Op(BitConverter.GetBytes(0L)); // FRAME (a length hint; readers may ignore it)
        }

        w.Op((byte)'}').Memoize().Op((byte)'(').Str("W").Memoize();
        array(w);
        w.Str("b").Memoize().Array([2], "f4", '<', false, LittleF4([7f, 8f]));
        return w.Op((byte)'u').Op((byte)'.').ToArray();
    }

    public static TheoryData<int, bool> Protocols => new() { { 2, false }, { 3, false }, { 4, false }, { 2, true }, { 3, true }, { 4, true } };

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Reads_arrays_in_protocols_2_to_4_and_both_module_spellings(int protocol, bool numpyTwo)
    {
        byte[] pickle = Dict(new PickleWriter(protocol) { NumpyTwo = numpyTwo }, w => w.Array([2, 3], "f4", '<', false, LittleF4(Values)));
        IReadOnlyDictionary<string, TensorData> arrays = PickleReader.ReadArrays(pickle, "fixture.pkl");
        Assert.Equal([2, 3], arrays["W"].Shape);
        Assert.Equal(Values, arrays["W"].Floats);
        Assert.Equal(new[] { 7f, 8f }, arrays["b"].Floats);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_protocol_5_frombuffer_with_in_band_buffers(bool readOnly)
    {
        var w = new PickleWriter(5) { NumpyTwo = readOnly };
        byte[] pickle = Dict(w, x => x.FromBuffer([3, 2], "f4", '<', false, LittleF4(Values), readOnly));
        Assert.Equal(Values, PickleReader.ReadArrays(pickle, "p5.pkl")["W"].Floats);
    }

    [Fact]
    public void Big_endian_Fortran_float64_and_uint8()
    {
        // [[1, 2, 3], [4, 5, 6]] in Fortran order (column by column), big-endian float64.
        byte[] f8 = new double[] { 1, 4, 2, 5, 3, 6 }.SelectMany(v => BitConverter.GetBytes(v).Reverse()).ToArray();
        byte[] pickle = Dict(new PickleWriter(3), w => w.Array([2, 3], "f8", '>', true, f8));
        TensorData t = PickleReader.ReadArrays(pickle, "f.pkl")["W"];
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, t.Floats);
        Assert.Equal(TensorDType.F64, t.SourceDType);

        Assert.Equal(Values, PickleReader.ReadArrays(Dict(new PickleWriter(2), w => w.Array([6], "f4", '>', false, BigF4(Values))), "be.pkl")["W"].Floats);
        Assert.Equal(new byte[] { 0, 9, 255 }, PickleReader.ReadArrays(Dict(new PickleWriter(4), w => w.Array([3], "u1", '|', false, [0, 9, 255])), "u.pkl")["W"].Bytes);
    }

    [Fact]
    public void Reads_the_books_weights()
    {
        IReadOnlyDictionary<string, TensorData> w = PickleReader.ReadArrays(TestData.SampleWeights);
        Assert.Equal(["W1", "W2", "W3", "b1", "b2", "b3"], w.Keys.Order());
        Assert.Equal([784, 50], w["W1"].Shape);
        Assert.Equal([50, 100], w["W2"].Shape);
        Assert.Equal([100, 10], w["W3"].Shape);
        Assert.Equal([10], w["b3"].Shape);
        Assert.All(w.Values, t => Assert.Equal(TensorDType.F32, t.SourceDType));
        Assert.True(w["W1"].Floats!.All(float.IsFinite));
    }

    [Theory]
    [InlineData("os", "system")]
    [InlineData("builtins", "eval")]
    [InlineData("numpy", "load")]
    [InlineData("subprocess", "Popen")]
    public void Any_other_global_is_refused_by_name_and_nothing_runs(string module, string name)
    {
        foreach (int protocol in new[] { 2, 4 })
        {
            byte[] pickle = new PickleWriter(protocol).Proto().Global(module, name).Str("touch /tmp/pwned").Op(0x85).Op((byte)'R').Op((byte)'.').ToArray();
            var e = Assert.Throws<NnSimdFormatException>(() => PickleReader.ReadArrays(pickle, "evil.pkl"));
            Assert.Contains($"refusing global '{module}.{name}'", e.Message);
            Assert.Contains("evil.pkl at byte", e.Message);
        }
    }

    [Fact]
    public void Broken_pickles_give_clear_errors()
    {
        byte[] good = Dict(new PickleWriter(3), w => w.Array([2, 3], "f4", '<', false, LittleF4(Values)));
        Assert.Contains("truncated", Assert.Throws<NnSimdFormatException>(() => PickleReader.ReadArrays(good[..^20], "t.pkl")).Message);
        Assert.Contains("trailing data", Assert.Throws<NnSimdFormatException>(() => PickleReader.ReadArrays([.. good, 0x2e], "g.pkl")).Message);
        Assert.Contains("memo entry 9", Assert.Throws<NnSimdFormatException>(() => PickleReader.ReadArrays([0x80, 3, (byte)'h', 9, (byte)'.'], "m.pkl")).Message);
        byte[] lying = Dict(new PickleWriter(3), w => w.Array([20, 30], "f4", '<', false, LittleF4(Values)));
        Assert.Contains("needs 2400 bytes but holds 24", Assert.Throws<NnSimdFormatException>(() => PickleReader.ReadArrays(lying, "l.pkl")).Message);
        // A BINBYTES8 length of 2^62 must fail on the length, not try to allocate it.
        byte[] huge = [0x80, 4, 0x8e, .. BitConverter.GetBytes(1L << 62), 1, 2, 3];
        Assert.Contains("only 3 remain", Assert.Throws<NnSimdFormatException>(() => PickleReader.ReadArrays(huge, "h.pkl")).Message);
        Assert.Contains("protocol 1", Assert.Throws<NnSimdFormatException>(() => PickleReader.ReadArrays([0x80, 1, (byte)'.'], "p.pkl")).Message);
    }
}
