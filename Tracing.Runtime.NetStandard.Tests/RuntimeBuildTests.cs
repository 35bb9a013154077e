using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Runtime.Versioning;
using NUnit.Framework;

namespace Tracing.Fody.Tests;

/// <summary>The tests of this project run what they claim to: the netstandard2.0 build of Tracing.Runtime.</summary>
public class RuntimeBuildTests
{
    [Test]
    public void TheRuntimeUnderTestIsTheNetStandardBuild()
    {
        var runtime = typeof(Trace).Assembly;
        Assert.That(runtime.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName, Is.EqualTo(".NETStandard,Version=v2.0"));
    }

    [Test]
    public void TheWovenFixtureBindsToTheRuntimeUnderTest()
    {
        var reference = Woven.Assembly.GetReferencedAssemblies().Single(a => a.Name == "Tracing.Runtime");
        var loaded = AssemblyLoadContext.GetLoadContext(Woven.Assembly)!.LoadFromAssemblyName(reference);
        Assert.That(loaded, Is.SameAs(typeof(Trace).Assembly));
    }
}
