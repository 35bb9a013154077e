using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Tracing.Testing.NUnit;

/// <summary>
/// Runs synchronous-tracing tests (<see cref="TraceTest"/>) from NUnit tests: failures become
/// NUnit failures, the harness's output goes to <see cref="TestContext.Out"/>, and each rerun of
/// <see cref="Verify"/> is reported as its own named case.
/// </summary>
/// <example>
/// <code>
/// [Test]
/// public void TwoThreadsGreetIndependently() => NUnitTraceTest.Verify(t =>
/// {
///     Trace.Setup(() => Trace.Attach(t.Probes, Greeter.TraceHi, who => t.RxEvent(new Hi(who))));
///     t.SetEventRouter(e => ((Hi)e).Who.Split('·')[0].ToLowerInvariant());
///     var t1 = Task.Run(() => Greeter.Hi("T1·A"));
///     var t2 = Task.Run(() => Greeter.Hi("T2·B"));
///     t.Expect("t2", new Hi("T2·B"));
///     t.Expect("t1", new Hi("T1·A"));
///     Task.WaitAll(t1, t2);
/// });
/// </code>
/// </example>
/// <remarks>
/// <para>
/// A test with one failure fails with that failure's message (<see cref="Assert.Fail(string)"/>).
/// A test with several, as a Verify whose reruns fail, records each as a separate NUnit assertion
/// failure, each message prefixed with its case (<c>delay@3(=alice:1): alice: expect Read: ...</c>),
/// and fails once at the end. In the output each Verify case is a section that starts with
/// <c>=== RUN delay@3(=alice:1)</c> and ends with <c>--- PASS</c> or <c>--- FAIL</c>, like
/// <c>go test -v</c> subtests.
/// </para>
/// <para>
/// An NUnit assertion that fails inside the test body has already been recorded by NUnit; it is
/// not reported twice, and ends the test as it would without the harness. The harness still
/// releases the threads waiting in <see cref="T.RxEvent"/> first.
/// </para>
/// <para>
/// Probes are process-wide: tests that attach probes to the same trace events must not run in
/// parallel with each other (leave them without <c>[Parallelizable]</c>, or mark them
/// <c>[NonParallelizable]</c>).
/// </para>
/// </remarks>
public static class NUnitTraceTest
{
    /// <summary><see cref="TraceTest.Run"/>, reporting to NUnit.</summary>
    /// <param name="test">The test body.</param>
    /// <param name="options">Deadline and extra output; null for the defaults. Output also goes to <see cref="TestContext.Out"/>.</param>
    public static void Run(Action<T> test, TraceTestOptions? options = null)
    {
        try
        {
            TraceTest.Run(test, ToTestContext(options));
        }
        catch (TraceTestException e)
        {
            Report(e);
        }
    }

    /// <summary><see cref="TraceTest.RunAsync"/>, reporting to NUnit.</summary>
    /// <param name="test">The async test body.</param>
    /// <param name="options">Deadline and extra output; null for the defaults.</param>
    public static async Task RunAsync(Func<T, Task> test, TraceTestOptions? options = null)
    {
        try
        {
            await TraceTest.RunAsync(test, ToTestContext(options)).ConfigureAwait(false);
        }
        catch (TraceTestException e)
        {
            Report(e);
        }
    }

    /// <summary><see cref="TraceTest.Verify"/>, reporting to NUnit: each failing rerun is a failure named after its case.</summary>
    /// <param name="test">The test body; it must behave the same on every run.</param>
    /// <param name="options">Deadline and extra output; null for the defaults.</param>
    public static void Verify(Action<T> test, TraceTestOptions? options = null)
    {
        try
        {
            TraceTest.Verify(test, ToTestContext(options));
        }
        catch (TraceTestException e)
        {
            Report(e);
        }
    }

    /// <summary><see cref="TraceTest.VerifyAsync"/>, reporting to NUnit.</summary>
    /// <param name="test">The async test body; it must behave the same on every run.</param>
    /// <param name="options">Deadline and extra output; null for the defaults.</param>
    public static async Task VerifyAsync(Func<T, Task> test, TraceTestOptions? options = null)
    {
        try
        {
            await TraceTest.VerifyAsync(test, ToTestContext(options)).ConfigureAwait(false);
        }
        catch (TraceTestException e)
        {
            Report(e);
        }
    }

    static TraceTestOptions ToTestContext(TraceTestOptions? options)
    {
        // TestContext.Out belongs to the current test; take it here, on the test's own thread.
        // The harness writes only from the test's thread or flow, one message at a time.
        TextWriter writer = TestContext.Out;
        var extra = options?.Output;
        var copy = new TraceTestOptions
        {
            Deadline = options?.Deadline ?? TraceTestOptions.DefaultDeadline,
            LogEvents = options?.LogEvents ?? false,
            Output = text =>
            {
                writer.WriteLine(text);
                extra?.Invoke(text);
            },
        };
        return copy;
    }

    static void Report(TraceTestException e)
    {
        ResultStateException? fromNUnit = null;
        var messages = new List<string>();
        foreach (var failure in e.Failures)
        {
            // An assertion of the body itself: NUnit recorded it when it was thrown.
            if (failure.Case is null && failure.Exception is ResultStateException nunit)
            {
                fromNUnit ??= nunit;
                continue;
            }
            messages.Add(failure.ToString());
        }

        if (messages.Count == 1 && fromNUnit is null) Assert.Fail(messages[0]);
        if (messages.Count > 0)
        {
            using (Assert.EnterMultipleScope())
            {
                foreach (var message in messages) Assert.Fail(message);
            }
        }
        if (fromNUnit is not null) ExceptionDispatchInfo.Capture(fromNUnit).Throw();
        throw new InvalidOperationException("unreachable: a TraceTestException always carries a failure", e);
    }
}
