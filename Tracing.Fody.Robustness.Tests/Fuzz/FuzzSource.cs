using System.Text.RegularExpressions;

namespace Tracing.Fody.Robustness.Tests.Fuzz;

/// <summary>
/// The three builds of a fuzz program's source, from its marked trace calls (see
/// <see cref="ProgramGenerator"/>): as written (to weave), and the references: the same code
/// with hand-written events, every trace call guarded (lazy) or not (eager).
/// </summary>
public static class FuzzSource
{
    static readonly Regex Statement = new(@"/\*T<\*/(?<call>E\.(?<event>\w+)\(.*?\))/\*>\*/;", RegexOptions.Compiled);
    static readonly Regex ExpressionBody = new(@"/\*X<\*/(?<call>E\.(?<event>\w+)\(.*?\))/\*>\*/", RegexOptions.Compiled);
    static readonly Regex Incrementor = new(@"/\*I<\*/(?<call>E\.(?<event>\w+)\(.*?\))/\*>\*/", RegexOptions.Compiled);

    /// <summary>Every marked trace call becomes <c>if (E.Event_probes != null) call;</c>.</summary>
    public static string Guarded(string source)
    {
        source = Statement.Replace(source, m => $"{{ if (E.{m.Groups["event"].Value}_probes != null) {m.Groups["call"].Value}; }}");
        source = ExpressionBody.Replace(source, m => $"{{ if (E.{m.Groups["event"].Value}_probes != null) {m.Groups["call"].Value}; }}");
        return Incrementor.Replace(source, m => $"((System.Action)(() => {{ if (E.{m.Groups["event"].Value}_probes != null) {m.Groups["call"].Value}; }}))()");
    }
}
