using System.Collections.Generic;
using System.Linq;
using Mono.Cecil.Cil;

namespace Tracing.Fody;

/// <summary>
/// Rewrites each trace call <c>TraceX(args)</c> into
/// <c>if (&lt;TraceX&gt;probes != null) TraceX(args);</c>: one static load and one branch while
/// nothing is attached, and the arguments are not evaluated then.
/// </summary>
public static class CallSiteRewriter
{
    public static void Rewrite(IReadOnlyList<EventCall> calls, MethodEditors editors)
    {
        foreach (var call in calls.Where(c => c.ArgumentsStart is not null)) Rewrite(call, editors[call.Method]);
    }

    static void Rewrite(EventCall call, MethodEditor editor)
    {
        var start = call.ArgumentsStart!;
        var skip = call.Call.Next; // a trace call is a statement: something always follows it in its block
        var check = Instruction.Create(OpCodes.Ldsfld, call.Event.Head);
        if (call.StackedArguments == 0)
        {
            editor.InsertBefore(start, check, Instruction.Create(OpCodes.Brfalse, skip));
            return;
        }

        // Some arguments are on the stack already (CallSiteFinder): when nothing is attached, pop
        // them and skip; otherwise go on with the rest of the arguments.
        //     ldsfld head; brtrue start; pop…; br skip; start: …
        var proceed = Instruction.Create(OpCodes.Brtrue, start);
        var inserted = new List<Instruction> { check, proceed };
        for (var i = 0; i < call.StackedArguments; i++) inserted.Add(Instruction.Create(OpCodes.Pop));
        inserted.Add(Instruction.Create(OpCodes.Br, skip));
        editor.InsertBefore(start, inserted.ToArray());
        proceed.Operand = start; // InsertBefore moved every branch to start onto the check, this one too
    }
}
