using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Torture;

/// <summary>
/// What a case did, in order: the transcript the tests compare between the woven build and the
/// reference build. Entries are <c>arg:…</c> (an argument of a trace call was evaluated),
/// <c>fx:…</c> (any other side effect), <c>ev[tag]:Event(values)</c> (a probe ran),
/// <c>ret:…</c> and <c>exc:…</c> (how the case ended).
/// </summary>
public static class Log
{
    static readonly List<string> s_entries = new();

    const int MaxEntries = 10_000; // per case: a case that loops forever fails instead of eating memory

    public static void Add(string entry)
    {
        lock (s_entries) // finalizers and thread-pool continuations log too
        {
            if (s_entries.Count >= MaxEntries) throw new InvalidOperationException($"The case logged more than {MaxEntries} entries: it does not terminate.");
            s_entries.Add(entry);
        }
    }

    /// <summary>A probe ran: <c>ev[tag]:Event(values)</c>.</summary>
    public static void Event(string tag, string name, params object?[] values) =>
        Add($"ev[{tag}]:{name}({string.Join(", ", values.Select(Format))})");

    public static string[] Take()
    {
        lock (s_entries)
        {
            var entries = s_entries.ToArray();
            s_entries.Clear();
            return entries;
        }
    }

    /// <summary>A value as the transcript shows it: the same text on every target and culture.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        char c => "'" + c + "'",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture) + "m",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        Delegate d => "delegate " + d.Method.ReturnType.Name,
        IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? "",
    };

    public static string Describe(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && e.InnerException is not null)
            e = e.InnerException!;
        var text = new StringBuilder(e.GetType().Name).Append(": ").Append(e.Message);
        if (e is TypeInitializationException { InnerException: { } inner }) text.Append(" <- ").Append(Describe(inner));
        return text.ToString();
    }
}

/// <summary>
/// Values of trace call arguments, with an observable side effect: each logs <c>arg:…</c>. Use
/// them only inside the arguments of trace calls, so that an <c>arg:</c> entry means exactly
/// "an argument was evaluated".
/// </summary>
public static class A
{
    public static int I(int value)
    {
        Log.Add("arg:" + value.ToString(CultureInfo.InvariantCulture));
        return value;
    }

    public static string S(string value)
    {
        Log.Add("arg:\"" + value + "\"");
        return value;
    }

    public static bool B(bool value)
    {
        Log.Add("arg:" + (value ? "true" : "false"));
        return value;
    }

    public static T V<T>(T value)
    {
        Log.Add("arg:" + Log.Format(value));
        return value;
    }

    public static int? N(int? value)
    {
        Log.Add("arg:" + Log.Format(value));
        return value;
    }

    public static string? NS(string? value)
    {
        Log.Add("arg:" + Log.Format(value));
        return value;
    }

    /// <summary>An argument whose evaluation throws.</summary>
    public static int Throw(string why)
    {
        Log.Add("arg:throw " + why);
        throw new ArgumentFailure(why);
    }

    public static T ThrowAs<T>(string why)
    {
        Log.Add("arg:throw " + why);
        throw new ArgumentFailure(why);
    }
}

/// <summary>Side effects that are not trace call arguments: each logs <c>fx:…</c>.</summary>
public static class Fx
{
    public static void Note(string what) => Log.Add("fx:" + what);

    public static int I(int value)
    {
        Log.Add("fx:" + value.ToString(CultureInfo.InvariantCulture));
        return value;
    }

    public static bool B(bool value)
    {
        Log.Add("fx:" + (value ? "true" : "false"));
        return value;
    }

    public static T V<T>(T value)
    {
        Log.Add("fx:" + Log.Format(value));
        return value;
    }

    public static void Throw(string why)
    {
        Log.Add("fx:throw " + why);
        throw new CaseFailure(why);
    }
}

public sealed class ArgumentFailure : Exception
{
    public ArgumentFailure(string message) : base(message) { }
}

public sealed class CaseFailure : Exception
{
    public CaseFailure(string message) : base(message) { }
}

public sealed class ProbeFailure : Exception
{
    public ProbeFailure(string message) : base(message) { }
}
