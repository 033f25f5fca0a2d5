using System.Runtime.Intrinsics;

namespace NnSimd.Internal;

/// <summary>
/// An element-wise operation at every width. Kernels take it as a type parameter, so the JIT inlines it into
/// the loop that needs it (the activation pass, or the GEMM epilogue while the tile is in registers).
/// </summary>
internal interface IUnaryOp
{
    static abstract float Invoke(float x);
    static abstract Vector128<float> Invoke(Vector128<float> x);
    static abstract Vector256<float> Invoke(Vector256<float> x);
    static abstract Vector512<float> Invoke(Vector512<float> x);

    /// <summary>Whether the operation leaves every value as it is (so a pass of it can be skipped).</summary>
    static virtual bool IsIdentity => false;
}
