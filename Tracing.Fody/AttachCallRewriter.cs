using System.Collections.Generic;
using Mono.Cecil.Cil;

namespace Tracing.Fody;

/// <summary>
/// Compiles <c>Trace.Attach(pg, Type.Event, probe)</c> into <c>Type.Event_Attach(pg, probe)</c>:
/// the event's delegate is no longer created and no reflection runs.
/// </summary>
public static class AttachCallRewriter
{
    public static void Rewrite(IReadOnlyList<AttachCall> calls, MethodEditors editors)
    {
        foreach (var call in calls)
        {
            editors[call.Method].Remove(call.EventDelegate, call.EventDelegate[call.EventDelegate.Count - 1].Next);
            call.Call.Operand = call.Event.Attach;
        }
    }
}
