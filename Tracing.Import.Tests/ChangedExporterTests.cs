using System;
using System.Linq;
using System.Reflection;
using NUnit.Framework;

namespace Tracing.Import.Tests;

/// <summary>
/// The woven importer runs with an ImportExporter other than the one it was built against: the
/// attach throws an exception that names both assemblies and says to rebuild, never a
/// MissingMethodException or a probe on the wrong event.
/// </summary>
public class ChangedExporterTests
{
    [Test]
    public void AnImporterBuiltAgainstOtherEventsIsToldToRebuild()
    {
        var changed = Fixtures.Output("ImportExporterChanged", "ImportExporter");
        var context = new SwappedExporterContext(changed);
        try
        {
            var attachHello = context.AttachHello();
            var loaded = context.LoadFromAssemblyName(new AssemblyName("ImportExporter"));
            Assert.That(loaded.Location, Is.EqualTo(changed));

            var error = AttachUnderLock(attachHello);

            Assert.That(error.Message, Is.EqualTo(
                "Trace.Attach: ImportImporter was built against a version of ImportExporter whose trace events differ from those of " +
                $"the ImportExporter loaded now (export hash {ExportHash(typeof(Exporter.Greeter).Assembly):x16} then, {ExportHash(loaded):x16} now). " +
                "Rebuild ImportImporter against the ImportExporter it runs with."));
        }
        finally
        {
            context.Unload();
        }
    }

    [Test]
    public void AnImporterWhoseExporterExportsNothingAnyMoreIsToldToRebuild()
    {
        var context = new SwappedExporterContext(Fixtures.Output("ImportExporterUnwoven", "ImportExporter"));
        try
        {
            var error = AttachUnderLock(context.AttachHello());

            Assert.That(error.Message, Is.EqualTo(
                "Trace.Attach: ImportImporter was built against a version of ImportExporter that declared trace events, but the " +
                "ImportExporter loaded now exports none (it declares no trace events, or was not woven by Tracing.Fody). " +
                "Rebuild ImportImporter against the ImportExporter it runs with."));
            Assert.That(error.InnerException, Is.InstanceOf<TypeLoadException>());
        }
        finally
        {
            context.Unload();
        }
    }

    [Test]
    public void TheExportHashChangesWithTheEventsSignatures()
    {
        var built = ExportHash(typeof(Exporter.Greeter).Assembly);
        var context = new SwappedExporterContext(Fixtures.Output("ImportExporterChanged", "ImportExporter"));
        try
        {
            Assert.That(ExportHash(context.LoadFromAssemblyName(new AssemblyName("ImportExporter"))), Is.Not.EqualTo(built));
        }
        finally
        {
            context.Unload();
        }
    }

    static InvalidOperationException AttachUnderLock(Func<ProbeGroup?, Action<string>, Probe> attachHello)
    {
        Trace.Lock();
        try
        {
            return Assert.Throws<InvalidOperationException>(() => attachHello(null, _ => { }))!;
        }
        finally
        {
            Trace.Unlock();
        }
    }

    static long ExportHash(Assembly assembly) =>
        (long)assembly.GetCustomAttributesData()
            .Single(a => a.AttributeType.FullName == "Tracing.Internal.WovenAssemblyAttribute")
            .ConstructorArguments[1].Value!;
}
