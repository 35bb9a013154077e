using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;
using Tracing;

namespace HelloSample;

/// <summary>go123/tracing's example, in C#.</summary>
static class Program
{
    static void Main()
    {
        // A probe runs in the context that fired the event and pauses it until it returns:
        // hand each event to a consumer, as the Go example does with a channel.
        var saidHello = new BlockingCollection<(string Who, DateTime When)>();
        Trace.Lock();
        var p = Trace.Attach(null, Hello.TraceHello, who => saidHello.Add((who, DateTime.Now)));
        Trace.Unlock();

        var printer = Task.Run(() =>
        {
            foreach (var hello in saidHello.GetConsumingEnumerable())
                Console.WriteLine($"Said hello to {hello.Who} @ {hello.When:HH:mm:ss.fff}");
        });

        Hello.SayHello("JP");
        Hello.SayHello("Kirr");
        Hello.SayHello("Varya");

        Trace.Lock();
        p.Detach();
        Trace.Unlock();
        saidHello.CompleteAdding();
        printer.Wait();

        // A group of probes, detached all at once. In this assembly Trace.Attach compiles into
        // a call of the generated Hello.TraceHelloPre_Attach / TraceHello_Attach, which other
        // assemblies that reference this one can also call directly.
        var pg = new ProbeGroup();
        Trace.Lock();
        Trace.Attach(pg, Hello.TraceHelloPre, who => Console.WriteLine($"About to say hello to {who}"));
        Trace.Attach(pg, Hello.TraceHello, who => Console.WriteLine($"Said hello to {who}"));
        Trace.Unlock();

        Hello.SayHello("Kirill");

        pg.Done(); // no Trace.Lock needed

        // Nothing is attached any more: only "Hello, …" is printed.
        Hello.SayHello("world");
    }
}
