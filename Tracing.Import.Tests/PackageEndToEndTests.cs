using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json;
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

    /// <summary>Every packable project of the repository (docs/package.md); each is packed into the feed.</summary>
    static readonly string[] PackedProjects =
    {
        "Tracing.Runtime/Tracing.Runtime.csproj",
        "nuget/Tracing.Fody.Package.csproj",
        "Tracing.Recording/Tracing.Recording.csproj",
        "Tracing.Profiling/Tracing.Profiling.csproj",
        "Tracing.OpenTelemetry/Tracing.OpenTelemetry.csproj",
        "tools/Tracing.Cli/Tracing.Cli.csproj",
        "Tracing.Testing/Tracing.Testing.csproj",
        "Tracing.Testing.NUnit/Tracing.Testing.NUnit.csproj",
    };

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
        foreach (var project in PackedProjects)
        {
            // The test build built them (Tracing.Import.Tests references them): pack what was built.
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
    public void ThePackagesHoldWhatDocsPackageMdSays()
    {
        Assert.That(Entries("Tracing.Fody"), Is.EquivalentTo(new[]
        {
            "Tracing.Fody.nuspec",
            "README.md",
            "weaver/Tracing.Fody.dll",
            "weaver/Tracing.Fody.xcf",
            "build/Tracing.Fody.props",
            "build/Tracing.Fody.targets",
        }), "no lib/ and no buildTransitive/: nothing of Tracing.Fody itself reaches the users of a woven library");
        Assert.That(Dependencies("Tracing.Fody"), Is.EquivalentTo(new[] { $"Tracing.Runtime {_version} exclude=Build,Analyzers", "Fody 6.9.3 include=All" }),
            "the runtime (which flows on to the users of a woven library) and Fody with its build assets");

        Assert.That(Entries("Tracing.Runtime"), Is.EquivalentTo(new[]
        {
            "Tracing.Runtime.nuspec",
            "README.md",
            "lib/netstandard2.0/Tracing.Runtime.dll",
            "lib/netstandard2.0/Tracing.Runtime.xml",
            "lib/net8.0/Tracing.Runtime.dll",
            "lib/net8.0/Tracing.Runtime.xml",
            "lib/net10.0/Tracing.Runtime.dll",
            "lib/net10.0/Tracing.Runtime.xml",
        }));
        Assert.That(Dependencies("Tracing.Runtime"), Is.Empty);

        Assert.That(Entries("Tracing.Recording"), Is.SupersetOf(new[] { "lib/netstandard2.0/Tracing.Recording.dll", "lib/net8.0/Tracing.Recording.dll" }));
        Assert.That(Dependencies("Tracing.Recording"), Is.EqualTo(new[] { $"Tracing.Runtime {_version} exclude=Build,Analyzers" }),
            "a package built on the runtime depends on the Tracing.Runtime of its own version");
        Assert.That(Entries("Tracing.Profiling"), Is.SupersetOf(new[] { "README.md", "lib/netstandard2.0/Tracing.Profiling.dll", "lib/net8.0/Tracing.Profiling.dll" }));
        Assert.That(Dependencies("Tracing.Profiling"), Is.EquivalentTo(new[]
        {
            $"Tracing.Runtime {_version} exclude=Build,Analyzers",
            "System.Reflection.Metadata 8.0.0 exclude=Build,Analyzers", // netstandard2.0 only: in the box on .NET 8
        }));
        Assert.That(Entries("Tracing.OpenTelemetry"), Is.SupersetOf(new[] { "README.md", "lib/netstandard2.0/Tracing.OpenTelemetry.dll", "lib/net8.0/Tracing.OpenTelemetry.dll" }));
        Assert.That(Dependencies("Tracing.OpenTelemetry"), Is.EquivalentTo(new[]
        {
            $"Tracing.Runtime {_version} exclude=Build,Analyzers",
            "OpenTelemetry 1.20.1 exclude=Build,Analyzers",
        }));
        Assert.That(Entries("Tracing.Fody.Cli"), Does.Contain("README.md"), "the tool is packed beside them, with the README");

        Assert.That(Entries("Tracing.Testing"), Is.SupersetOf(new[] { "README.md", "lib/netstandard2.0/Tracing.Testing.dll", "lib/net8.0/Tracing.Testing.dll" }));
        Assert.That(Dependencies("Tracing.Testing"), Is.EqualTo(new[] { $"Tracing.Runtime {_version} exclude=Build,Analyzers" }),
            "the harness is independent of any test framework");
        Assert.That(Entries("Tracing.Testing.NUnit"), Is.SupersetOf(new[] { "README.md", "lib/net8.0/Tracing.Testing.NUnit.dll" }));
        Assert.That(Dependencies("Tracing.Testing.NUnit"), Is.EquivalentTo(new[] { $"Tracing.Testing {_version} exclude=Build,Analyzers", "NUnit [4.4.0, 5.0.0) exclude=Build,Analyzers" }),
            "the adapter brings the harness and NUnit 4; the test project brings its own test SDK and NUnit adapter");
    }

    IEnumerable<string> Entries(string id)
    {
        using var package = ZipFile.OpenRead(Path.Combine(_feed, $"{id}.{_version}.nupkg"));
        return package.Entries.Select(e => e.FullName).Where(n => !n.StartsWith("_rels/") && !n.StartsWith("package/") && n != "[Content_Types].xml").ToList();
    }

    IEnumerable<string> Dependencies(string id, string? version = null)
    {
        using var package = ZipFile.OpenRead(Path.Combine(_feed, $"{id}.{version ?? _version}.nupkg"));
        var nuspec = XDocument.Load(package.GetEntry($"{id}.nuspec")!.Open());
        return nuspec.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => $"{e.Attribute("id")?.Value} {e.Attribute("version")?.Value} " +
                         string.Join(" ", new[] { "include", "exclude" }.Where(a => e.Attribute(a) is not null).Select(a => $"{a}={e.Attribute(a)!.Value}")))
            .Select(d => d.TrimEnd()).Distinct().ToList();
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
            [assembly: InternalsVisibleTo("Plain")]

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

        // A project that references Lib and does not use Tracing.Fody: it gets the runtime, sees
        // the _Attach methods (Lib made no reference assembly), and nothing else.
        Dotnet(_root, "new", "console", "-n", "Plain", "-o", "Plain", "--no-update-check", "--no-restore");
        Dotnet(_root, "add", "Plain/Plain.csproj", "reference", "Lib/Lib.csproj");
        File.WriteAllText(Path.Combine(_root, "Plain", "Program.cs"), """
            using System.Diagnostics;
            using Lib;

            Trace.Listeners.Add(new ConsoleTraceListener());
            Trace.WriteLine("system trace works");
            var pg = new Tracing.ProbeGroup();
            Tracing.Trace.Lock();
            Hello.TraceHello_Attach(pg, who => System.Console.WriteLine($"_Attach: {who}"));
            Tracing.Trace.Unlock();
            Hello.SayHello("JP");
            pg.Done();
            """);
        Dotnet(_root, "build", "Plain/Plain.csproj");
        var plain = Dotnet(_root, Path.Combine(_root, "Plain", "bin", "Debug", "net10.0", "Plain.dll"));

        Assert.That(Lines(plain), Is.EqualTo(new[] { "system trace works", "_Attach: JP" }));
        Assert.That(PackageAssets("Plain"), Is.EquivalentTo(new[] { "Lib: compile runtime", "Tracing.Runtime: compile runtime", "Tracing.Fody:", "Fody:" }),
            "through the project reference: the runtime, and Tracing.Fody and Fody without their build files");
        Assert.That(File.ReadAllText(Path.Combine(_root, "Plain", "obj", "Debug", "net10.0", "Plain.GlobalUsings.g.cs")), Does.Not.Contain("Tracing"),
            "no Trace alias through a project reference");
        Assert.That(File.Exists(Path.Combine(_root, "Plain", "obj", "Debug", "net10.0", "ref", "Plain.dll")), Is.True,
            "ProduceReferenceAssembly untouched through a project reference");
    }

    /// <summary>
    /// The README's "Testing concurrent code with synchronous tracing": an NUnit test project adds
    /// Tracing.Fody and Tracing.Testing.NUnit from the feed, declares a trace event, and a
    /// synchronous-tracing test receives it from another thread. The test passes only if the
    /// event reached it (otherwise Expect fails after the harness's deadline).
    /// </summary>
    [Test]
    public void AnNUnitTestProjectRunsASynchronousTracingTestWithThePackages()
    {
        Directory.CreateDirectory(Path.Combine(_root, "Tests"));
        // Test SDK and NUnit adapter of the versions this solution uses: they are in the machine's package folder.
        File.WriteAllText(Path.Combine(_root, "Tests", "Tests.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <IsPackable>false</IsPackable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.0.1" />
                <PackageReference Include="NUnit3TestAdapter" Version="6.3.1" />
              </ItemGroup>
            </Project>
            """);
        Dotnet(_root, "add", "Tests/Tests.csproj", "package", "Tracing.Fody", "--version", _version);
        Dotnet(_root, "add", "Tests/Tests.csproj", "package", "Tracing.Testing.NUnit", "--version", _version);
        File.WriteAllText(Path.Combine(_root, "Tests", "FodyWeavers.xml"), """
            <Weavers xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="FodyWeavers.xsd">
              <Tracing />
            </Weavers>
            """);
        File.WriteAllText(Path.Combine(_root, "Tests", "GreeterTests.cs"), """
            using NUnit.Framework;
            using Tracing;
            using Tracing.Testing.NUnit;

            public static class Greeter
            {
                [Trace.Event] internal static void TraceHi(string who) { }
                public static void Hi(string who) => TraceHi(who);
            }

            public sealed record Hi(string Who);

            public class GreeterTests
            {
                [Test]
                public void TheGreetingIsTraced() => NUnitTraceTest.Run(t =>
                {
                    Trace.Setup(() => Trace.Attach(t.Probes, Greeter.TraceHi, who => t.RxEvent(new Hi(who))));
                    t.SetEventRouter(_ => "greeter");
                    var hi = Task.Run(() => Greeter.Hi("JP"));
                    t.Expect("greeter", new Hi("JP"));
                    Assert.That(hi.Wait(TimeSpan.FromSeconds(30)), Is.True);
                });
            }
            """);

        var output = Dotnet(_root, "test", "Tests/Tests.csproj");

        Assert.That(output, Does.Match(@"Passed!\s+-\s+Failed:\s+0, Passed:\s+1,"), "the one trace test ran and passed");
        var assets = PackageAssets("Tests").ToList();
        Assert.That(assets, Is.SupersetOf(new[] { "Tracing.Testing.NUnit: compile runtime", "Tracing.Testing: compile runtime", "Tracing.Runtime: compile runtime" }),
            "Tracing.Testing.NUnit brings the harness and the runtime");
        Assert.That(assets, Has.Some.StartsWith("NUnit: compile runtime"), "and NUnit");
    }

    /// <summary>
    /// Issue 15: a library woven with Tracing.Fody, packed and published, leaves its users alone.
    /// Acme.Lib (netstandard2.0, so C# 7.3: no global alias) is packed into the feed. Acme.App, which
    /// does not use Tracing, consumes the package: its System.Diagnostics.Trace code (listeners,
    /// WriteLine with and without TRACE) compiles and behaves as before, it runs the library with
    /// and without a probe attached, and it gets Tracing.Runtime and nothing else (no Fody build
    /// files, no alias, no weaving). Acme.Probe, a test-like project, attaches to the library's
    /// events by name with Tracing.Fody. Then the library is published the lean way (PrivateAssets
    /// on Tracing.Fody, a direct Tracing.Runtime reference): its users do not restore Fody at all.
    /// </summary>
    [Test]
    public void APublishedLibraryGivesItsUsersTheRuntimeAndNothingElse()
    {
        Dotnet(_root, "new", "classlib", "-n", "Acme.Lib", "-o", "Acme.Lib", "-f", "netstandard2.0", "--no-update-check", "--no-restore");
        File.Delete(Path.Combine(_root, "Acme.Lib", "Class1.cs"));
        Dotnet(_root, "add", "Acme.Lib/Acme.Lib.csproj", "package", "Tracing.Fody", "--version", _version);
        WriteWeavers("Acme.Lib");
        File.WriteAllText(Path.Combine(_root, "Acme.Lib", "Hello.cs"), """
            using System.Diagnostics;
            using System.Runtime.CompilerServices;
            using Tracing;
            using Trace = Tracing.Trace; // C# 7.3 has no global alias: a file with both usings says this

            [assembly: InternalsVisibleTo("Acme.Probe")]

            namespace Acme.Lib
            {
                public static class Hello
                {
                    [Trace.Event] internal static void TraceHello(string who) { }
                    [Trace.Event] private static void TraceLength(int n) { }

                    public static void SayHello(string who)
                    {
                        Trace.WriteLine("Acme.Lib: hello " + who);
                        TraceHello(who);
                        TraceLength(who.Length);
                    }
                }
            }
            """);
        Dotnet(_root, "pack", "Acme.Lib/Acme.Lib.csproj", "-o", _feed, "-p:PackageVersion=1.0.0");
        Assert.That(Dependencies("Acme.Lib", "1.0.0"), Is.EqualTo(new[] { $"Tracing.Fody {_version} exclude=Build,Analyzers" }));

        // The consumer: uses System.Diagnostics.Trace, runs the library, attaches through the runtime only.
        Dotnet(_root, "new", "console", "-n", "Acme.App", "-o", "Acme.App", "--no-update-check", "--no-restore");
        Dotnet(_root, "add", "Acme.App/Acme.App.csproj", "package", "Acme.Lib", "--version", "1.0.0");
        File.WriteAllText(Path.Combine(_root, "Acme.App", "Program.cs"), """
            using System.Diagnostics;

            [assembly: Tracing.Trace.Import("Acme.Lib")]

            Trace.Listeners.Add(new ConsoleTraceListener());
            Trace.WriteLine("system trace works");
            Trace.Indent();
            Trace.WriteLine("indented", "category");
            Trace.Unindent();
            NoTrace.Write();
            Acme.Lib.Hello.SayHello("JP");
            var pg = new Tracing.ProbeGroup();
            Tracing.Trace.Lock();
            Tracing.Trace.Attach(pg, "Acme.Lib.Hello.TraceHello", (string who) => System.Console.WriteLine($"probe: {who}"));
            Tracing.Trace.Unlock();
            Acme.Lib.Hello.SayHello("Kirr");
            pg.Done();
            Acme.Lib.Hello.SayHello("nobody listens");
            """);
        File.WriteAllText(Path.Combine(_root, "Acme.App", "NoTrace.cs"), """
            #undef TRACE
            using System.Diagnostics;

            static class NoTrace
            {
                public static void Write() => Trace.WriteLine("TRACE is not defined here: no call");
            }
            """);
        var log = Dotnet(_root, "build", "Acme.App/Acme.App.csproj", "-v:n");
        var output = Dotnet(_root, Path.Combine(_root, "Acme.App", "bin", "Debug", "net10.0", "Acme.App.dll"));

        Assert.That(Lines(output), Is.EqualTo(new[]
        {
            "system trace works", "    category: indented", "Acme.Lib: hello JP",
            "Acme.Lib: hello Kirr", "probe: Kirr", "Acme.Lib: hello nobody listens",
        }));
        Assert.That(log, Does.Not.Contain("Fody").IgnoreCase, "the consumer's build runs no Fody target and weaves nothing");
        Assert.That(PackageAssets("Acme.App"), Is.EquivalentTo(new[]
        {
            "Acme.Lib: compile runtime", "Tracing.Runtime: compile runtime",
            // Restored as dependencies of Acme.Lib's dependency, but nothing of them is used: their build files are excluded.
            "Tracing.Fody:", "Fody:",
        }));
        foreach (var generated in Directory.GetFiles(Path.Combine(_root, "Acme.App", "obj"), "*.nuget.g.*"))
            Assert.That(File.ReadAllText(generated), Does.Not.Contain("fody").IgnoreCase, $"{Path.GetFileName(generated)} imports nothing of Fody or Tracing.Fody");
        Assert.That(File.ReadAllText(Path.Combine(_root, "Acme.App", "obj", "Debug", "net10.0", "Acme.App.GlobalUsings.g.cs")), Does.Not.Contain("Tracing"),
            "no Trace alias in the consumer");
        Assert.That(File.Exists(Path.Combine(_root, "Acme.App", "obj", "Debug", "net10.0", "ref", "Acme.App.dll")), Is.True,
            "the consumer still produces its reference assembly (ProduceReferenceAssembly untouched)");

        // A test project attaching to the library's events by name: Tracing.Fody and the library's package.
        Dotnet(_root, "new", "console", "-n", "Acme.Probe", "-o", "Acme.Probe", "--no-update-check", "--no-restore");
        Dotnet(_root, "add", "Acme.Probe/Acme.Probe.csproj", "package", "Acme.Lib", "--version", "1.0.0");
        Dotnet(_root, "add", "Acme.Probe/Acme.Probe.csproj", "package", "Tracing.Fody", "--version", _version);
        WriteWeavers("Acme.Probe");
        File.WriteAllText(Path.Combine(_root, "Acme.Probe", "Program.cs"), """
            using System.Diagnostics;
            using Acme.Lib;
            using Tracing;

            [assembly: Trace.Import("Acme.Lib")]

            Trace.Listeners.Add(new ConsoleTraceListener());
            Trace.WriteLine("System.Diagnostics.Trace beside using Tracing");
            var pg = new ProbeGroup();
            Trace.Lock();
            Trace.Attach(pg, "Acme.Lib.Hello.TraceLength", (int n) => System.Console.WriteLine($"by name: {n}"));
            Hello.TraceHello_Attach(pg, who => System.Console.WriteLine($"_Attach: {who}"));
            Trace.Unlock();
            Hello.SayHello("JP");
            pg.Done();
            """);
        Dotnet(_root, "build", "Acme.Probe/Acme.Probe.csproj");
        var probe = Path.Combine(_root, "Acme.Probe", "bin", "Debug", "net10.0", "Acme.Probe.dll");

        Assert.That(Lines(Dotnet(_root, probe)), Is.EqualTo(new[]
        {
            "System.Diagnostics.Trace beside using Tracing", "Acme.Lib: hello JP", "_Attach: JP", "by name: 2",
        }));
        using (var woven = ModuleDefinition.ReadModule(probe))
            Assert.That(woven.GetType("<TracingImports>").Methods.Select(m => m.Name), Does.Contain("Acme_Lib_Hello_TraceLength_Attach"),
                "the by-name attach was checked and compiled into an import accessor");

        // Published the lean way. PrivateAssets alone would drop the runtime: the pack says so.
        var project = Path.Combine(_root, "Acme.Lib", "Acme.Lib.csproj");
        File.WriteAllText(project, File.ReadAllText(project).Replace(
            $"<PackageReference Include=\"Tracing.Fody\" Version=\"{_version}\" />",
            $"<PackageReference Include=\"Tracing.Fody\" Version=\"{_version}\" PrivateAssets=\"all\" />"));
        var refused = DotnetFailing(_root, "pack", "Acme.Lib/Acme.Lib.csproj", "-o", _feed, "-p:PackageVersion=2.0.0");
        Assert.That(refused, Does.Contain("error TRACING0001: Acme.Lib references Tracing.Fody with PrivateAssets=\"all\", so its package would not bring Tracing.Runtime"));
        Dotnet(_root, "add", "Acme.Lib/Acme.Lib.csproj", "package", "Tracing.Runtime", "--version", _version);
        Dotnet(_root, "pack", "Acme.Lib/Acme.Lib.csproj", "-o", _feed, "-p:PackageVersion=2.0.0");
        Assert.That(Dependencies("Acme.Lib", "2.0.0"), Is.EqualTo(new[] { $"Tracing.Runtime {_version} exclude=Build,Analyzers" }));

        Dotnet(_root, "add", "Acme.App/Acme.App.csproj", "package", "Acme.Lib", "--version", "2.0.0");
        Dotnet(_root, "build", "Acme.App/Acme.App.csproj");
        Assert.That(PackageAssets("Acme.App"), Is.EquivalentTo(new[] { "Acme.Lib: compile runtime", "Tracing.Runtime: compile runtime" }),
            "no Fody, no Tracing.Fody");
        Assert.That(Lines(Dotnet(_root, Path.Combine(_root, "Acme.App", "bin", "Debug", "net10.0", "Acme.App.dll"))), Does.Contain("probe: Kirr"));
    }

    void WriteWeavers(string project) => File.WriteAllText(Path.Combine(_root, project, "FodyWeavers.xml"), """
        <Weavers xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="FodyWeavers.xsd">
          <Tracing />
        </Weavers>
        """);

    /// <summary>
    /// The packages (and projects) in a project's project.assets.json, each with the kinds of assets it gives the
    /// project (compile, runtime, build, buildTransitive, ...), leaving out the empty ones NuGet
    /// writes as <c>_._</c> (an excluded or empty asset group).
    /// </summary>
    IEnumerable<string> PackageAssets(string project)
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, project, "obj", "project.assets.json")));
        var target = assets.RootElement.GetProperty("targets").EnumerateObject().Single().Value;
        return target.EnumerateObject().Select(package =>
        {
            var kinds = package.Value.EnumerateObject()
                .Where(kind => kind.Name != "dependencies" && kind.Value.ValueKind == JsonValueKind.Object)
                .Where(kind => kind.Value.EnumerateObject().Any(file => !file.Name.EndsWith("_._")))
                .Select(kind => kind.Name);
            return $"{package.Name.Split('/')[0]}: {string.Join(" ", kinds)}".TrimEnd();
        }).ToList();
    }

    static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    string Dotnet(string directory, params string[] args) => Run(directory, DotnetHost(), args);

    /// <summary>Runs a dotnet command that must fail; returns its output.</summary>
    string DotnetFailing(string directory, params string[] args) => RunWith(directory, DotnetHost(), args, Path.Combine(_root, "packages"), succeed: false);

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

    /// <summary>
    /// Runs a command to completion (or kills it after <see cref="CommandTimeout"/>); fails the test
    /// unless it exits with 0 (or, with <paramref name="succeed"/> false, unless it exits with another code).
    /// </summary>
    static string RunWith(string directory, string fileName, IEnumerable<string> args, string? isolated, bool succeed = true)
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
        if ((process.ExitCode == 0) != succeed) Assert.Fail($"`{command}` exited with {process.ExitCode}:\n{output}");
        lock (output) return output.ToString();
    }
}
