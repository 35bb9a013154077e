using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;
using NUnit.Framework;

namespace Tracing.Fody.Tests;

/// <summary>
/// With <c>&lt;Tracing LazyArguments="false" /&gt;</c> arguments are evaluated as unwoven C#
/// evaluates them, probes or not. The fixture woven that way is loaded into its own load
/// context (Tracing.Runtime is shared with the tests).
/// </summary>
public class LazyArgumentsOffTests
{
    static readonly Lazy<Assembly> s_eager = new(() =>
    {
        var output = Path.Combine(AppContext.BaseDirectory, "eager", "AssemblyToProcess.dll");
        var result = TestWeaving.Weave(TestWeaving.FixturePath("AssemblyToProcess"), output, "<Tracing LazyArguments=\"false\" />");
        Assert.That(result.Errors, Is.Empty);
        return new AssemblyLoadContext("eager").LoadFromAssemblyPath(result.OutputPath!);
    });

    [Test]
    public void ArgumentsAreEvaluatedWithNothingAttached()
    {
        Call("Effects.Reset");
        Assert.That(Call("CallShapes.Straight", 1), Is.EqualTo(4));
        Assert.That(Call("CallShapes.Loops", 2), Is.EqualTo(4), "the side effect in an argument happens");
        Assert.That(Field<List<string>>("Effects.Log"), Is.EqualTo(new[] { "straight", "pair", "Next", "Next", "Next", "x", "y", "while", "while" }));
    }

    [Test]
    public void ProbesStillSeeEachEventOnce()
    {
        var seen = new List<string>();
        var traceText = (Action<string>)Method("Events.TraceText").CreateDelegate(typeof(Action<string>));
        using var pg = new ProbeGroup();
        Trace.Setup(() => Trace.Attach(pg, traceText, seen.Add));
        Call("Effects.Reset");
        Call("CallShapes.Straight", 1);
        Assert.That(seen, Is.EqualTo(new[] { "straight" }));
        Assert.That(Field<int>("Effects.Evaluations"), Is.EqualTo(3));
    }

    static MethodInfo Method(string typeAndMethod)
    {
        var dot = typeAndMethod.LastIndexOf('.');
        return s_eager.Value.GetType("AssemblyToProcess." + typeAndMethod.Substring(0, dot), true)!
            .GetMethod(typeAndMethod.Substring(dot + 1), BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!;
    }

    static object? Call(string typeAndMethod, params object[] arguments) => Method(typeAndMethod).Invoke(null, arguments);

    static T Field<T>(string typeAndField)
    {
        var dot = typeAndField.LastIndexOf('.');
        return (T)s_eager.Value.GetType("AssemblyToProcess." + typeAndField.Substring(0, dot), true)!.GetField(typeAndField.Substring(dot + 1))!.GetValue(null)!;
    }
}
