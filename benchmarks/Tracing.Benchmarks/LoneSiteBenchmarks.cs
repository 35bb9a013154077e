using BenchmarkDotNet.Attributes;
using Tracing.Benchmarks.Subject;

namespace Tracing.Benchmarks;

/// <summary>
/// A disabled trace call alone in a small method, called in a loop: what the call site adds to
/// its method (the check, and any prolog, epilog or spill it causes), compared with the same
/// method without the trace call.
/// </summary>
[Config(typeof(LoneSiteConfig))]
[MemoryDiagnoser]
public class LoneSiteBenchmarks
{
    const int Calls = CallSiteBenchmarks.Calls;
    const string Name = "request";

    [Benchmark(OperationsPerInvoke = Calls)]
    public void LoneSite_NoTrace() => LoneSites.NoTrace(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls)]
    public void LoneSite_Disabled() => LoneSites.Disabled(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls)]
    public void LoneSite_Disabled_ExpensiveArgument() => LoneSites.DisabledExpensiveArgument(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls)]
    public void LoneSite_Disabled_ExpensiveArgument_Outlined() => LoneSites.DisabledExpensiveArgumentOutlined(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls)]
    public void LoneSite_Disabled_ExpensiveArgument_OutOfLineDispatch() => LoneSites.DisabledExpensiveArgumentOutOfLine(Name, Calls);
}
