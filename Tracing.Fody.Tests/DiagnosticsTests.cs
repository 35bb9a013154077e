using System.IO;
using System.Linq;
using Fody;
using NUnit.Framework;

namespace Tracing.Fody.Tests;

/// <summary>User mistakes are build errors at their source line; all of them are reported at once; nothing invalid is woven.</summary>
public class DiagnosticsTests
{
    [Test]
    public void EveryInvalidDeclarationAndCallIsAnErrorWithFileAndLine()
    {
        var result = TestWeaving.Weave(TestWeaving.FixturePath("AssemblyWithInvalidEvents"),
            Path.Combine(System.AppContext.BaseDirectory, "invalid", "AssemblyWithInvalidEvents.dll"));

        Snapshot.Verify("InvalidEvents.errors", string.Join("\n", result.Errors), "txt");
        Assert.That(result.OutputPath, Is.Null, "an assembly with errors is not written");
    }

    [Test]
    public void NothingIsWovenWhenThereIsAnError()
    {
        var (module, result) = TestWeaving.WeaveInMemory(TestWeaving.FixturePath("AssemblyWithInvalidEvents"));
        using (module)
        {
            Assert.That(result.Errors, Is.Not.Empty);
            var generated = module.GetTypes().SelectMany(t => t.Fields.Select(f => f.Name).Concat(t.Methods.Select(m => m.Name)))
                .Where(name => name.EndsWith(">probes") || name.EndsWith(">publish") || name == "TraceValue_Attach");
            Assert.That(generated, Is.Empty);
        }
    }

    [Test]
    public void LazyArgumentsMustBeTrueOrFalse()
    {
        var e = Assert.Throws<WeavingException>(() => WeaverConfig.Read(System.Xml.Linq.XElement.Parse("<Tracing LazyArguments=\"sometimes\" />")));
        Assert.That(e!.Message, Is.EqualTo("FodyWeavers.xml: <Tracing LazyArguments=\"sometimes\"> must be true or false."));
    }

    [Test]
    public void AnUnknownOptionIsAnError()
    {
        var e = Assert.Throws<WeavingException>(() => WeaverConfig.Read(System.Xml.Linq.XElement.Parse("<Tracing Lazy=\"true\" />")));
        Assert.That(e!.Message, Is.EqualTo("FodyWeavers.xml: <Tracing> has no attribute 'Lazy'. Known attributes: LazyArguments."));
    }

    [TestCase("<Tracing />", true)]
    [TestCase("<Tracing LazyArguments=\"false\" />", false)]
    [TestCase("<Tracing LazyArguments=\"True\" />", true)]
    public void LazyArgumentsIsReadFromTheConfiguration(string xml, bool lazy) =>
        Assert.That(WeaverConfig.Read(System.Xml.Linq.XElement.Parse(xml)).LazyArguments, Is.EqualTo(lazy));
}
