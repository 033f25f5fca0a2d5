namespace NnSimd;

/// <summary>The widest vector path the kernels use in this process.</summary>
public enum SimdPath
{
    /// <summary>Plain scalar loops (no hardware intrinsics).</summary>
    Scalar,
    /// <summary>128-bit vectors (SSE or NEON).</summary>
    Vector128,
    /// <summary>256-bit vectors (AVX2 + FMA).</summary>
    Vector256,
    /// <summary>512-bit vectors (AVX-512).</summary>
    Vector512,
}
