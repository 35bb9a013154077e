using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Torture;

/// <summary>Trace calls in async methods, lambdas and local functions: around awaits, never inside one.</summary>
public static class AsyncCases
{
    static async Task<int> Value(int v)
    {
        await Task.Yield();
        return Fx.I(v);
    }

    static Task<int> Completed(int v) => Task.FromResult(Fx.I(v));

    public static async Task<object?> AwaitBeforeAndAfter()
    {
        Events.Trace1(A.I(1));
        var a = await Value(2);
        Events.TracePair(A.S("after first await"), A.I(a));
        var b = await Completed(3); // completes synchronously
        Events.TracePair(A.S("after completed await"), A.I(b));
        await Task.Yield();
        Events.Trace0();
        return a + b;
    }

    public static async Task<object?> AwaitInLoops()
    {
        var sum = 0;
        for (var i = 0; i < 3; i++)
        {
            Events.Trace1(A.I(i));
            sum += await Value(i);
            Events.Trace1(A.I(sum));
        }
        var k = 0;
        while (await Value(k) < 2)
        {
            Events.TracePair(A.S("while"), A.I(k));
            k++;
        }
        foreach (var v in new[] { 5, 6 })
        {
            await Task.Yield();
            Events.Trace1(A.I(v));
        }
        return sum;
    }

    public static async Task<object?> AwaitInTryFinally()
    {
        var log = "";
        try
        {
            Events.TraceText(A.S("try"));
            await Task.Yield();
            Events.TraceText(A.S("try after await"));
            log += "t";
        }
        finally
        {
            Events.TraceText(A.S("finally"));
            await Task.Yield();
            Events.TraceText(A.S("finally after await"));
            log += "f";
        }
        return log;
    }

    public static async Task<object?> AwaitInTryCatch()
    {
        var log = "";
        try
        {
            await Value(1);
            Events.Trace1(A.I(1));
            Fx.Throw("async");
        }
        catch (CaseFailure e) when (e.Message == "async")
        {
            Events.TraceText(A.S("catch"));
            await Task.Yield();
            Events.TraceText(A.S("catch after await"));
            log += "c";
        }
        try
        {
            Events.Trace1(A.Throw("argument in async try"));
        }
        catch (ArgumentFailure)
        {
            log += "a";
            await Task.Yield();
            Events.Trace0();
        }
        return log;
    }

    public static async Task<object?> AwaitResultsInLocalsThenTraced()
    {
        var v = await Value(7);
        Events.Trace1(v); // the documented way to trace an awaited value
        var w = await Task.FromResult(Fx.I(1));
        Events.TracePair(A.S("sum"), v + w + A.I(1));
        return v;
    }

    public static async Task<object?> ExplicitGetResultInArgument()
    {
        await Task.Yield();
        // GetAwaiter().GetResult() written by the user is not an await: the argument is lazy.
        Events.Trace1(Completed(A.I(4)).GetAwaiter().GetResult());
        Events.Trace1(new ValueTask<int>(A.I(5)).GetAwaiter().GetResult());
        Events.Trace1(Task.FromResult(A.I(6)).Result);
        return 4;
    }

    public static async Task<object?> ValueTaskMethods()
    {
        var a = await ValueTaskValue(1);
        Events.Trace1(A.I(a));
        await ValueTaskVoid();
        return a;
    }

    static async ValueTask<int> ValueTaskValue(int v)
    {
        Events.Trace1(A.I(v));
        await Task.Yield();
        Events.Trace1(A.I(v + 1));
        return v;
    }

    static async ValueTask ValueTaskVoid()
    {
        await Task.Yield();
        Events.TraceText(A.S("valuetask"));
    }

    public static async Task<object?> AsyncLambdasAndLocalFunctions()
    {
        var captured = Fx.I(10);
        Func<int, Task<int>> lambda = async x =>
        {
            Events.Trace1(A.I(x));
            await Task.Yield();
            Events.Trace1(A.I(x + captured));
            return x * 2;
        };
        var a = await lambda(1);
        var b = await Local(2);
        var c = await StaticLocal(3);
        return a + b + c;

        async Task<int> Local(int x)
        {
            await Task.Yield();
            Events.TracePair(A.S("local"), A.I(x + captured));
            return x;
        }

        static async Task<int> StaticLocal(int x)
        {
            Events.TracePair(A.S("static local"), A.I(x));
            await Task.Yield();
            return x;
        }
    }

    public static async Task<object?> ConfigureAwaitAndWhenAll()
    {
        await Task.Delay(1).ConfigureAwait(false);
        Events.Trace1(A.I(1));
        var results = await Task.WhenAll(Completed(1), Completed(2)); // completed: a fixed order of effects
        Events.TraceParams(A.V(results));
        return results.Length;
    }

    public static async Task<object?> AwaitInSwitchAndConditions()
    {
        var log = "";
        for (var i = 0; i < 3; i++)
        {
            switch (await Value(i))
            {
                case 0:
                    Events.Trace1(A.I(0));
                    await Task.Yield();
                    break;
                case 1:
                    Events.TraceText(A.S("one"));
                    log += "1";
                    break;
                default:
                    if (await Value(i) > 1) Events.Trace0();
                    break;
            }
        }
        return log;
    }

    public static async Task<object?> AwaitUsing()
    {
        await using (var d = new AsyncDisposable("a"))
        {
            Events.TraceText(A.S("in await using"));
        }
        await using var e = new AsyncDisposable("declaration");
        Events.Trace1(A.I(2));
        return "await using";
    }

    public static async Task<object?> AwaitForeach()
    {
        var sum = 0;
        await foreach (var v in AsyncIterators.Numbers(3))
        {
            Events.Trace1(A.I(v));
            sum += v;
        }
        return sum;
    }

    public static async Task<object?> ExceptionFromAsyncArgument()
    {
        Events.Trace1(A.I(1));
        await Task.Yield();
        Events.TracePair(A.S("throws"), A.Throw("after await"));
        return "not thrown";
    }

    public static async Task<object?> TraceCallBeforeAwaitOnSameLine()
    {
        Events.Trace1(A.I(1)); await Task.Yield(); Events.Trace1(A.I(2));
        return 2;
    }

    public static async Task<object?> ManyAwaitsAndCalls()
    {
        var total = 0;
        for (var i = 0; i < 5; i++)
        {
            Events.Trace1(A.I(i));
            total += await Value(i);
            if (i % 2 == 0)
            {
                Events.TraceText(A.S("even"));
                continue;
            }
            total += await Completed(i);
            Events.TracePair(A.S("odd"), A.I(total));
        }
        return total;
    }

    public static async Task<object?> AsyncVoidLikeFireAndWait()
    {
        var done = new TaskCompletionSource<int>();
        Fire(done);
        var v = await done.Task;
        Events.Trace1(A.I(v));
        return v;
    }

    static async void Fire(TaskCompletionSource<int> done)
    {
        Events.TraceText(A.S("async void"));
        await Task.Yield();
        Events.TraceText(A.S("async void after await"));
        done.SetResult(Fx.I(9));
    }
}

/// <summary>Records its asynchronous disposal.</summary>
public sealed class AsyncDisposable : IAsyncDisposable
{
    readonly string _name;

    public AsyncDisposable(string name)
    {
        _name = name;
        Fx.Note("open " + name);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.Yield();
        Events.TraceText(A.S("async dispose " + _name));
    }
}
