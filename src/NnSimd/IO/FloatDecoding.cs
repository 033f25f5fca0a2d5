namespace NnSimd.IO;

/// <summary>16-bit floats widened to float32; both widenings are exact.</summary>
internal static class FloatDecoding
{
    public static float Half(TensorDType type, ushort bits) => type == TensorDType.BF16
        ? BitConverter.UInt32BitsToSingle((uint)bits << 16)
        : (float)BitConverter.UInt16BitsToHalf(bits);
}
