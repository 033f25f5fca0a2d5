using System.Runtime.CompilerServices;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// What a GEMM kernel does to an accumulator once the whole depth is summed, while it is still in a register, before
/// its one store: add the bias, then the activation (or a softmax of the row). A type parameter of every kernel, so
/// the JIT compiles one specialisation per epilogue and nothing is decided per element.
/// </summary>
internal interface IEpilogue
{
    /// <summary>
    /// The value to store for one accumulator of row <paramref name="row"/> of a tile (0..7), whose first
    /// <paramref name="cols"/> lanes are real columns. A row the epilogue cannot finish in a register comes back
    /// unchanged with bit <paramref name="row"/> set in <paramref name="deferred"/>.
    /// </summary>
    static abstract TVec Apply<TSimd, TVec>(TVec sum, TVec bias, int cols, ref int deferred, int row)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct;

    /// <summary>After the tile's stores: the rows flagged in <paramref name="deferred"/> (<paramref name="ldc"/> apart from <paramref name="c"/>) take the slow path.</summary>
    static abstract void Finish(ref float c, int ldc, int cols, int deferred);

    /// <summary>Whether an accumulator without a bias is stored as it is (the tail columns then need no second pass).</summary>
    static abstract bool IsIdentity { get; }
}

/// <summary>
/// An epilogue that takes a whole row at once (softmax): a tile then has one panel, and its rows are finished together
/// before any store, so their independent reductions overlap. A capability the kernels test with
/// <c>default(TEpi) is IRowWiseEpilogue</c>, a test the JIT folds away for each epilogue. (Asked through a static bool
/// property instead, the same branch left five of the eight accumulators on the stack in the k loop of the 8-row
/// tile: 4x slower at 100x100.100x10.)
/// </summary>
internal interface IRowWiseEpilogue : IEpilogue;

/// <summary>activation(sum + bias), element-wise: <typeparamref name="TAct"/> is one of the activation operators.</summary>
internal readonly struct ActivationEpilogue<TAct> : IEpilogue
    where TAct : IUnaryOp
{
    public static bool IsIdentity => TAct.IsIdentity;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TSimd, TVec>(TVec sum, TVec bias, int cols, ref int deferred, int row)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct => TSimd.Apply<TAct>(TSimd.Add(sum, bias));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Finish(ref float c, int ldc, int cols, int deferred)
    {
    }
}

/// <summary>
/// softmax(sum + bias) of a whole row held in one register: chosen only when a row fits one panel (a classifier's
/// 10 classes), so the logits are never stored and re-read. Bitwise what <see cref="Softmax.Rows"/> gives from memory;
/// a row whose maximum is not finite is stored as logits and finished by <see cref="Softmax.DeferredRows"/>.
/// </summary>
internal readonly struct SoftmaxEpilogue : IRowWiseEpilogue
{
    public static bool IsIdentity => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TSimd, TVec>(TVec sum, TVec bias, int cols, ref int deferred, int row)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct => Softmax.InRegister<TSimd, TVec>(TSimd.Add(sum, bias), cols, ref deferred, row);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Finish(ref float c, int ldc, int cols, int deferred)
    {
        if (deferred != 0)
        {
            Softmax.DeferredRows(ref c, ldc, cols, deferred);
        }
    }
}

/// <summary>A GEMM call waiting for its epilogue: <see cref="Run"/> is the kernel, generic over the epilogue.</summary>
internal interface IEpilogueKernel
{
    void Run<TEpi>()
        where TEpi : IEpilogue;
}

/// <summary>The one map from an <see cref="Activation"/> to the epilogue a GEMM (fp32 or int8) runs with.</summary>
internal static class EpilogueDispatch
{
    /// <summary>
    /// Runs <paramref name="kernel"/> with the epilogue of <paramref name="activation"/>. Softmax is finished in
    /// registers when <paramref name="rowInOneVector"/> (each row of c is one vector of the kernel's panels); otherwise
    /// the kernel stores the logits and c: [rows x <paramref name="columns"/>] is softmaxed in place afterwards.
    /// </summary>
    public static void Run<TKernel>(scoped ref TKernel kernel, Activation activation, bool rowInOneVector, Span<float> c, int columns)
        where TKernel : IEpilogueKernel, allows ref struct
    {
        switch (activation)
        {
            case Activation.Identity: kernel.Run<ActivationEpilogue<IdentityOp>>(); break;
            case Activation.Step: kernel.Run<ActivationEpilogue<StepOp>>(); break;
            case Activation.Sigmoid: kernel.Run<ActivationEpilogue<SigmoidOp>>(); break;
            case Activation.Relu: kernel.Run<ActivationEpilogue<ReluOp>>(); break;
            case Activation.Tanh: kernel.Run<ActivationEpilogue<TanhOp>>(); break;
            case Activation.Softmax when rowInOneVector: kernel.Run<SoftmaxEpilogue>(); break;
            case Activation.Softmax:
                kernel.Run<ActivationEpilogue<IdentityOp>>();
                Softmax.Rows(c, columns, c);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }
}
