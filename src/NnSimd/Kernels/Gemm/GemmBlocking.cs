using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// Block sizes of the GEMM, in one place. The panel width NR is one vector of the chosen path
/// (<see cref="ISimd{TVec}.Count"/>: 16 floats with Vector512, 8 with Vector256, 4 with Vector128, 1 scalar), so a
/// panel row is one load. How the blocks nest:
/// <code>
/// for kc0 in 0..k step KC                 depth blocks                           (MacroKernel)
///   for i0 in 0..m step MC                rows blocks                            (MacroKernel)
///     for j in 0..panels step 1..3        groups of 1..3 panels of NR columns    (MacroKernel)
///       for i in i0..end step MR          MR x 1..3 NR tiles, then one 4-row one  (MicroKernel)
///     for each of the last 0..3 rows      1 x 1..4 NR                            (RowKernel)
///     at the last depth block             tail columns, dot products over all k  (TailKernel)
/// </code>
/// </summary>
internal static class GemmBlocking
{
    /// <summary>MR: rows of A per micro-tile.</summary>
    public const int TileRows = 8;

    /// <summary>
    /// Panels for the next micro-tile, given <paramref name="remaining"/> panels. With 32 vector registers
    /// (AVX-512) an 8 x 3 tile holds 24 accumulators and loads 11 values per 24 FMAs (8 x 2: 10 per 16), which
    /// keeps both FMA pipes fed; 4 panels go as 2 + 2 rather than 3 + 1, since an 8 x 1 tile loads 9 values per
    /// 8 FMAs. With 16 registers (AVX2, SSE) anything wider than 8 x 1 would spill.
    /// </summary>
    public static int TilePanels(int registers, int remaining) =>
        registers < 32 ? 1 :
        remaining >= 3 && remaining != 4 ? 3 :
        Math.Min(remaining, 2);

    /// <summary>
    /// KC: depth of one pass. An 8 x 1024 slice of A is 32 KB, within L1 (48 KB on Zen 4 and 5); the panel
    /// streams from L2. Measured at 100x784.784x50 on Vector512: KC = 256 took 56.2 us, KC = 1024 51.3 us
    /// (each extra pass stores and reloads the C tile), so MNIST-sized layers run in one pass.
    /// </summary>
    public const int DepthBlock = 1024;

    /// <summary>MC: rows of A per macro block, so the A block (96 x 256 x 4 B = 96 KB) stays in L2 while every panel passes over it.</summary>
    public const int RowBlock = 96;
}
