using System.Runtime.Intrinsics;

namespace NnSimd.Internal;

/// <summary>An element-wise operation of two operands at every width, for <see cref="BinaryLoop"/> (as <see cref="IUnaryOp"/> is for one).</summary>
internal interface IBinaryOp
{
    static abstract float Invoke(float x, float y);
    static abstract Vector128<float> Invoke(Vector128<float> x, Vector128<float> y);
    static abstract Vector256<float> Invoke(Vector256<float> x, Vector256<float> y);
    static abstract Vector512<float> Invoke(Vector512<float> x, Vector512<float> y);
}
