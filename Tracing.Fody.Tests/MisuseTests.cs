using System;
using System.Collections.Generic;
using System.Reflection;
using System.Reflection.Emit;
using System.Threading;
using NUnit.Framework;
using Tracing.Internal;

namespace Tracing.Fody.Tests;

/// <summary>Every misuse of the runtime API throws an exception that says what to do.</summary>
public class MisuseTests : FixtureTest
{
    static Action<int> TraceValue => Woven.Event<Action<int>>("Events.TraceValue");

    [Test]
    public void AttachOutsideTheLockThrows()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Trace.Attach(null, TraceValue, _ => { }));
        Assert.That(e!.Message, Is.EqualTo(
            "Attaching a probe to AssemblyToProcess.Events.TraceValue must be called under the trace lock: call Trace.Lock() before it and " +
            "Trace.Unlock() after it, or run it inside Trace.Setup(() => ...)."));
    }

    [Test]
    public void DetachOutsideTheLockThrows()
    {
        var p = Attach<Action<int>>("Events.TraceValue", _ => { });
        var e = Assert.Throws<InvalidOperationException>(p.Detach);
        Assert.That(e!.Message, Does.StartWith("Probe.Detach must be called under the trace lock"));
        Assert.That(p.IsAttached, Is.True);
    }

    [Test]
    public void AddingToAGroupOutsideTheLockThrows()
    {
        var p = Attach<Action<int>>("Events.TraceValue", _ => { });
        var e = Assert.Throws<InvalidOperationException>(() => new ProbeGroup().Add(p));
        Assert.That(e!.Message, Does.StartWith("ProbeGroup.Add must be called under the trace lock"));
    }

    [Test]
    public void AttachProbeOutsideTheLockThrows()
    {
        var p = Attach<Action<int>>("Events.TraceValue", _ => { });
        var e = Assert.Throws<InvalidOperationException>(() => Trace.AttachProbe(null, p));
        Assert.That(e!.Message, Does.StartWith("Trace.AttachProbe must be called under the trace lock"));
    }

    [Test]
    public void LockingTwiceOnOneThreadThrowsInsteadOfDeadlocking()
    {
        Trace.Lock();
        try
        {
            var e = Assert.Throws<InvalidOperationException>(Trace.Lock);
            Assert.That(e!.Message, Does.StartWith(
                "Trace.Lock: this thread already holds the trace lock, which is not re-entrant. Call Trace.Unlock() before locking again."));
            // Where the lock was taken: known once an earlier misuse in this process turned recording on.
            Assert.That(e.Message, Does.Contain(Environment.NewLine + "This thread took the lock at:").Or.Contain("(Where the lock was taken is not known"));
        }
        finally
        {
            Trace.Unlock();
        }
    }

    [Test]
    public void UnlockWithoutTheLockThrows()
    {
        var e = Assert.Throws<InvalidOperationException>(Trace.Unlock);
        Assert.That(e!.Message, Does.StartWith("Trace.Unlock: this thread does not hold the trace lock"));
    }

    [Test]
    public void UnlockOnAnotherThreadThanLockThrows()
    {
        Trace.Lock();
        try
        {
            Exception? error = null;
            var other = new Thread(() => error = Record(Trace.Unlock));
            other.Start();
            other.Join();
            Assert.That(error, Is.TypeOf<InvalidOperationException>());
            Assert.That(error!.Message, Does.Contain("call Unlock on the thread that locked"));
        }
        finally
        {
            Trace.Unlock();
        }
    }

    [Test]
    public void DoneUnderTheLockThrows()
    {
        Trace.Lock();
        try
        {
            var e = Assert.Throws<InvalidOperationException>(Group.Done);
            Assert.That(e!.Message, Does.StartWith("ProbeGroup.Done takes the trace lock itself and must be called outside it"));
        }
        finally
        {
            Trace.Unlock();
        }
    }

    [Test]
    public void AttachingAnAttachedProbeThrows()
    {
        var p = Attach<Action<int>>("Events.TraceValue", _ => { });
        Trace.Lock();
        try
        {
            var e = Assert.Throws<InvalidOperationException>(() => Trace.AttachProbe(null, p));
            Assert.That(e!.Message, Is.EqualTo(
                "Trace.AttachProbe: the probe on AssemblyToProcess.Events.TraceValue is already attached. Detach it first, or attach a new probe."));
        }
        finally
        {
            Trace.Unlock();
        }
    }

    [Test]
    public void SynchronizeUnderTheLockThrows()
    {
        Trace.Lock();
        try
        {
            var e = Assert.Throws<InvalidOperationException>(Trace.Synchronize);
            Assert.That(e!.Message, Is.EqualTo(
                "Trace.Synchronize must not be called under Trace.Lock (a running probe may be waiting for the lock): call Trace.Unlock() first."));
        }
        finally
        {
            Trace.Unlock();
        }
    }

    [Test]
    public void SynchronizeFromAProbeThrows()
    {
        Exception? error = null;
        Attach<Action<int>>("Events.TraceValue", _ => error = Record(Trace.Synchronize));
        Woven.Call("Events.TraceValue", 1);
        Assert.That(error, Is.TypeOf<InvalidOperationException>());
        Assert.That(error!.Message, Does.StartWith("Trace.Synchronize must not be called from a probe"));
    }

    [Test]
    public void AttachingToAMethodThatIsNotAnEventThrows()
    {
        Trace.Lock();
        try
        {
            var e = Assert.Throws<ArgumentException>(() => Trace.Attach(null, (Action<int>)Woven.Method("CallShapes.Boxing").CreateDelegate(typeof(Action<int>)), _ => { }));
            Assert.That(e!.Message, Does.StartWith("Trace.Attach: AssemblyToProcess.CallShapes.Boxing is not a trace event. Declare it as [Trace.Event] static void Boxing(...) { }."));
            var lambda = Assert.Throws<ArgumentException>(() => Trace.Attach<Action<int>>(null, x => { }, _ => { }));
            Assert.That(lambda!.Message, Does.StartWith("Trace.Attach: traceEvent must be a trace event method group such as Hello.TraceHello"));
        }
        finally
        {
            Trace.Unlock();
        }
    }

    public delegate void TextProbe(string text);

    [Test]
    public void AttachingWithAnotherDelegateTypeThanTheEventsThrows()
    {
        Trace.Lock();
        try
        {
            var traceText = (TextProbe)Woven.Method("Events.TraceText").CreateDelegate(typeof(TextProbe));
            var e = Assert.Throws<InvalidOperationException>(() => Trace.Attach(null, traceText, _ => { }));
            Assert.That(e!.Message, Is.EqualTo(
                "Trace.Attach: the probes of AssemblyToProcess.Events.TraceText are Action<string>, not Tracing.Fody.Tests.MisuseTests.TextProbe. " +
                "Pass a lambda or method group of type Action<string>."));
        }
        finally
        {
            Trace.Unlock();
        }
    }

    // C# gives this method group an anonymous delegate type (its parameter is optional), as it
    // does for an event with params or optional parameters of an assembly the caller does not weave.
    static void WithOptional(string text = "") { }

    [Test]
    public void AttachingWithTheAnonymousDelegateTypeCSharpInfersSaysWhichTypeToName()
    {
        var anonymous = WithOptional;
        Assert.That(anonymous.GetType().Name, Does.StartWith("<>f__AnonymousDelegate"), "the compiler's anonymous delegate type");
        var traceText = Woven.Method("Events.TraceText").CreateDelegate(anonymous.GetType());
        var attach = System.Linq.Enumerable.Single(typeof(Trace).GetMethods(),
                m => m.Name == nameof(Trace.Attach) && m.IsGenericMethodDefinition && m.GetParameters()[1].ParameterType.IsGenericParameter)
            .MakeGenericMethod(anonymous.GetType());
        Trace.Lock();
        try
        {
            var e = Assert.Throws<System.Reflection.TargetInvocationException>(() => attach.Invoke(null, new object?[] { null, traceText, anonymous }));
            Assert.That(e!.InnerException, Is.InstanceOf<InvalidOperationException>());
            Assert.That(e.InnerException!.Message, Is.EqualTo(
                "Trace.Attach: C# inferred an anonymous delegate type for AssemblyToProcess.Events.TraceText (it has params or optional parameters), " +
                "whose probes are Action<string>. Name the probe type: Trace.Attach<Action<string>>(pg, TraceText, probe)."));
        }
        finally
        {
            Trace.Unlock();
        }
    }

    /// <summary>
    /// This test assembly was not woven and imports nothing: a lambda of it attached by name finds
    /// no event, and the message says why and what to do (before, it said to pass a lambda).
    /// </summary>
    [Test]
    public void AttachingByNameFromAnAssemblyThatWasNotWovenSaysSo()
    {
        Trace.Lock();
        try
        {
            var e = Assert.Throws<ArgumentException>(() => Trace.Attach(null, "Tests.Events.TraceMissing", (int x) => { }));
            Assert.That(e!.Message, Does.StartWith(
                "Trace.Attach: \"Tests.Events.TraceMissing\" is looked up in the trace events of Tracing.Fody.Tests, which attaches it, " +
                "and of the assemblies it imports, but Tracing.Fody.Tests was not woven by Tracing.Fody, so it has no trace events of its own: " +
                "to attach to events it declares, reference the Tracing.Fody package in Tracing.Fody.Tests and list <Tracing /> in its " +
                "FodyWeavers.xml; to attach to another assembly's, add [assembly: Trace.Import(\"ThatAssembly\")] to Tracing.Fody.Tests."));
        }
        finally
        {
            Trace.Unlock();
        }
    }

    [Test]
    public void AttachingToAnEventOfAnAssemblyThatWasNotWovenThrows()
    {
        var unwoven = System.Reflection.Assembly.LoadFrom(TestWeaving.FixturePath("AssemblyWithInvalidEvents"));
        var traceValue = (Action<int>)unwoven.GetType("AssemblyWithInvalidEvents.BadCalls", true)!
            .GetMethod("TraceValue", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!
            .CreateDelegate(typeof(Action<int>));
        Trace.Lock();
        try
        {
            var e = Assert.Throws<InvalidOperationException>(() => Trace.Attach(null, traceValue, _ => { }));
            Assert.That(e!.Message, Is.EqualTo(
                "Trace.Attach: AssemblyWithInvalidEvents.BadCalls.TraceValue is declared as a trace event, but AssemblyWithInvalidEvents was not woven by " +
                "Tracing.Fody. Reference the Tracing.Fody package in that project and list <Tracing /> in its FodyWeavers.xml."));
        }
        finally
        {
            Trace.Unlock();
        }
    }

    [Test]
    public void NullArgumentsThrowNamingTheArgument()
    {
        Assert.That(Assert.Throws<ArgumentNullException>(() => Trace.Setup(null!))!.ParamName, Is.EqualTo("setup"));
        Trace.Lock();
        try
        {
            Assert.That(Assert.Throws<ArgumentNullException>(() => Trace.Attach(null, (Action<int>)null!, _ => { }))!.ParamName, Is.EqualTo("traceEvent"));
            Assert.That(Assert.Throws<ArgumentNullException>(() => Trace.Attach(null, TraceValue, null!))!.ParamName, Is.EqualTo("probe"));
            Assert.That(Assert.Throws<ArgumentNullException>(() => Trace.AttachProbe(null, null!))!.ParamName, Is.EqualTo("probe"));
            Assert.That(Assert.Throws<ArgumentNullException>(() => new ProbeGroup().Add(null!))!.ParamName, Is.EqualTo("probe"));
            // The event's generated attach method, which woven Trace.Attach calls become.
            Assert.That(Assert.Throws<ArgumentNullException>(() => Woven.Call("Events.TraceValue_Attach", null, null))!.ParamName, Is.EqualTo("probe"));
        }
        finally
        {
            Trace.Unlock();
        }
    }

    [Test]
    public void AttachingThroughADelegateThatIsNotAPlainMethodGroupOfTheEventThrows()
    {
        var traceText = Woven.Method("Events.TraceText");
        // The static event method closed over its first argument: a target, but a static method.
        var closed = (Action)Delegate.CreateDelegate(typeof(Action), "bound", traceText);
        var twice = (Action<string>)Delegate.Combine(traceText.CreateDelegate(typeof(Action<string>)), traceText.CreateDelegate(typeof(Action<string>)));
        Trace.Lock();
        try
        {
            var e = Assert.Throws<ArgumentException>(() => Trace.Attach(null, closed, () => { }));
            Assert.That(e!.Message, Does.StartWith(
                "Trace.Attach: traceEvent must be a trace event method group such as Hello.TraceHello, not AssemblyToProcess.Events.TraceText."));
            var multicast = Assert.Throws<ArgumentException>(() => Trace.Attach(null, twice, _ => { }));
            Assert.That(multicast!.Message, Does.StartWith(
                "Trace.Attach: traceEvent must be a trace event method group such as Hello.TraceHello, not AssemblyToProcess.Events.TraceText."));
        }
        finally
        {
            Trace.Unlock();
        }
    }

    /// <summary>
    /// The probe list checks the lock itself too, not only the API calls that reach it: a
    /// caller that forgets (a new one in the runtime) gets the error, not a list changed by two
    /// threads at once.
    /// </summary>
    [Test]
    public void TheProbeListRefusesChangesOutsideTheLock()
    {
        var list = new ProbeList<Action>("Tests.TraceDirect", _ => { });
        var append = Assert.Throws<InvalidOperationException>(() => list.Append(() => { }, null!));
        Assert.That(append!.Message, Does.StartWith("Attaching a probe must be called under the trace lock"));

        ProbeNode<Action> node = null!;
        Trace.Setup(() => node = list.Append(() => { }, null!));
        var unlink = Assert.Throws<InvalidOperationException>(() => list.Unlink(node));
        Assert.That(unlink!.Message, Does.StartWith("Detaching a probe must be called under the trace lock"));
        Trace.Setup(() => list.Unlink(node));
    }

    [Test]
    public void TheGeneratedAttachNeedsThePublishDelegateToCreateTheList()
    {
        ProbeList<Action<int>>? list = null;
        Trace.Lock();
        try
        {
            var e = Assert.Throws<ArgumentNullException>(() => EventSupport.Attach<Action<int>>(null, ref list, "Tests.TraceNew", null, _ => { }));
            Assert.That(e!.ParamName, Is.EqualTo("publish"));
            Assert.That(list, Is.Null);
        }
        finally
        {
            Trace.Unlock();
        }
    }

    [Test]
    public void AttachingThroughADelegateWithoutADeclaringTypeOrOfAnInstanceMethodThrows()
    {
        var loose = new DynamicMethod("TraceLoose", typeof(void), new[] { typeof(int) });
        loose.GetILGenerator().Emit(OpCodes.Ret);
        var looseEvent = (Action<int>)loose.CreateDelegate(typeof(Action<int>));
        var openInstance = (Action<List<int>>)Delegate.CreateDelegate(typeof(Action<List<int>>), typeof(List<int>).GetMethod(nameof(List<int>.Clear))!);
        Trace.Lock();
        try
        {
            var e = Assert.Throws<ArgumentException>(() => Trace.Attach(null, looseEvent, _ => { }));
            Assert.That(e!.Message, Does.StartWith(
                "Trace.Attach: traceEvent must be a trace event method group such as Hello.TraceHello, not TraceLoose."));
            var instance = Assert.Throws<ArgumentException>(() => Trace.Attach(null, openInstance, _ => { }));
            Assert.That(instance!.Message, Does.StartWith(
                "Trace.Attach: traceEvent must be a trace event method group such as Hello.TraceHello, not System.Collections.Generic.List`1"));
        }
        finally
        {
            Trace.Unlock();
        }
    }

    /// <summary>
    /// Trace.Attach outside woven code finds the event's generated <c>_Attach</c> method by its
    /// exact shape. A method of that name with another shape is not it: the event counts as not
    /// woven, unless the method differs only in its probe type (then the probe type is wrong).
    /// </summary>
    [TestCase("Probe", "ProbeGroup,Action<string>", "the probes of Emitted.Events.TraceX are Action<string>, not Action<int>.")]
    [TestCase("void", "ProbeGroup,Action<int>", "not woven")]
    [TestCase("void", "ProbeGroup,Action<string>", "not woven")]
    [TestCase("Probe", "int,Action<int>", "not woven")]
    [TestCase("Probe", "ProbeGroup", "not woven")]
    [TestCase("Probe", "ProbeGroup,Action<int>,int", "not woven")]
    public void AttachLooksForTheGeneratedMethodByItsExactShape(string returns, string parameters, string expected)
    {
        var types = new Dictionary<string, Type>
        {
            ["Probe"] = typeof(Probe), ["void"] = typeof(void), ["ProbeGroup"] = typeof(ProbeGroup), ["int"] = typeof(int),
            ["Action<int>"] = typeof(Action<int>), ["Action<string>"] = typeof(Action<string>),
        };
        var assemblyName = "Emitted" + Guid.NewGuid().ToString("N");
        var module = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName(assemblyName), AssemblyBuilderAccess.Run).DefineDynamicModule(assemblyName);
        var type = module.DefineType("Emitted.Events", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        var traceX = type.DefineMethod("TraceX", MethodAttributes.Public | MethodAttributes.Static, typeof(void), new[] { typeof(int) });
        traceX.SetCustomAttribute(new CustomAttributeBuilder(typeof(Trace.EventAttribute).GetConstructor(Type.EmptyTypes)!, Array.Empty<object>()));
        traceX.GetILGenerator().Emit(OpCodes.Ret);
        var attach = type.DefineMethod("TraceX_Attach", MethodAttributes.Public | MethodAttributes.Static, types[returns],
            Array.ConvertAll(parameters.Split(','), p => types[p]));
        var il = attach.GetILGenerator();
        if (returns != "void") il.Emit(OpCodes.Ldnull);
        il.Emit(OpCodes.Ret);
        var traceEvent = (Action<int>)type.CreateType().GetMethod("TraceX")!.CreateDelegate(typeof(Action<int>));

        Trace.Lock();
        try
        {
            var e = Assert.Throws<InvalidOperationException>(() => Trace.Attach(null, traceEvent, _ => { }));
            Assert.That(e!.Message, Is.EqualTo(expected == "not woven"
                ? $"Trace.Attach: Emitted.Events.TraceX is declared as a trace event, but {assemblyName} was not woven by Tracing.Fody. " +
                  "Reference the Tracing.Fody package in that project and list <Tracing /> in its FodyWeavers.xml."
                : $"Trace.Attach: {expected} Pass a lambda or method group of type Action<string>."));
        }
        finally
        {
            Trace.Unlock();
        }
    }

    static Exception? Record(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
