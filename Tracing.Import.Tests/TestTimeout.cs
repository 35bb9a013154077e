// Every test of this assembly fails when it runs longer than 20 minutes, instead of stalling the test
// run: nothing here is meant to take that long, so only a hang reaches it. [CancelAfter] would
// not do: it cancels a token, which a hang in the code under test (Trace.Synchronize waiting
// for a probe, a thread blocked in T.RxEvent, a child process) never looks at. NUnit marks
// [Timeout] obsolete on .NET because it cannot abort the test's thread; it still fails the test
// when the time is up and goes on with the next test, which is what this needs.
#pragma warning disable CS0618
[assembly: NUnit.Framework.Timeout(1_200_000)]
