using System.IO;
using System.Linq;
using NUnit.Framework;

namespace Tracing.Fody.Robustness.Tests;

/// <summary>
/// Trace calls the weaver cannot make lazy warn at the call. Regression: a call with a
/// <c>dynamic</c> argument and a call of another assembly's event evaluated their arguments while
/// no probe was attached, with no warning.
/// </summary>
[TestFixture]
public sealed class EagerCallTests
{
    [Test]
    public void ACallWithADynamicArgumentWarnsAtTheCall([Values] bool optimize)
    {
        var woven = Snippets.Weave("""
            namespace Snippet;
            public static class C
            {
                public static void M(dynamic d, dynamic other)
                {
                    E.T1(d);
                    E.T2("text", d);
                    E.T1(1);
                    other.T1(d); // another object's T1: not the event
                }
            }
            """, optimize);
        Assert.That(woven.Errors, Is.Empty);
        Assert.That(woven.Warnings.Select(w => (Path.GetFileName(w.File), w.Line, w.Text)), Is.EquivalentTo(new[]
        {
            ("Snippet.cs", 6, Dynamic("Snippet.E.T1")),
            ("Snippet.cs", 7, Dynamic("Snippet.E.T2")),
        }));
    }

    [Test]
    public void ACallOfAnotherAssemblysEventWarnsAtTheCall([Values] bool optimize)
    {
        // The library declares a public event and an internal one its friend may call.
        var (libraryPe, libraryPdb) = Snippets.Compile("""
            [assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Caller")]
            namespace Library;
            public static class L
            {
                [Trace.Event] public static void TracePublic(int a) { }
                [Trace.Event] internal static void TraceInternal(string s) { }
            }
            """, optimize, assemblyName: "Library");
        var library = Weaving.Weave(libraryPe, libraryPdb, Snippets.References);
        var directory = Repository.Scratch("cross-assembly-" + optimize);
        var libraryPath = Path.Combine(directory, "Library.dll");
        File.WriteAllBytes(libraryPath, library.RequirePe());

        var (pe, pdb) = Snippets.Compile("""
            namespace Snippet;
            public static class C
            {
                public static void M(int x)
                {
                    Library.L.TracePublic(x + 1);
                    Library.L.TraceInternal(x.ToString());
                    E.T1(x);
                }
            }
            """, optimize, assemblyName: "Caller", moreReferences: new[] { libraryPath });
        var woven = Weaving.Weave(pe, pdb, Snippets.References.Append(libraryPath).ToList());
        Assert.That(woven.Errors, Is.Empty);
        Assert.That(woven.Warnings.Select(w => (Path.GetFileName(w.File), w.Line, w.Text)), Is.EquivalentTo(new[]
        {
            ("Snippet.cs", 6, Foreign("Library.L.TracePublic")),
            ("Snippet.cs", 7, Foreign("Library.L.TraceInternal")),
        }));
    }

    [Test]
    public void WithLazyArgumentsOffNoCallWarns([Values] bool optimize)
    {
        var woven = Snippets.Weave("""
            namespace Snippet;
            public static class C
            {
                public static void M(dynamic d) => E.T1(d);
            }
            """, optimize, config: Weaving.Eager);
        Assert.That(woven.Warnings, Is.Empty);
    }

    static string Dynamic(string name) =>
        $"This call of trace event {name} has an argument of type dynamic, so C# makes it through a dynamic call site, which the weaver cannot guard: " +
        "its arguments are evaluated even when no probe is attached. Cast each dynamic argument to its parameter's type to make them lazy.";

    static string Foreign(string name) =>
        $"Trace event {name} is declared in assembly Library, so this call from Caller cannot see whether a probe is attached: " +
        "its arguments are evaluated even when none is. Trace events are not part of an assembly's API: fire the event from a method of Library.";
}
