using System.Collections.Generic;

namespace Tracing.Fody;

/// <summary>
/// Compiles <c>Trace.Attach(pg, "Ns.Type.Event", probe)</c> into a direct call: of the event's
/// generated <c>_Attach</c> for an event of this assembly, of its import accessor for an imported
/// one. The name is no longer loaded and no reflection runs.
/// </summary>
public static class ImportCallRewriter
{
    public static void Rewrite(IReadOnlyList<ImportCall> calls, MethodEditors editors)
    {
        foreach (var call in calls)
        {
            editors[call.Method].Remove(new[] { call.Name }, call.Name.Next);
            call.Call.Operand = call.Target.AttachMethod;
        }
    }
}
