using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace NnSimd.Internal;

/// <summary>Software prefetch hints; no-ops where the hardware has none exposed.</summary>
internal static class Prefetch
{
    /// <summary>
    /// Asks for the cache line holding <paramref name="value"/> to be brought into L2. The address need not be
    /// pinned: a prefetch never faults, and one aimed where an object was before the GC moved it only wastes the hint.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Line(ref float value)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch1(Unsafe.AsPointer(ref value));
        }
    }

    /// <summary>
    /// Asks for every cache line of <paramref name="bytes"/> to be brought into L1, all at once: for input that is
    /// read next, whole, and may still be in DRAM. The reads alone leave many of its lines to arrive one wait after
    /// another; asked for up front they arrive together.
    /// </summary>
    public static unsafe void LinesIntoL1(ReadOnlySpan<byte> bytes)
    {
        if (Sse.IsSupported && !bytes.IsEmpty)
        {
            ref byte first = ref MemoryMarshal.GetReference(bytes);
            for (int i = 0; i < bytes.Length; i += 64)
            {
                Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref first, i)));
            }

            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref first, bytes.Length - 1)));
        }
    }

    /// <summary>Asks for every cache line of <paramref name="bytes"/> to be brought into L2 (see <see cref="Line"/>).</summary>
    public static unsafe void Lines(ReadOnlySpan<byte> bytes)
    {
        if (Sse.IsSupported && !bytes.IsEmpty)
        {
            ref byte first = ref MemoryMarshal.GetReference(bytes);
            for (int i = 0; i < bytes.Length; i += 64)
            {
                Sse.Prefetch1(Unsafe.AsPointer(ref Unsafe.Add(ref first, i)));
            }

            Sse.Prefetch1(Unsafe.AsPointer(ref Unsafe.Add(ref first, bytes.Length - 1)));
        }
    }
}
