using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Tracing;

namespace Torture;

/// <summary>One shape of code: runs, fires events, and returns what shows the code around the calls still ran.</summary>
public sealed class Case
{
    public Case(string name, Func<object?> run)
    {
        Name = name;
        Sync = run;
    }

    public Case(string name, Func<Task<object?>> run)
    {
        Name = name;
        Async = run;
    }

    public string Name { get; }
    public Func<object?>? Sync { get; }
    public Func<Task<object?>>? Async { get; }
}

/// <summary>What the tests call (by reflection) in the woven and the reference builds.</summary>
public static class Runner
{
    public static string[] Names() => Registry.All.Select(c => c.Name).ToArray();

    /// <summary>Runs one case, with or without the standard probes attached, and returns its transcript.</summary>
    public static string[] Run(string name, bool attach)
    {
        var theCase = Registry.All.Single(c => c.Name == name);
        Log.Take();
        var pg = new ProbeGroup();
        try
        {
            if (attach) Trace.Setup(() => Probes.AttachAll(pg));
            var result = theCase.Sync is { } sync ? sync() : theCase.Async!().GetAwaiter().GetResult();
            Log.Add("ret:" + Log.Format(result));
        }
        catch (Exception e)
        {
            Log.Add("exc:" + Log.Describe(e));
        }
        finally
        {
            pg.Done();
            Probes.Reset();
        }
        return Log.Take();
    }

    /// <summary>Every case's transcript, in registry order: <c>== name</c> then its entries.</summary>
    public static string[] RunAll(bool attach)
    {
        var lines = new List<string>();
        foreach (var name in Names())
        {
            lines.Add("== " + name);
            lines.AddRange(Run(name, attach));
        }
        return lines.ToArray();
    }
}
