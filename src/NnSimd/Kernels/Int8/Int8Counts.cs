using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>The int8 tile's row count: 6 rows x 2 panels are the 12 accumulators 16 registers leave room for.</summary>
internal readonly struct Rows6 : IRowCount { public static int Count => 6; }

/// <summary>The int8 row kernel's widest panel count: one step of 8 panels fills its 8 accumulators.</summary>
internal readonly struct Panels8 : IRowCount { public static int Count => 8; }
