namespace NnSimd.Kernels;

/// <summary>
/// Block sizes of the GEMM, in one place. The panel width NR is one vector of the chosen path (16 floats with
/// Vector512, 8 with Vector256, 4 with Vector128, 1 scalar), so a panel row is one load.
/// </summary>
internal static class GemmBlocking
{
    /// <summary>MR: rows of A per micro-tile. 8 accumulators hide the 4-cycle FMA latency on one vector port.</summary>
    public const int TileRows = 8;

    /// <summary>KC: depth of one pass. A 8 x 256 slice of A (8 KB) and a 256 x 16 panel slice (16 KB) stay in L1.</summary>
    public const int DepthBlock = 256;

    /// <summary>MC: rows of A per macro block, so the A block (96 x 256 x 4 B = 96 KB) stays in L2 while every panel passes over it.</summary>
    public const int RowBlock = 96;
}
