using System;

namespace Torture;

/// <summary>
/// Prints every case's transcript, with probes attached (argument <c>attached</c>) or not. One
/// setting per process, as the tests run each in a fresh load context: static constructors run
/// once per process. <c>sink</c> attaches a sink by filter (SinkRun.cs); <c>eventpipe</c> fires
/// events for a diagnostics session to record (EventPipeRun.cs).
/// </summary>
static class Program
{
    static int Main(string[] args)
    {
        if (args is ["eventpipe"]) return EventPipeRun.Run();
        if (args is ["sink"])
        {
            foreach (var line in SinkRun.Run()) Console.WriteLine(line);
            return 0;
        }
        var attach = args is ["attached"];
        if (!attach && args is not ["detached"])
        {
            Console.Error.WriteLine("usage: AotSample attached|detached|sink|eventpipe");
            return 2;
        }
        foreach (var line in Runner.RunAll(attach)) Console.WriteLine(line);
        return 0;
    }
}
