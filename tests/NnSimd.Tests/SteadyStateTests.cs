using Xunit;
using Xunit.Sdk;

namespace NnSimd.Tests;

/// <summary>
/// The allocation check must fail for any allocation that repeats, and must pass a single round that the runtime's
/// per-thread counter overstates, which it does now and then by about an allocation quantum (8 KB) even when
/// nothing was allocated (its own test of the counter fails so, rarely).
/// </summary>
public class SteadyStateTests
{
    [Fact]
    public void An_allocation_in_every_round_fails()
    {
        Assert.Throws<TrueException>(() => SteadyState.AllocatesNothing(() => Keep(new byte[16])));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void An_allocation_that_comes_back_fails(int every)
    {
        int calls = 0;
        Assert.Throws<TrueException>(() => SteadyState.AllocatesNothing(() =>
        {
            if (++calls % every == 0)
            {
                Keep(new byte[16]);
            }
        }));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(8)]
    public void One_round_with_one_off_work_passes_when_the_rounds_after_it_are_clean(int round)
    {
        int calls = 0;
        SteadyState.AllocatesNothing(() =>
        {
            // Call 0 is the warm-up; call `round` is measured round `round`.
            if (calls++ == round)
            {
                Keep(new byte[8000]);
            }
        });
        Assert.True(calls > 8 + round, "the clean rounds after the one-off round were measured");
    }

    [Fact]
    public void Two_one_off_rounds_fail()
    {
        int calls = 0;
        Assert.Throws<TrueException>(() => SteadyState.AllocatesNothing(() =>
        {
            calls++;
            if (calls is 2 or 6)
            {
                Keep(new byte[16]);
            }
        }));
    }

    // A call the JIT cannot see through, so the array escapes and is allocated on the heap.
    private static void Keep(object o) => GC.KeepAlive(o);
}
