using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Exporter;
using NUnit.Framework;
using Tracing.Cli;

namespace Tracing.Import.Tests;

/// <summary><c>Trace.Events(Assembly)</c> and <c>tracing list</c>: the events the weaver recorded.</summary>
public class EventListingTests
{
    static readonly string[] ExporterEvents =
    {
        "ImportExporter:Exporter.Greeter.Secret.TraceSecret(System.Collections.Generic.List<int> values)",
        "ImportExporter:Exporter.Greeter.TraceCount(int n, string what)",
        "ImportExporter:Exporter.Greeter.TraceHello(string who)",
        "ImportExporter:Exporter.Greeter.TraceTick()",
        "ImportExporter:Exporter.Greeter.TraceToken(Exporter.Greeter.Token token)",
        "ImportExporter:Exporter.Orders.TracePlaced(System.Guid id, decimal? total, string[] tags)",
    };

    [Test]
    public void EventsListsEachEventWithItsParameters()
    {
        var events = Trace.Events(typeof(Greeter).Assembly);

        Assert.That(events.Select(e => e.ToString()), Is.EqualTo(ExporterEvents));
        var placed = events.Single(e => e.Name == "TracePlaced");
        Assert.That(placed.AssemblyName, Is.EqualTo("ImportExporter"));
        Assert.That(placed.FullName, Is.EqualTo("Exporter.Orders.TracePlaced"));
        Assert.That(placed.DeclaringType, Is.EqualTo(typeof(Orders)));
        Assert.That(placed.Parameters.Select(p => (p.Name, p.Type, p.TypeName)), Is.EqualTo(new[]
        {
            ("id", typeof(Guid), "System.Guid"),
            ("total", typeof(decimal?), "decimal?"),
            ("tags", typeof(string[]), "string[]"),
        }));
        Assert.That(events.Single(e => e.Name == "TraceSecret").DeclaringType.Name, Is.EqualTo("Secret"));
    }

    [Test]
    public void AnAssemblyThatWasNotWovenHasNoEventsRecorded()
    {
        Assert.That(Trace.IsWoven(typeof(Greeter).Assembly), Is.True);
        Assert.That(Trace.IsWoven(typeof(Trace).Assembly), Is.False);
        Assert.That(Trace.Events(typeof(Trace).Assembly), Is.Empty);
    }

    [Test]
    public void ListPrintsOneSortedLinePerEventOfEachAssembly()
    {
        var (code, output, error) = Run("list", Fixtures.TestOutput("ImportImporter"), Fixtures.TestOutput("ImportExporter"));

        Assert.That(error, Is.Empty);
        Assert.That(output, Is.EqualTo(Lines(ExporterEvents.Append("ImportImporter:Importer.Relay.TraceRelayed(string who)").ToArray())));
        Assert.That(code, Is.EqualTo(0));
    }

    [Test]
    public void ListPrintsWhatEventsRecords()
    {
        var (_, output, _) = Run("list", Fixtures.TestOutput("ImportExporter"));

        Assert.That(output, Is.EqualTo(Lines(Trace.Events(typeof(Greeter).Assembly).Select(e => e.ToString()).ToArray())));
    }

    [Test]
    public void ListReportsAMissingFile()
    {
        var missing = Path.Combine(TestContext.CurrentContext.WorkDirectory, "NoSuch.dll");

        var (code, output, error) = Run("list", missing);

        Assert.That(output, Is.Empty);
        Assert.That(error, Is.EqualTo(Lines($"tracing list: {missing}: no such file.")));
        Assert.That(code, Is.EqualTo(1));
    }

    [Test]
    public void ListReportsADirectoryAndAsksForTheDll()
    {
        // As a user types it: the build's output folder, with its trailing separator.
        var folder = Path.GetDirectoryName(Fixtures.TestOutput("ImportExporter"))! + Path.DirectorySeparatorChar;

        var (code, output, error) = Run("list", folder);

        Assert.That(output, Is.Empty);
        Assert.That(error, Is.EqualTo(Lines($"tracing list: {folder} is a directory: give the path of the assembly's .dll file (such as {Path.Combine(folder, "App.dll")}).")));
        Assert.That(code, Is.EqualTo(1));
    }

    [Test]
    public void ListReportsAFileThatIsNotDotNet()
    {
        var text = Path.Combine(TestContext.CurrentContext.WorkDirectory, "not-an-assembly.dll");
        File.WriteAllText(text, "just text");
        try
        {
            var (code, output, error) = Run("list", text);

            Assert.That(output, Is.Empty);
            Assert.That(error, Is.EqualTo(Lines($"tracing list: {text} is not a .NET assembly.")));
            Assert.That(code, Is.EqualTo(1));
        }
        finally
        {
            File.Delete(text);
        }
    }

    [Test]
    public void ListReportsANativeLibrary()
    {
        var native = Directory.GetFiles(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "*coreclr*").First();

        var (code, _, error) = Run("list", native);

        Assert.That(error, Is.EqualTo(Lines($"tracing list: {native} is not a .NET assembly.")));
        Assert.That(code, Is.EqualTo(1));
    }

    [Test]
    public void ListReportsAnAssemblyThatWasNotWoven()
    {
        var unwoven = Fixtures.Output("ImportExporterUnwoven", "ImportExporter");

        var (code, output, error) = Run("list", unwoven, Fixtures.TestOutput("ImportImporter"));

        Assert.That(output, Is.EqualTo(Lines("ImportImporter:Importer.Relay.TraceRelayed(string who)")), "the other assemblies are still listed");
        Assert.That(error, Is.EqualTo(Lines(
            $"tracing list: {unwoven}: ImportExporter was not woven by Tracing.Fody, so it records no trace events. " +
            "Reference the Tracing.Fody package in its project and list <Tracing /> in its FodyWeavers.xml.")));
        Assert.That(code, Is.EqualTo(1));
    }

    [TestCase(new string[0], 2)]
    [TestCase(new[] { "list" }, 2)]
    [TestCase(new[] { "lsit", "x.dll" }, 2)]
    [TestCase(new[] { "--help" }, 0)]
    public void TheUsageIsPrintedForHelpAndForEveryUsageMistake(string[] args, int expected)
    {
        var (code, output, error) = Run(args);

        Assert.That(code, Is.EqualTo(expected));
        // System.CommandLine's help: the command's (`tracing list [<assembly.dll>...]`), or the root's (`list <assembly.dll>`).
        Assert.That(output + error, Does.Contain("Usage:").And.Match(@"list \[?<assembly\.dll>"));
    }

    static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var code = TracingCommand.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    static string Lines(params string[] lines) => string.Concat(lines.Select(l => l + "\n"));
}
