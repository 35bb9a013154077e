// The reference for what Tracing.Fody compiles. Top: what you write. Bottom: the C# equivalent
// of what the weaver emits for it, member by member (names in <> are unspeakable in C#, so here
// they are spelled with a W_ prefix). This file compiles; it is not woven (it declares no
// [Trace.Event]). README's "Your code / What gets compiled" is taken from it, and
// Tracing.Fody.Tests/Snapshots holds the decompiled woven code it must agree with.
#pragma warning disable CS0649, IDE1006
using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Tracing;
using Tracing.Internal;

namespace AssemblyToProcess.Reference;

// ---- Your code ----------------------------------------------------------------------------
//
// static class Hello
// {
//     [Trace.Event] internal static void TraceHello(string who) { }
//
//     public static void SayHello(string who)
//     {
//         Console.WriteLine($"Hello, {who}");
//         TraceHello(who.ToUpperInvariant());
//     }
// }
//
// var pg = new ProbeGroup();
// Trace.Lock();
// Trace.Attach(pg, Hello.TraceHello, who => Console.WriteLine($"Said hello to {who}"));
// Trace.Unlock();

// ---- What gets compiled -------------------------------------------------------------------
static class WovenHello
{
    // The probe list: its head is the field every call site checks (null while nothing is
    // attached); the list object owns the nodes and republishes the head on every change.
    [CompilerGenerated] internal static ProbeNode<Action<string>>? W_TraceHello_probes;
    [CompilerGenerated] static ProbeList<Action<string>>? W_TraceHello_list;

    [CompilerGenerated]
    static void W_TraceHello_publish(ProbeNode<Action<string>>? head) => Volatile.Write(ref W_TraceHello_probes, head);

    // Generated beside the event: attach a probe (under Trace.Lock).
    // (The publish delegate is needed only to create the list.)
    internal static Probe TraceHello_Attach(ProbeGroup? pg, Action<string> probe) =>
        EventSupport.Attach(pg, ref W_TraceHello_list, "Hello.TraceHello", W_TraceHello_list == null ? W_TraceHello_publish : null, probe);

    // The event's body becomes the dispatch: every probe, in attach order, called directly.
    // (The woven method keeps its [Trace.Event] attribute; here it would make the weaver treat
    // this method as a declaration.)
    internal static void TraceHello(string who)
    {
        if (W_TraceHello_probes == null) return;
        var state = EventSupport.Enter(); // lets Trace.Synchronize wait for this dispatch
        try
        {
            for (var node = Volatile.Read(ref W_TraceHello_probes); node != null; node = node.Next)
                node.Func(who);
        }
        catch
        {
            // A probe threw: the dispatch is over once the probes' finally blocks have run, before
            // the firing code's exception filters run (they may call Trace.Synchronize).
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    public static void SayHello(string who)
    {
        Console.WriteLine($"Hello, {who}");
        // One static load and one branch while nothing is attached; the argument is evaluated
        // only when a probe is.
        if (W_TraceHello_probes != null) TraceHello(who.ToUpperInvariant());
    }

    // Trace.Attach(pg, Hello.TraceHello, probe) becomes a direct call: no delegate for the
    // event, no reflection.
    public static void AttachExample(ProbeGroup pg)
    {
        Trace.Lock();
        TraceHello_Attach(pg, who => Console.WriteLine($"Said hello to {who}"));
        Trace.Unlock();
    }
}
