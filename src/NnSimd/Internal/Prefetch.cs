using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace NnSimd.Internal;

/// <summary>Software prefetch hints; no-ops where the hardware has none exposed.</summary>
internal static class Prefetch
{
    /// <summary>Asks for every cache line of <paramref name="rows"/> rows of <paramref name="length"/> floats, <paramref name="stride"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Rows(ref float first, int rows, int stride, int length)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        for (int r = 0; r < rows; r++)
        {
            ref float row = ref Unsafe.Add(ref first, r * stride);
            for (int i = 0; i < length; i += 16)
            {
                Sse.Prefetch1(Unsafe.AsPointer(ref Unsafe.Add(ref row, i)));
            }
        }
    }
}
