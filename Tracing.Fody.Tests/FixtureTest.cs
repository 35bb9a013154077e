using System.Collections.Generic;
using NUnit.Framework;

namespace Tracing.Fody.Tests;

/// <summary>
/// Base of the tests that run woven fixture code: each test starts with the argument effects
/// cleared and a fresh probe group, and ends with that group done, so no probe outlives its test.
/// </summary>
public abstract class FixtureTest
{
    protected ProbeGroup Group { get; private set; } = null!;
    protected List<string> Seen { get; private set; } = null!;

    [SetUp]
    public void StartWithNothingAttached()
    {
        Woven.Call("Effects.Reset");
        Group = new ProbeGroup();
        Seen = new List<string>();
        Woven.SetField("Hello.Print", new System.Action<string>(line => Seen.Add(line)));
    }

    [TearDown]
    public void DetachEverything()
    {
        Group.Done();
        Trace.Synchronize();
    }

    protected static int Evaluations => (int)Woven.Field("Effects.Evaluations")!;

    protected static List<string> EffectsLog => (List<string>)Woven.Field("Effects.Log")!;

    /// <summary>Attaches <paramref name="probe"/> to the fixture event <c>Type.Event</c> with Trace.Attach, in <see cref="Group"/>.</summary>
    protected Probe Attach<TProbe>(string typeAndEvent, TProbe probe) where TProbe : System.Delegate
    {
        Trace.Lock();
        try
        {
            return Trace.Attach(Group, Woven.Event<TProbe>(typeAndEvent), probe);
        }
        finally
        {
            Trace.Unlock();
        }
    }
}
