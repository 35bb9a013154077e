using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace Torture;

/// <summary>Trace calls in iterators and async iterators.</summary>
public static class Iterators
{
    static IEnumerable<int> Counting(int n)
    {
        Events.TraceText(A.S("iterator start"));
        for (var i = 0; i < n; i++)
        {
            Events.Trace1(A.I(i));
            yield return Fx.I(i);
            Events.TracePair(A.S("resumed"), A.I(i));
        }
        Events.TraceText(A.S("iterator end"));
    }

    public static object? Iterator() => string.Join(",", Counting(3));

    static IEnumerable<string> WithFinally()
    {
        try
        {
            Events.TraceText(A.S("try"));
            yield return Fx.V("first");
            Events.TraceText(A.S("after first"));
            yield return Fx.V("second");
        }
        finally
        {
            Events.TraceText(A.S("iterator finally"));
        }
    }

    public static object? IteratorWithFinallyStoppedEarly() => WithFinally().First();

    public static object? IteratorWithFinallyToTheEnd() => string.Join(",", WithFinally());

    static IEnumerable<int> YieldBreak(int n)
    {
        if (n < 0)
        {
            Events.Trace1(A.I(n));
            yield break;
        }
        Events.Trace0();
        yield return n;
    }

    public static object? IteratorYieldBreak() => YieldBreak(-1).Count() + YieldBreak(1).Count();

    public static object? LinqWithTracingLambdas()
    {
        var squares = Enumerable.Range(1, 3)
            .Where(i => { Events.Trace1(A.I(i)); return i != 2; })
            .Select(i => { Events.TracePair(A.S("select"), A.I(i * i)); return i * i; })
            .ToList();
        return string.Join(",", squares);
    }

    public static async IAsyncEnumerable<int> Numbers(int n)
    {
        Events.TraceText(A.S("async iterator start"));
        for (var i = 0; i < n; i++)
        {
            await Task.Yield();
            Events.Trace1(A.I(i));
            yield return Fx.I(i);
            Events.TracePair(A.S("async resumed"), A.I(i));
        }
        try
        {
            await Task.Yield();
        }
        finally
        {
            Events.TraceText(A.S("async iterator finally"));
        }
    }

    public static async Task<object?> AsyncIterator()
    {
        var list = new List<int>();
        await foreach (var v in Numbers(3)) list.Add(v);
        return string.Join(",", list);
    }

    public static async Task<object?> AsyncIteratorStoppedEarly()
    {
        await foreach (var v in Numbers(5))
        {
            if (v == 1) return v;
        }
        return -1;
    }
}

/// <summary>Kept for AsyncCases.AwaitForeach.</summary>
public static class AsyncIterators
{
    public static IAsyncEnumerable<int> Numbers(int n) => Iterators.Numbers(n);
}
