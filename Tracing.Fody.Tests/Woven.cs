using System;
using System.IO;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Tracing.Fody.Tests;

/// <summary>
/// AssemblyToProcess, woven once per test run by the weaver under test and loaded into the
/// default load context (the tests do not reference the unwoven fixture, so nothing else loads
/// an assembly of that name).
/// </summary>
public static class Woven
{
    static readonly Lazy<(Assembly Assembly, WeavingResult Result)> s_fixture = new(() =>
    {
        var output = Path.Combine(AppContext.BaseDirectory, "woven", "AssemblyToProcess.dll");
        var result = TestWeaving.Weave(TestWeaving.FixturePath("AssemblyToProcess"), output);
        if (result.OutputPath is null)
            throw new InvalidOperationException("Weaving AssemblyToProcess failed:\n" + string.Join("\n", result.Errors));
        return (Assembly.LoadFrom(result.OutputPath), result);
    });

    public static Assembly Assembly => s_fixture.Value.Assembly;

    public static WeavingResult Result => s_fixture.Value.Result;

    public static Type Type(string name) => Assembly.GetType("AssemblyToProcess." + name, throwOnError: true)!;

    /// <summary>The event method <c>Type.Event</c> as a delegate, the way C# passes a method group to Trace.Attach.</summary>
    public static TProbe Event<TProbe>(string typeAndEvent) where TProbe : Delegate =>
        (TProbe)Method(typeAndEvent).CreateDelegate(typeof(TProbe));

    public static MethodInfo Method(string typeAndMethod)
    {
        var dot = typeAndMethod.LastIndexOf('.');
        return Type(typeAndMethod.Substring(0, dot)).GetMethod(typeAndMethod.Substring(dot + 1), BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            ?? throw new MissingMethodException(typeAndMethod);
    }

    /// <summary>Calls a static method of the woven fixture; its exceptions come out as they were thrown.</summary>
    public static object? Call(string typeAndMethod, params object?[] arguments)
    {
        try
        {
            return Method(typeAndMethod).Invoke(null, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    public static T Call<T>(string typeAndMethod, params object?[] arguments) => (T)Call(typeAndMethod, arguments)!;

    public static object? Field(string typeAndField)
    {
        var dot = typeAndField.LastIndexOf('.');
        return Type(typeAndField.Substring(0, dot)).GetField(typeAndField.Substring(dot + 1))!.GetValue(null);
    }

    public static void SetField(string typeAndField, object? value)
    {
        var dot = typeAndField.LastIndexOf('.');
        Type(typeAndField.Substring(0, dot)).GetField(typeAndField.Substring(dot + 1))!.SetValue(null, value);
    }

    /// <summary>
    /// Attaches to every event of <c>AssemblyToProcess.Events</c> a probe that appends
    /// <c>Event(arg, …)</c> to <paramref name="record"/>; must be called under Trace.Lock.
    /// </summary>
    public static void AttachRecorders(ProbeGroup pg, System.Collections.Generic.List<string> record)
    {
        // Expression trees cannot take ref struct parameters: the span event gets a written-out probe.
        Trace.Attach(pg, Event<Action<ReadOnlySpan<char>>>("Events.TraceSpan"), text => record.Add($"TraceSpan({text.ToString()})"));
        var events = Type("Events").GetMethods(BindingFlags.Static | BindingFlags.Public)
            .Where(m => m.IsDefined(typeof(Trace.EventAttribute)) && m.Name != "TraceSpan");
        foreach (var method in events)
        {
            var parameters = method.GetParameters().Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
            var probeType = parameters.Length == 0 ? typeof(Action) : Expression.GetActionType(parameters.Select(p => p.Type).ToArray());
            Expression Format(ParameterExpression p) =>
                Expression.Call(typeof(Woven).GetMethod(nameof(FormatValue), BindingFlags.Static | BindingFlags.NonPublic)!, Expression.Convert(p, typeof(object)));
            var text = Expression.Call(typeof(string).GetMethod(nameof(string.Join), new[] { typeof(string), typeof(string[]) })!,
                Expression.Constant(", "), Expression.NewArrayInit(typeof(string), parameters.Select(Format)));
            var line = Expression.Call(typeof(string).GetMethod(nameof(string.Concat), new[] { typeof(string), typeof(string), typeof(string) })!,
                Expression.Constant(method.Name + "("), text, Expression.Constant(")"));
            var add = Expression.Call(Expression.Constant(record), typeof(System.Collections.Generic.List<string>).GetMethod("Add")!, line);
            var probe = Expression.Lambda(probeType, add, parameters).Compile();
            var traceEvent = method.CreateDelegate(probeType);
            var attach = typeof(Trace).GetMethods()
                .Single(m => m.Name == nameof(Trace.Attach) && m.IsGenericMethodDefinition && m.GetParameters()[1].ParameterType.IsGenericParameter)
                .MakeGenericMethod(probeType);
            attach.Invoke(null, new object?[] { pg, traceEvent, probe });
        }
    }

    static string FormatValue(object? value) => value switch
    {
        null => "null",
        System.Collections.IEnumerable items and not string => "[" + string.Join(" ", items.Cast<object>()) + "]",
        _ => value.ToString() ?? "",
    };
}
