using System;

namespace Torture;

/// <summary>Trace calls in and around exception handling, using and lock.</summary>
public static class Exceptions
{
    public static object? TryCatchFinally()
    {
        var log = "";
        foreach (var fail in new[] { false, true })
        {
            try
            {
                Events.TraceText(A.S("try"));
                if (fail) Fx.Throw("fail");
                log += "t";
                Events.Trace1(A.I(1));
            }
            catch (CaseFailure e)
            {
                Events.TraceText(A.S("catch " + e.Message));
                log += "c";
            }
            finally
            {
                Events.TraceText(A.S("finally"));
                log += "f";
            }
        }
        return log;
    }

    public static object? FirstAndLastStatementsOfBlocks()
    {
        try
        {
            Events.Trace1(A.I(1)); // first instruction of a try block
        }
        finally
        {
            Events.Trace1(A.I(2)); // first instruction of a finally handler
        }
        try
        {
            Fx.Throw("x");
        }
        catch
        {
            Events.Trace1(A.I(3)); // first statement of a catch without a variable
        }
        try
        {
            Fx.Throw("y");
        }
        catch (Exception)
        {
            Events.Trace1(A.I(4));
        }
        Events.Trace1(A.I(5)); // first instruction after a handler
        return 5;
    }

    public static object? ExceptionFilters()
    {
        var log = "";
        for (var i = 0; i < 3; i++)
        {
            try
            {
                Fx.Throw("code " + i);
            }
            catch (CaseFailure e) when (Filter(e, i))
            {
                Events.TraceText(A.S("filtered " + e.Message));
                log += i;
            }
            catch (CaseFailure e) when (e.Message.EndsWith(Fx.I(2).ToString()))
            {
                Events.TraceText(A.S("second filter"));
                log += "s";
            }
            catch (Exception)
            {
                Events.Trace0();
                log += "x";
            }
        }
        return log;
    }

    static bool Filter(Exception e, int i)
    {
        Events.TraceText(A.S("in filter " + i)); // a trace call in a method a filter calls
        return i == 0;
    }

    public static object? NestedTryBlocks()
    {
        var log = "";
        try
        {
            try
            {
                Events.Trace1(A.I(1));
                Fx.Throw("inner");
            }
            catch (CaseFailure)
            {
                Events.Trace1(A.I(2));
                try
                {
                    Fx.Throw("in catch");
                }
                finally
                {
                    Events.Trace1(A.I(3));
                    log += "f1";
                }
            }
            finally
            {
                Events.Trace1(A.I(4));
                log += "f2";
            }
        }
        catch (CaseFailure e)
        {
            Events.TraceText(A.S(e.Message));
            log += "c";
        }
        return log;
    }

    public static object? RethrowAndThrowInFinally()
    {
        try
        {
            try
            {
                Fx.Throw("first");
            }
            catch (CaseFailure)
            {
                Events.Trace1(A.I(1));
                throw;
            }
        }
        catch (CaseFailure e)
        {
            Events.TraceText(A.S("rethrown " + e.Message));
        }
        try
        {
            try
            {
                Events.Trace1(A.I(2));
            }
            finally
            {
                Events.Trace1(A.I(3));
                Fx.Throw("from finally");
            }
        }
        catch (CaseFailure e)
        {
            Events.TraceText(A.S(e.Message));
        }
        return "rethrow";
    }

    public static object? ReturnInsideTryWithFinally() => ReturnInTry(Fx.I(1)) + ReturnInTry(Fx.I(2));

    static int ReturnInTry(int x)
    {
        try
        {
            Events.Trace1(A.I(x));
            if (x == 1) return 10;
            Events.TraceText(A.S("not returned"));
        }
        finally
        {
            Events.TraceText(A.S("finally " + x));
        }
        Events.Trace0();
        return 20;
    }

    public static object? ArgumentThrowsInsideTry()
    {
        var log = "";
        try
        {
            Events.TracePair(A.S("first"), A.Throw("argument"));
            log += "not thrown";
        }
        catch (ArgumentFailure e)
        {
            Events.TraceText(A.S("caught " + e.Message));
            log += "caught";
        }
        finally
        {
            log += "/finally";
        }
        return log;
    }

    public static object? Using()
    {
        using (var d = new Disposable("a"))
        {
            Events.TraceText(A.S("inside a"));
        }
        using (new Disposable("b"))
        using (new Disposable("c"))
        {
            Events.Trace1(A.I(2));
        }
        using var e = new Disposable("declaration");
        Events.TraceText(A.S("after declaration"));
        Disposable? none = null;
        using (none)
        {
            Events.Trace0();
        }
        return "using";
    }

    public static object? UsingWithStruct()
    {
        using (var s = new StructDisposable(Fx.I(3)))
        {
            Events.Trace1(A.I(s.Value));
        }
        return 3;
    }

    struct StructDisposable : IDisposable
    {
        public StructDisposable(int value) => Value = value;
        public int Value { get; }
        public void Dispose() => Events.TraceText(A.S("struct disposed " + Value));
    }

    public static object? Lock()
    {
        var gate = new object();
        var count = 0;
        lock (gate)
        {
            Events.Trace1(A.I(1));
            count++;
            lock (gate)
            {
                Events.Trace1(A.I(2));
            }
        }
        try
        {
            lock (gate)
            {
                Events.Trace1(A.I(3));
                Fx.Throw("in lock");
            }
        }
        catch (CaseFailure)
        {
            Events.Trace1(A.I(System.Threading.Monitor.IsEntered(gate) ? -1 : 4));
        }
        return count;
    }

    public static object? TraceCallInCatchOfItsOwnArgumentsException()
    {
        for (var i = 0; i < 2; i++)
        {
            try
            {
                Events.Trace1(i == 0 ? A.Throw("first") : A.I(i));
            }
            catch (ArgumentFailure e)
            {
                Events.TraceText(A.S("caught " + e.Message));
            }
        }
        return 2;
    }

    public static object? UncaughtFromTheCase()
    {
        Events.Trace1(A.I(1));
        Fx.Throw("uncaught");
        return null;
    }
}
