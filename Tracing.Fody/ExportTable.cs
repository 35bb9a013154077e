using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace Tracing.Fody;

/// <summary>
/// What this assembly exports to importers: its events in order of full name (an event's
/// position is its index at the export entry point) and the export hash, a hash of every event's
/// full name and parameter types (Go's export hash). An importer records the hash when it is
/// built and the export entry point compares it when a probe is attached, so an importer built
/// against other events is told to rebuild.
/// </summary>
/// <remarks>
/// Parameter names are not part of the hash: renaming a parameter changes nothing for a caller.
/// Adding, removing or renaming an event, or changing a parameter type, does.
/// </remarks>
public sealed class ExportTable
{
    const string HashHeader = "Tracing.Fody exports 1\n";

    ExportTable(IReadOnlyList<TraceEvent> events, long hash)
    {
        Events = events;
        Hash = hash;
    }

    /// <summary>The valid events, in ordinal order of full name.</summary>
    public IReadOnlyList<TraceEvent> Events { get; }

    public long Hash { get; }

    /// <summary>Orders the valid events and hashes their signatures; two types' events with one full name are an error at both.</summary>
    public static ExportTable Build(IReadOnlyList<TraceEvent> events, Diagnostics diagnostics)
    {
        var valid = events.Where(e => e.ProbeType is not null).OrderBy(e => e.FullName, StringComparer.Ordinal).ToList();
        // Overloads (one type, one name) are EventValidator's error; here: one name spelled by two types.
        foreach (var sameName in valid.GroupBy(e => e.FullName).Where(g => g.Select(e => e.Method.DeclaringType).Distinct().Count() > 1))
        {
            foreach (var traceEvent in sameName)
                diagnostics.Error(ImportMessages.SameFullName(traceEvent.FullName), Diagnostics.PointOf(traceEvent.Method));
        }
        return new ExportTable(valid, ComputeHash(valid));
    }

    public static long ComputeHash(IEnumerable<TraceEvent> ordered)
    {
        var text = new StringBuilder(HashHeader);
        foreach (var traceEvent in ordered)
        {
            text.Append(traceEvent.FullName).Append('(')
                .Append(string.Join(",", traceEvent.Method.Parameters.Select(p => p.ParameterType.FullName)))
                .Append(")\n");
        }
        using var sha = SHA256.Create();
        var digest = sha.ComputeHash(Encoding.UTF8.GetBytes(text.ToString()));
        long hash = 0;
        for (var i = 0; i < 8; i++) hash |= (long)digest[i] << (8 * i);
        return hash;
    }
}
