using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NnSimd.Internal;

/// <summary>
/// A kernel call waiting for its vector width: its arguments are the struct's fields, and <see cref="Run"/> is the
/// kernel written once over <see cref="ISimd{TVec}"/>. A <c>ref struct</c>, so spans can be fields.
/// </summary>
internal interface IVectorKernel
{
    void Run<TSimd, TVec>()
        where TSimd : struct, ISimd<TVec>
        where TVec : struct;
}

/// <summary>
/// The one place that picks the width: <see cref="Simd.Path"/>, chosen once per process, decides which
/// specialisation of a kernel runs. The JIT compiles each (kernel, width) pair separately, so the switch costs a
/// predictable branch per call and nothing per element.
/// </summary>
internal static class VectorDispatch
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<TKernel>(scoped ref TKernel kernel)
        where TKernel : IVectorKernel, allows ref struct
    {
        switch (Simd.Path)
        {
            case SimdPath.Vector512: kernel.Run<Simd512, Vector512<float>>(); break;
            case SimdPath.Vector256: kernel.Run<Simd256, Vector256<float>>(); break;
            case SimdPath.Vector128: kernel.Run<Simd128, Vector128<float>>(); break;
            default: kernel.Run<Scalar1, float>(); break;
        }
    }
}
