using System;
using System.Threading;

namespace Torture;

/// <summary>
/// <c>AotSample eventpipe</c>: a native program for a diagnostics session to record. Prints
/// "ready PID", then fires <see cref="Events.TracePair"/>("aot", i) and <see cref="Events.Trace8"/>
/// (a field of each kind) every few milliseconds, i = 0, 1, …, until it reads <c>quit</c> or the end
/// of its input, or 2 minutes pass. Nothing here attaches a probe: whatever is recorded came through
/// the EventPipe bridge, which the session turned on.
/// </summary>
static class EventPipeRun
{
    public static int Run()
    {
        Console.WriteLine($"ready {Environment.ProcessId}");
        var firing = new Thread(Fire) { IsBackground = true, Name = "firing" };
        firing.Start();
        var reader = new Thread(Read) { IsBackground = true };
        reader.Start();
        reader.Join(TimeSpan.FromMinutes(2));
        return 0;
    }

    static void Fire()
    {
        for (var i = 0; ; i++)
        {
            Events.TracePair("aot", i);
            Events.Trace8(1, -5_000_000_000, 0.25, true, 'c', "eight", Color.Green, null);
            Thread.Sleep(5);
        }
    }

    static void Read()
    {
        string? line;
        while ((line = Console.ReadLine()) is not null && line != "quit")
        {
        }
    }
}
