using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using Mono.Cecil;
using NUnit.Framework;

namespace Tracing.Import.Tests;

/// <summary>
/// What a new user does: packs Tracing.Fody and the tool into a folder feed, makes a library and a
/// console app with <c>dotnet new</c> outside the solution, adds the package and FodyWeavers.xml,
/// builds and runs. Offline: the only package source is the folder feed, and Fody comes from the
/// machine's package folder (the solution's build restored it there), used as a fallback folder.
/// Every command is bounded in time; everything is made in a temporary folder, with its own NuGet
/// package folder, and removed afterwards.
/// </summary>
[NonParallelizable]
public class PackageEndToEndTests
{
    static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(4);

    string _root = "", _feed = "", _version = "", _machinePackages = "";

    [OneTimeSetUp]
    public void PackIntoAFolderFeed()
    {
        _root = Path.Combine(Path.GetTempPath(), "tracing-e2e-" + Guid.NewGuid().ToString("N").Substring(0, 12));
        _feed = Path.Combine(_root, "feed");
        // A version no package folder has seen, so the package just packed is the one restored.
        _version = "0.1.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff");
        Directory.CreateDirectory(_feed);
        _machinePackages = MachinePackageFolder();
        foreach (var project in new[] { "nuget/Tracing.Fody.Package.csproj", "tools/Tracing.Cli/Tracing.Cli.csproj" })
        {
            // The test build built both (Tracing.Import.Tests references them): pack what was built.
            Dotnet(Fixtures.RepositoryRoot, "pack", project, "--no-build", "-c", Fixtures.Configuration, "-o", _feed,
                $"-p:PackageVersion={_version}", $"-p:NuspecOutputPath={Path.Combine(_root, "nuspec")}/");
        }
        File.WriteAllText(Path.Combine(_root, "NuGet.Config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="tracing-e2e" value="{_feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{_machinePackages}" />
              </fallbackPackageFolders>
            </configuration>
            """);
    }

    [OneTimeTearDown]
    public void RemoveEverything()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Test]
    public void ThePackageHoldsTheWeaverTheRuntimeAndTheBuildFiles()
    {
        using var package = ZipFile.OpenRead(Path.Combine(_feed, $"Tracing.Fody.{_version}.nupkg"));
        var entries = package.Entries.Select(e => e.FullName).Where(n => !n.StartsWith("_rels/") && !n.StartsWith("package/") && n != "[Content_Types].xml");

        Assert.That(entries, Is.EquivalentTo(new[]
        {
            "Tracing.Fody.nuspec",
            "README.md",
            "weaver/Tracing.Fody.dll",
            "weaver/Tracing.Fody.xcf",
            "lib/netstandard2.0/Tracing.Runtime.dll",
            "lib/netstandard2.0/Tracing.Runtime.xml",
            "lib/net8.0/Tracing.Runtime.dll",
            "lib/net8.0/Tracing.Runtime.xml",
            "build/Tracing.Fody.props",
            "build/Tracing.Fody.targets",
            "buildTransitive/Tracing.Fody.props",
            "buildTransitive/Tracing.Fody.targets",
        }));
        var nuspec = XDocument.Load(package.GetEntry("Tracing.Fody.nuspec")!.Open());
        var dependencies = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => $"{e.Attribute("id")?.Value} {e.Attribute("version")?.Value} {e.Attribute("exclude")?.Value}").Distinct();
        Assert.That(dependencies, Is.EqualTo(new[] { "Fody 6.9.3 " }), "Fody, with its build assets (no exclude)");
        Assert.That(File.Exists(Path.Combine(_feed, $"Tracing.Fody.Cli.{_version}.nupkg")), Is.True, "the tool is packed beside it");
    }

    [Test]
    public void ANewLibraryAndAppBuildWithThePackageAndAttachThroughIt()
    {
        Dotnet(_root, "new", "classlib", "-n", "Lib", "-o", "Lib", "--no-update-check", "--no-restore");
        Dotnet(_root, "new", "console", "-n", "App", "-o", "App", "--no-update-check", "--no-restore");
        Dotnet(_root, "add", "Lib/Lib.csproj", "package", "Tracing.Fody", "--version", _version);
        Dotnet(_root, "add", "App/App.csproj", "package", "Tracing.Fody", "--version", _version);
        Dotnet(_root, "add", "App/App.csproj", "reference", "Lib/Lib.csproj");
        foreach (var project in new[] { "Lib", "App" })
        {
            File.WriteAllText(Path.Combine(_root, project, "FodyWeavers.xml"), """
                <Weavers xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="FodyWeavers.xsd">
                  <Tracing />
                </Weavers>
                """);
        }
        File.WriteAllText(Path.Combine(_root, "Lib", "Hello.cs"), """
            using System.Diagnostics;
            using System.Runtime.CompilerServices;
            using Tracing;

            [assembly: InternalsVisibleTo("App")]

            namespace Lib;

            public static class Hello
            {
                [Trace.Event] internal static void TraceHello(string who) { }
                [Trace.Event] private static void TraceLength(int n) { }

                public static void SayHello(string who)
                {
                    Debug.Assert(who.Length > 0);
                    TraceHello(who);
                    TraceLength(who.Length);
                }
            }
            """);
        File.WriteAllText(Path.Combine(_root, "App", "Program.cs"), """
            using System.Diagnostics;
            using Lib;
            using Tracing;

            [assembly: Trace.Import("Lib")]

            var pg = new ProbeGroup();
            Trace.Lock();
            Hello.TraceHello_Attach(pg, who => Console.WriteLine($"_Attach: {who}"));
            Trace.Attach(pg, Hello.TraceHello, who => Console.WriteLine($"Trace.Attach: {who}"));
            Trace.Attach(pg, "Lib.Hello.TraceLength", (int n) => Console.WriteLine($"Trace.Attach by name: {n}"));
            Trace.Unlock();
            Hello.SayHello("JP");
            pg.Done();
            Hello.SayHello("nobody listens");
            Debug.WriteLine("System.Diagnostics and Tracing side by side");
            Console.WriteLine("done");
            """);

        Dotnet(_root, "build", "App/App.csproj");
        var app = Path.Combine(_root, "App", "bin", "Debug", "net10.0", "App.dll");
        var output = Dotnet(_root, app);

        Assert.That(Lines(output), Is.EqualTo(new[] { "_Attach: JP", "Trace.Attach: JP", "Trace.Attach by name: 2", "done" }));
        using (var lib = ModuleDefinition.ReadModule(Path.Combine(_root, "App", "bin", "Debug", "net10.0", "Lib.dll")))
            Assert.That(lib.GetType("<TracingExports>"), Is.Not.Null, "Lib was woven by the package's weaver");
        using (var woven = ModuleDefinition.ReadModule(app))
            Assert.That(woven.GetType("<TracingImports>").Methods.Select(m => m.Name), Does.Contain("Lib_Hello_TraceLength_Attach"),
                "the by-name attach was compiled into an import accessor");
        var xsd = File.ReadAllText(Path.Combine(_root, "Lib", "FodyWeavers.xsd"));
        Assert.That(xsd, Does.Contain("LazyArguments"), "Fody made FodyWeavers.xsd from the package's .xcf");

        var tools = Path.Combine(_root, "tools");
        Dotnet(_root, "tool", "install", "Tracing.Fody.Cli", "--version", _version, "--tool-path", tools, "--add-source", _feed);
        var listed = Run(_root, Path.Combine(tools, "tracing"), "list", Path.Combine(_root, "Lib", "bin", "Debug", "net10.0", "Lib.dll"));
        Assert.That(Lines(listed), Is.EqualTo(new[] { "Lib:Lib.Hello.TraceHello(string who)", "Lib:Lib.Hello.TraceLength(int n)" }));
    }

    static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    string Dotnet(string directory, params string[] args) => Run(directory, DotnetHost(), args);

    static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
    }

    /// <summary>The machine's NuGet package folder, where Fody already is: the fresh projects fall back to it.</summary>
    static string MachinePackageFolder()
    {
        var output = RunWith(Path.GetTempPath(), DotnetHost(), new[] { "nuget", "locals", "global-packages", "--list" }, isolated: null);
        var line = Lines(output).Single(l => l.StartsWith("global-packages:"));
        return line.Substring("global-packages:".Length).Trim();
    }

    string Run(string directory, string fileName, params string[] args) => RunWith(directory, fileName, args, Path.Combine(_root, "packages"));

    /// <summary>Runs a command to completion (or kills it after <see cref="CommandTimeout"/>); fails the test unless it exits with 0.</summary>
    static string RunWith(string directory, string fileName, IEnumerable<string> args, string? isolated)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // The test runs under `dotnet test`, whose MSBuild settings must not leak into these builds.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1"; // no build node outlives the test
        start.Environment["UseSharedCompilation"] = "false"; // nor a compiler server
        start.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(DotnetHost() is var host && File.Exists(host) ? host : typeof(object).Assembly.Location);
        if (isolated is not null) start.Environment["NUGET_PACKAGES"] = isolated;

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Append(e.Data).Append('\n'); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Append(e.Data).Append('\n'); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var command = $"{Path.GetFileName(fileName)} {string.Join(" ", args)}";
        if (!process.WaitForExit((int)CommandTimeout.TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"`{command}` did not finish in {CommandTimeout}:\n{output}");
        }
        process.WaitForExit(); // drains the output
        if (process.ExitCode != 0) Assert.Fail($"`{command}` exited with {process.ExitCode}:\n{output}");
        lock (output) return output.ToString();
    }
}
