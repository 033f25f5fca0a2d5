using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NnSimd.Internal;

namespace NnSimd.Training;

/// <summary>
/// The SGD step with momentum, v = momentum v - rate g, then w += v, in one pass over w, g and v. Each element gets
/// the operations of the three whole-array passes it replaces (v * momentum, g * -rate, their sum, w + v: four
/// roundings, no fused multiply-add), so the weights are bitwise the same; one pass reads and writes each array
/// once instead of up to three times.
/// </summary>
internal static class MomentumUpdate
{
    /// <summary>With <paramref name="momentum"/> 0: w = g * -rate + w (v is not touched).</summary>
    public static void Apply(Span<float> w, ReadOnlySpan<float> g, Span<float> v, float rate, float momentum)
    {
        if (g.Length != w.Length || v.Length != w.Length)
        {
            Guard.ThrowArgument($"w, g and v have {w.Length}, {g.Length} and {v.Length} elements; they must be equal.", nameof(g));
        }

        var call = new Call(w, g, v, rate, momentum);
        VectorDispatch.Run(ref call);
    }

    private readonly ref struct Call(Span<float> w, ReadOnlySpan<float> g, Span<float> v, float rate, float momentum) : IVectorKernel
    {
        private readonly Span<float> _w = w;
        private readonly ReadOnlySpan<float> _g = g;
        private readonly Span<float> _v = v;

        public void Run<TSimd, TVec>()
            where TSimd : struct, ISimd<TVec>
            where TVec : struct => Loop<TSimd, TVec>(_w, _g, _v, rate, momentum);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Loop<TSimd, TVec>(Span<float> w, ReadOnlySpan<float> g, Span<float> v, float rate, float momentum)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        ref float ws = ref MemoryMarshal.GetReference(w);
        ref float gs = ref MemoryMarshal.GetReference(g);
        ref float vs = ref MemoryMarshal.GetReference(v);
        int n = w.Length, lanes = TSimd.Count, i = 0;
        float step = -rate;
        TVec stepV = TSimd.Broadcast(step), momentumV = TSimd.Broadcast(momentum);
        if (momentum == 0)
        {
            for (; i <= n - lanes; i += lanes)
            {
                ref float wi = ref Unsafe.Add(ref ws, i);
                TSimd.Store(TSimd.Add(TSimd.Multiply(TSimd.Load(ref Unsafe.Add(ref gs, i)), stepV), TSimd.Load(ref wi)), ref wi);
            }

            for (; i < n; i++)
            {
                Unsafe.Add(ref ws, i) = (Unsafe.Add(ref gs, i) * step) + Unsafe.Add(ref ws, i);
            }

            return;
        }

        for (; i <= n - lanes; i += lanes)
        {
            ref float vi = ref Unsafe.Add(ref vs, i);
            ref float wi = ref Unsafe.Add(ref ws, i);
            TVec velocity = TSimd.Add(TSimd.Multiply(TSimd.Load(ref Unsafe.Add(ref gs, i)), stepV), TSimd.Multiply(TSimd.Load(ref vi), momentumV));
            TSimd.Store(velocity, ref vi);
            TSimd.Store(TSimd.Add(TSimd.Load(ref wi), velocity), ref wi);
        }

        for (; i < n; i++)
        {
            float velocity = (Unsafe.Add(ref gs, i) * step) + (Unsafe.Add(ref vs, i) * momentum);
            Unsafe.Add(ref vs, i) = velocity;
            Unsafe.Add(ref ws, i) += velocity;
        }
    }
}
