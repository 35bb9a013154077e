using System;
using System.Collections.Generic;
using System.Linq;

namespace Tracing;

/// <summary>
/// Which trace events a consumer wants, as globs over their full names:
/// <c>"MyLib.Net.*"</c>, <c>"MyLib.Cache.TraceEvict"</c>, <c>"*.TraceRequest?"</c>.
/// </summary>
/// <remarks>
/// <para>
/// A glob matches an event's full name (<c>Namespace.Type.Event</c>, as <c>tracing list</c>
/// prints it) as a whole: <c>*</c> stands for any run of characters, dots included, and
/// <c>?</c> for one character; everything else matches itself, case-sensitively. A glob may
/// start with <c>Assembly:</c> to match only that assembly's events (<c>"Hello:*"</c>). An
/// event matches the filter when it matches any of its globs.
/// </para>
/// <para>
/// Globs are often untrusted text (a command line, an EventPipe session's arguments): a malformed
/// one is reported by <see cref="TryParse"/> or as an <see cref="ArgumentException"/> by
/// <see cref="Parse"/>, with the glob and what is wrong with it.
/// </para>
/// </remarks>
public sealed class TraceEventFilter
{
    readonly (string? Assembly, string Pattern)[] _globs; // empty: every event

    TraceEventFilter((string?, string)[] globs, IReadOnlyList<string> text)
    {
        _globs = globs;
        Globs = text;
    }

    /// <summary>The filter that matches every event.</summary>
    public static TraceEventFilter All { get; } = new(Array.Empty<(string?, string)>(), new[] { "*" });

    /// <summary>The globs, as given (<c>*</c> for <see cref="All"/>).</summary>
    public IReadOnlyList<string> Globs { get; }

    /// <summary>A filter that matches the events any of <paramref name="globs"/> matches; <see cref="All"/> when there is none.</summary>
    /// <exception cref="ArgumentException">A glob is malformed; the message says which and why.</exception>
    public static TraceEventFilter Parse(IEnumerable<string> globs)
    {
        if (globs is null) throw new ArgumentNullException(nameof(globs));
        return TryParse(globs, out var filter, out var error) ? filter! : throw new ArgumentException(error, nameof(globs));
    }

    /// <summary>Like <see cref="Parse"/>, for untrusted text: false and the reason instead of an exception.</summary>
    public static bool TryParse(IEnumerable<string> globs, out TraceEventFilter? filter, out string? error)
    {
        if (globs is null) throw new ArgumentNullException(nameof(globs));
        var list = globs.ToList();
        var parsed = new List<(string?, string)>();
        foreach (var glob in list)
        {
            error = Check(glob);
            if (error is not null)
            {
                filter = null;
                return false;
            }
            var colon = glob.IndexOf(':');
            parsed.Add(colon < 0 ? (null, glob) : (glob.Substring(0, colon), glob.Substring(colon + 1)));
        }
        error = null;
        filter = parsed.Count == 0 ? All : new TraceEventFilter(parsed.ToArray(), list.AsReadOnly());
        return true;
    }

    /// <summary>Whether the filter matches <paramref name="traceEvent"/>.</summary>
    public bool Matches(TraceEventInfo traceEvent)
    {
        if (traceEvent is null) throw new ArgumentNullException(nameof(traceEvent));
        if (_globs.Length == 0) return true;
        foreach (var (assembly, pattern) in _globs)
        {
            if ((assembly is null || assembly == traceEvent.AssemblyName) && Glob(pattern, 0, traceEvent.FullName, 0)) return true;
        }
        return false;
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(" ", Globs);

    static string? Check(string? glob)
    {
        if (glob is null) return "A trace event glob is null.";
        if (glob.Length == 0) return "A trace event glob is empty: write a full name such as MyLib.Net.Conn.TraceSent, or MyLib.Net.*.";
        var colon = glob.IndexOf(':');
        if (colon == 0 || colon != glob.LastIndexOf(':') || colon == glob.Length - 1)
            return $"\"{glob}\" is not a trace event glob: \"Assembly:\" must be followed by a glob and appear once.";
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            var allowed = char.IsLetterOrDigit(c) || c is '_' or '.' or '*' or '?' || (c == ':' && i == colon) ||
                          (colon > i && c is '-' or ','); // assembly names may have them
            if (!allowed)
            {
                return $"\"{glob}\" is not a trace event glob: '{c}' at {i + 1} is not allowed " +
                       "(a full name has letters, digits, '_' and '.'; '*' matches any run of characters, '?' one).";
            }
        }
        return null;
    }

    // Whether pattern[p..] matches name[n..]; '*' backtracks to its last position only (linear in practice).
    static bool Glob(string pattern, int p, string name, int n)
    {
        int star = -1, starName = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == name[n]))
            {
                p++;
                n++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                starName = n;
            }
            else if (star >= 0)
            {
                p = star + 1;
                n = ++starName;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
