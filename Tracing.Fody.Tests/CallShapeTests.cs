using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Tracing.Fody.Tests;

/// <summary>
/// Events fired from every shape of code in AssemblyToProcess/CallShapes.cs: with nothing
/// attached no argument is evaluated and the code still does what it did; with probes attached
/// they see each event once, in order, with its arguments, each evaluated once.
/// </summary>
public class CallShapeTests : FixtureTest
{
    [Test]
    public void StraightLineCode() => Fires(() => Woven.Call("CallShapes.Straight", 1),
        disabledResult: 4, enabledResult: 4, evaluations: 3,
        "TraceText(straight)", "TracePair(pair, 3)", "TraceNothing()");

    [Test]
    public void ConditionalsAndNullOperators() => Fires(() => Woven.Call("CallShapes.Conditional", 3),
        disabledResult: 3, enabledResult: 3, evaluations: 3,
        "TraceValue(1)", "TraceText(small)", "TraceText(a)", "TraceValue(5)");

    [Test]
    public void NullCoalescingFallbackIsEvaluatedOnlyWhenNeeded() => Fires(() => Woven.Call("CallShapes.Conditional", 7),
        disabledResult: 7, enabledResult: 7, evaluations: 4,
        "TraceValue(1)", "TraceText(small)", "TraceText(a)", "TraceValue(4)");

    [Test]
    public void SwitchExpressionsAndStatements() => Fires(() => Woven.Call("CallShapes.Switches", 1),
        disabledResult: "one", enabledResult: "one", evaluations: 2,
        "TraceText(one)", "TraceValue(2)");

    [Test]
    public void SwitchDefaultSection() => Fires(() => Woven.Call("CallShapes.Switches", 2),
        disabledResult: "other", enabledResult: "other", evaluations: 2,
        "TraceText(two)", "TraceText(default)");

    [Test]
    public void LoopsAndASideEffectInAnArgument() => Fires(() => Woven.Call("CallShapes.Loops", 2),
        disabledResult: 3, enabledResult: 4, evaluations: 6,
        "TraceValue(0)", "TraceValue(1)", "TraceText(x)", "TraceText(y)", "TracePair(while, 0)", "TracePair(while, 1)", "TraceValue(2)");

    [Test]
    public void TryCatchWhenFinally() => Fires(() => Woven.Call("CallShapes.Exceptions", true),
        disabledResult: "cf", enabledResult: "cf", evaluations: 3,
        "TraceText(try)", "TraceText(catch)", "TraceText(finally)");

    [Test]
    public void TryFinallyWithoutException() => Fires(() => Woven.Call("CallShapes.Exceptions", false),
        disabledResult: "tf", enabledResult: "tf", evaluations: 2,
        "TraceText(try)", "TraceText(finally)");

    [Test]
    public void AsyncMethods() => Fires(() => ((Task<int>)Woven.Call("CallShapes.Async", 5)!).GetAwaiter().GetResult(),
        disabledResult: 6, enabledResult: 6, evaluations: 4,
        "TraceValue(1)", "TracePair(after await, 5)", "TraceValue(0)", "TraceValue(1)", "TraceText(async try)", "TraceText(async finally)");

    [Test]
    public void Iterators() => Fires(() => string.Join(",", ((IEnumerable<int>)Woven.Call("CallShapes.Iterator", 2)!).Select(i => i.ToString())),
        disabledResult: "0,1", enabledResult: "0,1", evaluations: 3,
        "TraceValue(1)", "TraceValue(2)", "TraceText(iterator end)");

    [Test]
    public void LambdasClosuresAndLocalFunctions() => Fires(() => Woven.Call("CallShapes.Lambdas", 3),
        disabledResult: 7, enabledResult: 7, evaluations: 3,
        "TracePair(lambda, 3)", "TraceValue(3)", "TracePair(local, 9)", "TraceValue(1)");

    [Test]
    public void InterpolatedStringArgumentsAreBuiltOnlyWhenAttached() => Fires(() => Woven.Call("CallShapes.Interpolated", 4),
        disabledResult: null, enabledResult: null, evaluations: 1,
        "TraceText(value=4 next=1)");

    [Test]
    public void StructConstructorsAndAccessors() => Fires(() =>
        {
            var point = Activator.CreateInstance(Woven.Type("Point"), 1, 2)!;
            return point.GetType().GetProperty("Sum")!.GetValue(point);
        },
        disabledResult: 3, enabledResult: 3, evaluations: 1,
        "TracePair(point, 3)", "TraceValue(3)");

    [Test]
    public void StaticConstructors()
    {
        var record = new List<string>();
        Trace.Setup(() => Woven.AttachRecorders(Group, record));
        Assert.That(Woven.Field("StaticInit.Value"), Is.EqualTo(42));
        Assert.That(record, Is.EqualTo(new[] { "TraceText(cctor)" }));
    }

    [Test]
    public void AThrowingArgumentThrowsOnlyWhenAProbeIsAttached()
    {
        Assert.DoesNotThrow(() => Woven.Call("CallShapes.Throwing"));
        Trace.Setup(() => Woven.AttachRecorders(Group, new List<string>()));
        var e = Assert.Throws<InvalidOperationException>(() => Woven.Call("CallShapes.Throwing"));
        Assert.That(e!.Message, Is.EqualTo("argument threw"));
    }

    [Test]
    public void WeavingTheFixtureFallsBackToEagerArgumentsNowhere() =>
        Assert.That(Woven.Result.Warnings.Select(w => w.ToString()), Is.Empty);

    void Fires(Func<object?> run, object? disabledResult, object? enabledResult, int evaluations, params string[] expected)
    {
        Assert.That(run(), Is.EqualTo(disabledResult), "result with nothing attached");
        Assert.That(EffectsLog, Is.Empty, "arguments evaluated with nothing attached");

        var record = new List<string>();
        Trace.Setup(() => Woven.AttachRecorders(Group, record));
        Assert.That(run(), Is.EqualTo(enabledResult), "result with probes attached");
        Assert.That(record, Is.EqualTo(expected), "events the probes saw");
        Assert.That(Evaluations, Is.EqualTo(evaluations), "argument evaluations with probes attached: " + string.Join(", ", EffectsLog));
    }
}
