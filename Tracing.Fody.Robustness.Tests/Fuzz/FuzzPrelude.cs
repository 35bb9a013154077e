namespace Tracing.Fody.Robustness.Tests.Fuzz;

/// <summary>
/// The code every fuzz program is compiled with: its trace events (declared, or hand-written for
/// the reference builds), the log that records what happens, the probes, and the harness the
/// test calls.
/// </summary>
public static class FuzzPrelude
{
    /// <summary>The events as a user declares them: what the weaver weaves.</summary>
    public const string DeclaredEvents = """
        using System;
        namespace Fuzz;
        public static class E
        {
            [Trace.Event] public static void T0() { }
            [Trace.Event] public static void T1(int a) { }
            [Trace.Event] public static void T2(string s, int a) { }
            [Trace.Event] public static void T3(long a, string? b, bool c) { }
            [Trace.Event] public static void TO(object? o) { }
            [Trace.Event] public static void TN(int? n) { }
            [Trace.Event] public static void TX(int a) { }
        }
        """;

    /// <summary>The same events written by hand: the reference (AssemblyToProcess/Reference/WovenHello.cs's pattern).</summary>
    public const string ReferenceEvents = """
        using System;
        using System.Threading;
        using Tracing;
        using Tracing.Internal;
        namespace Fuzz;
        public static class E
        {
            internal static ProbeNode<Action>? T0_probes;
            static ProbeList<Action>? s_T0;
            internal static Probe T0_Attach(ProbeGroup? pg, Action probe) => EventSupport.Attach(pg, ref s_T0, "Fuzz.E.T0", h => Volatile.Write(ref T0_probes, h), probe);
            [Trace.Event] public static void T0() { for (var n = Volatile.Read(ref T0_probes); n != null; n = n.Next) n.Func(); }

            internal static ProbeNode<Action<int>>? T1_probes;
            static ProbeList<Action<int>>? s_T1;
            internal static Probe T1_Attach(ProbeGroup? pg, Action<int> probe) => EventSupport.Attach(pg, ref s_T1, "Fuzz.E.T1", h => Volatile.Write(ref T1_probes, h), probe);
            [Trace.Event] public static void T1(int a) { for (var n = Volatile.Read(ref T1_probes); n != null; n = n.Next) n.Func(a); }

            internal static ProbeNode<Action<string, int>>? T2_probes;
            static ProbeList<Action<string, int>>? s_T2;
            internal static Probe T2_Attach(ProbeGroup? pg, Action<string, int> probe) => EventSupport.Attach(pg, ref s_T2, "Fuzz.E.T2", h => Volatile.Write(ref T2_probes, h), probe);
            [Trace.Event] public static void T2(string s, int a) { for (var n = Volatile.Read(ref T2_probes); n != null; n = n.Next) n.Func(s, a); }

            internal static ProbeNode<Action<long, string?, bool>>? T3_probes;
            static ProbeList<Action<long, string?, bool>>? s_T3;
            internal static Probe T3_Attach(ProbeGroup? pg, Action<long, string?, bool> probe) => EventSupport.Attach(pg, ref s_T3, "Fuzz.E.T3", h => Volatile.Write(ref T3_probes, h), probe);
            [Trace.Event] public static void T3(long a, string? b, bool c) { for (var n = Volatile.Read(ref T3_probes); n != null; n = n.Next) n.Func(a, b, c); }

            internal static ProbeNode<Action<object?>>? TO_probes;
            static ProbeList<Action<object?>>? s_TO;
            internal static Probe TO_Attach(ProbeGroup? pg, Action<object?> probe) => EventSupport.Attach(pg, ref s_TO, "Fuzz.E.TO", h => Volatile.Write(ref TO_probes, h), probe);
            [Trace.Event] public static void TO(object? o) { for (var n = Volatile.Read(ref TO_probes); n != null; n = n.Next) n.Func(o); }

            internal static ProbeNode<Action<int?>>? TN_probes;
            static ProbeList<Action<int?>>? s_TN;
            internal static Probe TN_Attach(ProbeGroup? pg, Action<int?> probe) => EventSupport.Attach(pg, ref s_TN, "Fuzz.E.TN", h => Volatile.Write(ref TN_probes, h), probe);
            [Trace.Event] public static void TN(int? n) { for (var node = Volatile.Read(ref TN_probes); node != null; node = node.Next) node.Func(n); }

            internal static ProbeNode<Action<int>>? TX_probes;
            static ProbeList<Action<int>>? s_TX;
            internal static Probe TX_Attach(ProbeGroup? pg, Action<int> probe) => EventSupport.Attach(pg, ref s_TX, "Fuzz.E.TX", h => Volatile.Write(ref TX_probes, h), probe);
            [Trace.Event] public static void TX(int a) { for (var n = Volatile.Read(ref TX_probes); n != null; n = n.Next) n.Func(a); }
        }
        """;

    /// <summary>The log, the effect helpers, the probes and the harness: the same in every build.</summary>
    public const string Harness = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Reflection;
        using System.Threading.Tasks;
        using Tracing;
        namespace Fuzz;

        public sealed class FuzzException : Exception { public FuzzException(int code) : base("fuzz " + code) => Code = code; public int Code { get; } }
        public sealed class ArgException : Exception { public ArgException(int code) : base("arg " + code) { } }
        public sealed class ProbeException : Exception { public ProbeException(int code) : base("probe " + code) { } }

        public static class L
        {
            static readonly List<string> s_log = new();
            public static void Add(string entry)
            {
                lock (s_log)
                {
                    if (s_log.Count > 20000) throw new InvalidOperationException("runaway program");
                    s_log.Add(entry);
                }
            }
            public static string[] Take() { lock (s_log) { var a = s_log.ToArray(); s_log.Clear(); return a; } }
            public static void Ev(string tag, string name, params object?[] values) =>
                Add("ev[" + tag + "]:" + name + "(" + string.Join(", ", values.Select(v => v is null ? "null" : v is string s ? "\"" + s + "\"" : v.ToString())) + ")");
        }

        /// <summary>Argument values: only inside trace call arguments.</summary>
        public static class A
        {
            public static int I(int v) { L.Add("arg:" + v); return v; }
            public static string S(string v) { L.Add("arg:" + v); return v; }
            public static bool B(bool v) { L.Add("arg:" + v); return v; }
            public static int? N(int? v) { L.Add("arg:" + (v?.ToString() ?? "null")); return v; }
            public static int Throw(int code) { L.Add("arg:throw " + code); throw new ArgException(code); }
        }

        /// <summary>Every other side effect.</summary>
        public static class F
        {
            public static int I(int v) { L.Add("fx:" + v); return v; }
            public static bool B(bool v) { L.Add("fx:" + v); return v; }
            public static void Note(string what) => L.Add("fx:" + what);
            public static void Throw(int code) { L.Add("fx:throw " + code); throw new FuzzException(code); }
            public static int H(int x) { L.Add("fx:H" + x); return x + 1; }
            public static async Task<int> AsyncH(int x) { await Task.Yield(); L.Add("fx:AsyncH" + x); return x + 2; }
            public static Task<int> Done(int x) { L.Add("fx:Done" + x); return Task.FromResult(x); }
            public static readonly object Gate = new();
            public static int C0, C1; // counters that arguments change
        }

        public sealed class D : IDisposable
        {
            readonly int _n;
            public D(int n) { _n = n; L.Add("fx:open " + n); }
            public void Dispose() => L.Add("fx:dispose " + _n);
        }

        public static class Probes
        {
            public static void AttachAll(ProbeGroup pg)
            {
                foreach (var tag in new[] { "1", "2" })
                {
                    Trace.Attach(pg, E.T0, () => { L.Ev(tag, "T0"); if (tag == "1") /*T<*/E.T1(A.I(1000))/*>*/; });
                    Trace.Attach(pg, E.T1, a => L.Ev(tag, "T1", a));
                    Trace.Attach(pg, E.T2, (s, a) => L.Ev(tag, "T2", s, a));
                    Trace.Attach(pg, E.T3, (a, b, c) => L.Ev(tag, "T3", a, b, c));
                    Trace.Attach(pg, E.TO, o => L.Ev(tag, "TO", o));
                    Trace.Attach(pg, E.TN, n => L.Ev(tag, "TN", n));
                    Trace.Attach(pg, E.TX, a => { L.Ev(tag, "TX", a); if (a % 3 == 0) throw new ProbeException(a); });
                }
            }
        }

        public static class Harness
        {
            public static string[] RunAll(string[] programs, bool attach)
            {
                var lines = new List<string>();
                foreach (var name in programs)
                {
                    lines.Add("== " + name);
                    L.Take();
                    var pg = new ProbeGroup();
                    try
                    {
                        if (attach) Trace.Setup(() => Probes.AttachAll(pg));
                        var result = typeof(Harness).Assembly.GetType("Fuzz." + name)!.GetMethod("Run")!.Invoke(null, null);
                        var value = result is Task<int> task ? task.GetAwaiter().GetResult() : (int)result!;
                        L.Add("ret:" + value);
                    }
                    catch (Exception e)
                    {
                        while (e is TargetInvocationException && e.InnerException is not null) e = e.InnerException;
                        L.Add("exc:" + e.GetType().Name + ": " + e.Message);
                    }
                    finally
                    {
                        pg.Done();
                    }
                    lines.AddRange(L.Take());
                }
                return lines.ToArray();
            }
        }
        """;

    /// <summary>The global alias every project with the Tracing.Fody package gets.</summary>
    public const string GlobalUsings = "global using Trace = Tracing.Trace;";
}
