using System;
using System.Collections.Generic;
using System.Linq;

namespace Tracing.Fody;

/// <summary>
/// The texts of the mistakes <c>Trace.Attach(pg, "Ns.Type.Event", probe)</c> and
/// <c>[assembly: Trace.Import("…")]</c> can make. Tracing.Runtime's Internal/ImportMessages.cs
/// is this file's twin: the runtime throws the same texts for an importer that is not woven.
/// </summary>
public static class ImportMessages
{
    public static string UnknownEvent(string name, string caller, IReadOnlyList<string> imports, string? assembly, IEnumerable<NamedEvent> known)
    {
        var where = assembly is not null ? assembly
            : imports.Count > 0 ? $"{caller} or the assemblies it imports ({string.Join(", ", imports)})"
            : $"{caller}, which imports no assembly (add [assembly: Trace.Import(\"AssemblyName\")] to attach to the events of another assembly)";
        var fullName = assembly is null ? name : name.Substring(assembly.Length + 1);
        var similar = known.Where(e => IsSimilar(e.FullName, fullName)).Select(e => e.ToString()).Take(3).ToList();
        var hint = similar.Count > 0 ? $" Did you mean {string.Join(" or ", similar)}?" : "";
        return $"Trace.Attach: there is no trace event \"{fullName}\" in {where}.{hint} `tracing list <assembly>` prints the events of an assembly.";
    }

    public static string Ambiguous(string name, IReadOnlyList<string> assemblies) =>
        $"Trace.Attach: \"{name}\" names trace events of {string.Join(" and ", assemblies)}: " +
        $"write {string.Join(" or ", assemblies.Select(a => $"\"{a}:{name}\""))}.";

    public static string NotImported(string name, string assembly, string caller) =>
        $"Trace.Attach: \"{name}\" looks in {assembly}, which {caller} does not import: add [assembly: Trace.Import(\"{assembly}\")].";

    public static string WrongProbe(string assembly, string signature, string expected, string actual) =>
        $"Trace.Attach: the probes of {assembly}:{signature} are {expected}, not {actual}. Pass a lambda or method group of type {expected}.";

    public static string ImportNotWoven(string caller, string assembly) =>
        $"{caller} imports {assembly} ([assembly: Trace.Import(\"{assembly}\")]), but {assembly} was not woven by Tracing.Fody, " +
        $"so it records no trace events. Reference the Tracing.Fody package in {assembly} and list <Tracing /> in its FodyWeavers.xml.";

    public static string ImportNotFound(string caller, string assembly) =>
        $"{caller} imports {assembly} ([assembly: Trace.Import(\"{assembly}\")]), but references no assembly of that name. " +
        $"Add a reference to the project or package that builds {assembly}.";

    public static string ImportSelf(string caller) =>
        $"{caller} imports itself ([assembly: Trace.Import(\"{caller}\")]): its own events are attached by name without it. Remove the attribute.";

    public static string ImportTooNew(string caller, string assembly, int format) =>
        $"{caller} imports {assembly}, which a newer Tracing.Fody wove (event metadata format {format}). Update the Tracing.Fody package of {caller}.";

    public static string SameFullName(string fullName) =>
        $"Trace event {fullName} has the same full name as another trace event of this assembly (a nested type and a namespace spell it alike), so it cannot be attached by name. Rename one of them.";

    static bool IsSimilar(string candidate, string wanted) =>
        string.Equals(candidate, wanted, StringComparison.OrdinalIgnoreCase) ||
        Distance(LastSegment(candidate).ToLowerInvariant(), LastSegment(wanted).ToLowerInvariant()) <= 2;

    /// <summary>The edit distance (Levenshtein) between two names: a typo is one or two edits away.</summary>
    static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    static string LastSegment(string name) => name.Substring(name.LastIndexOf('.') + 1);
}
