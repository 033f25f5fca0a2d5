namespace NnSimd.Internal;

/// <summary>A row (or panel) count known to the JIT: a micro-kernel specialised per count folds its unused accumulators away.</summary>
internal interface IRowCount
{
    static abstract int Count { get; }
}

internal readonly struct Rows8 : IRowCount { public static int Count => 8; }

internal readonly struct Rows4 : IRowCount { public static int Count => 4; }

internal readonly struct Panels4 : IRowCount { public static int Count => 4; }

internal readonly struct Panels2 : IRowCount { public static int Count => 2; }

internal readonly struct Panels1 : IRowCount { public static int Count => 1; }

internal readonly struct Rows1 : IRowCount { public static int Count => 1; }

internal readonly struct Panels3 : IRowCount { public static int Count => 3; }
