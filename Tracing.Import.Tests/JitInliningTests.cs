using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Linq.Expressions;
using System.Collections.Generic;
using Exporter;
using NUnit.Framework;

namespace Tracing.Import.Tests;

/// <summary>
/// By-name attaches resolved by the runtime do not depend on the shape of the call stack: not on
/// what the JIT inlines (a child process, fixtures/ImportUnwovenJit, attaches in each shape a
/// caller writes, under JIT settings that inline aggressively), nor on who calls Trace.Attach.
/// </summary>
public class JitInliningTests
{
    static readonly TimeSpan ChildDeadline = TimeSpan.FromMinutes(2);

    static readonly Dictionary<string, Dictionary<string, string>> s_jitSettings = new()
    {
        // Tiered PGO on, tiering up after one call: Setup is recompiled with the caller's lambda
        // inlined into it (guarded devirtualization of its delegate call).
        ["tiered-pgo"] = new()
        {
            ["DOTNET_TieredPGO"] = "1",
            ["DOTNET_TC_CallCountThreshold"] = "1",
            ["DOTNET_TC_CallCountingDelayMs"] = "0",
        },
        // Everything fully optimized at its first compilation.
        ["no-tiering"] = new() { ["DOTNET_TieredCompilation"] = "0" },
    };

    [Test]
    public void AttachingByNameSurvivesTheJitsInlining(
        [Values("setup-lambda", "setup-local-function", "lock-lambda", "async", "reflection", "expression", "library-caller")] string shape,
        [Values("tiered-pgo", "no-tiering")] string jit)
    {
        var (exitCode, output) = RunChild(shape, rounds: 1_000, s_jitSettings[jit]);

        Assert.That(output.Trim(), Is.EqualTo("ok 1000"), output);
        Assert.That(exitCode, Is.EqualTo(0));
    }

    [Test]
    public void AnAttachMadeByCompiledCodeLooksInTheProbesAssembly()
    {
        // The caller of Trace.Attach is a DynamicMethod (a compiled expression tree), whose
        // assembly imports nothing; the probe is this assembly's lambda.
        var heard = new List<string>();
        Action<string> probe = who => heard.Add(who);
        var pg = Expression.Parameter(typeof(ProbeGroup));
        var call = Expression.Call(typeof(Trace), nameof(Trace.Attach), new[] { typeof(Action<string>) },
            pg, Expression.Constant("Exporter.Greeter.TraceHello"), Expression.Constant(probe));
        var attach = Expression.Lambda<Func<ProbeGroup, Probe>>(call, pg).Compile();
        var group = new ProbeGroup();

        Trace.Setup(() => attach(group));
        Greeter.SayHello("compiled");
        group.Done();

        Assert.That(heard, Is.EqualTo(new[] { "compiled" }));
    }

    [Test]
    public void AnAttachInvokedByLibraryCodeLooksInTheProbesAssembly()
    {
        // Trace.Attach is called by System.Linq (Zip invoking a delegate bound to it), which
        // imports nothing; the probes are this assembly's lambdas.
        var heard = new List<string>();
        var group = new ProbeGroup();
        var attachByName = typeof(Trace).GetMethods()
            .Single(m => m.Name == nameof(Trace.Attach) && m.GetParameters()[1].ParameterType == typeof(string))
            .MakeGenericMethod(typeof(Action<string>));
        var attach = (Func<string, Action<string>, Probe>)Delegate.CreateDelegate(typeof(Func<string, Action<string>, Probe>), group, attachByName);
        var names = new[] { "Exporter.Greeter.TraceHello", "ImportExporter:Exporter.Greeter.TraceHello" };
        var probes = new Action<string>[] { who => heard.Add("1 " + who), who => heard.Add("2 " + who) };

        Trace.Setup(() => names.Zip(probes, attach).ToList());
        Greeter.SayHello("zipped");
        group.Done();

        Assert.That(heard, Is.EqualTo(new[] { "1 zipped", "2 zipped" }));
    }

    static (int ExitCode, string Output) RunChild(string shape, int rounds, Dictionary<string, string> environment)
    {
        var child = Path.Combine(Fixtures.RepositoryRoot, "fixtures", "ImportUnwovenJit", "bin", Fixtures.Configuration, "net10.0", "ImportUnwovenJit.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(child);
        start.ArgumentList.Add(shape);
        start.ArgumentList.Add(rounds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(ChildDeadline))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"ImportUnwovenJit {shape} did not finish within {ChildDeadline}");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
