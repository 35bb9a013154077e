using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Tracing.Fody.Robustness.Tests;

/// <summary>Comparing what two builds of the same code did.</summary>
public static class Transcripts
{
    /// <summary>Null when equal; otherwise the first difference and both transcripts, side by side.</summary>
    public static string? Difference(IReadOnlyList<string> expected, IReadOnlyList<string> actual, string expectedName, string actualName)
    {
        var count = Math.Max(expected.Count, actual.Count);
        var first = Enumerable.Range(0, count).FirstOrDefault(i => i >= expected.Count || i >= actual.Count || expected[i] != actual[i], -1);
        if (first < 0) return null;
        var text = new StringBuilder();
        text.AppendLine($"The transcripts differ at line {first + 1}:");
        text.AppendLine($"  {expectedName}: {(first < expected.Count ? expected[first] : "(ended)")}");
        text.AppendLine($"  {actualName}: {(first < actual.Count ? actual[first] : "(ended)")}");
        text.AppendLine($"{expectedName}:");
        foreach (var line in expected) text.AppendLine("    " + line);
        text.AppendLine($"{actualName}:");
        foreach (var line in actual) text.AppendLine("    " + line);
        return text.ToString();
    }

    /// <summary>Splits <c>Runner.RunAll</c>'s output (<c>== name</c> then entries) by case.</summary>
    public static Dictionary<string, string[]> ByCase(IEnumerable<string> lines)
    {
        var result = new Dictionary<string, string[]>();
        string? name = null;
        var entries = new List<string>();
        foreach (var line in lines)
        {
            if (line.StartsWith("== ", StringComparison.Ordinal))
            {
                if (name is not null) result[name] = entries.ToArray();
                name = line.Substring(3);
                entries.Clear();
            }
            else
            {
                entries.Add(line);
            }
        }
        if (name is not null) result[name] = entries.ToArray();
        return result;
    }
}
