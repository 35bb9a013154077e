using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Tracing.Fody;

/// <summary>One call of a trace event, and where its argument evaluation starts.</summary>
public sealed class EventCall
{
    public EventCall(MethodDefinition method, Instruction call, TraceEvent traceEvent, Instruction? argumentsStart)
    {
        Method = method;
        Call = call;
        Event = traceEvent;
        ArgumentsStart = argumentsStart;
    }

    public MethodDefinition Method { get; }
    public Instruction Call { get; }
    public TraceEvent Event { get; }

    /// <summary>
    /// The first instruction of the arguments' evaluation, when it can be skipped as a whole;
    /// null when the arguments are evaluated eagerly (LazyArguments off, or no safe start found).
    /// </summary>
    public Instruction? ArgumentsStart { get; }
}

/// <summary>
/// Finds every call of a trace event of this module and, for lazy arguments, the instruction
/// where the statement's argument evaluation starts.
/// </summary>
/// <remarks>
/// <para>
/// A trace call is a void call, so it is a statement of its own. With LazyArguments, the woven
/// code is <c>if (head != null) { args…; call }</c>: every instruction from the start of the
/// arguments to the call is skipped while nothing is attached. Skipping one instruction too many
/// would drop user code, so the start is chosen only where it is provably the statement's:
/// </para>
/// <list type="number">
/// <item>the statement's own sequence point (the last visible one at or before the call) marks
/// its first instruction; the region from there to the call must leave the stack as it found it
/// apart from the arguments, must be entered only at its first instruction (no branch from
/// outside lands inside it, no exception block starts or ends inside it);</item>
/// <item>if that region is not closed (a compiler temporary spilled across statements, or an
/// <c>await</c>'s resume label), the latest closed region that starts at or after the
/// statement's first instruction is used instead: fewer instructions are skipped, none of
/// another statement's;</item>
/// <item>without debug information no statement start is known, and the arguments are evaluated
/// eagerly (the call still costs only the event method's own null check), with a warning.</item>
/// </list>
/// <para>
/// An argument containing <c>await</c> cannot be skipped: its resume label is a branch target
/// from the state machine's dispatch. That is reported as an error at the call.
/// </para>
/// </remarks>
public static class CallSiteFinder
{
    public static List<EventCall> Find(ModuleDefinition module, IReadOnlyList<TraceEvent> events, WeaverConfig config, Diagnostics diagnostics)
    {
        var byMethod = events.ToDictionary(e => e.Method);
        var calls = new List<EventCall>();
        foreach (var method in module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody && !byMethod.ContainsKey(m)))
        {
            StackDepths? depths = null;
            var warnedNoSymbols = false;
            foreach (var instruction in method.Body.Instructions)
            {
                if (instruction.OpCode.Code != Code.Call || instruction.Operand is not MethodDefinition callee) continue;
                if (!byMethod.TryGetValue(callee, out var traceEvent)) continue;
                Instruction? start = null;
                if (config.LazyArguments)
                {
                    depths ??= new StackDepths(method.Body);
                    if (!method.DebugInformation.HasSequencePoints)
                    {
                        if (!warnedNoSymbols)
                        {
                            diagnostics.Warning(
                                $"{method.FullName} has no debug information, so the arguments of its trace calls are evaluated even when no probe is attached. Build with <DebugType>portable</DebugType> (the default) to make them lazy.",
                                null);
                            warnedNoSymbols = true;
                        }
                    }
                    else
                    {
                        start = FindArgumentsStart(method, depths, instruction, traceEvent, diagnostics);
                    }
                }
                calls.Add(new EventCall(method, instruction, traceEvent, start));
            }
        }
        return calls;
    }

    static Instruction? FindArgumentsStart(MethodDefinition method, StackDepths depths, Instruction call, TraceEvent traceEvent, Diagnostics diagnostics)
    {
        var point = Diagnostics.PointOf(method, call);
        var statement = StatementStart(method, call);
        if (statement is null) return null;
        if (IsAsyncStateMachine(method) && Range(statement, call).Any(IsAwaitResult))
        {
            diagnostics.Error(
                $"An argument of trace event {traceEvent.FullName} contains 'await', which cannot be skipped while no probe is attached. " +
                $"Await into a local first: `var value = await …; {traceEvent.Method.Name}(value);`.",
                point);
            return null;
        }
        var baseDepth = depths.DepthBefore(call) - traceEvent.Method.Parameters.Count;
        if (depths.DepthBefore(statement) == baseDepth && IsClosed(depths, statement, call, baseDepth)) return statement;

        // The statement's region is not closed: take the latest closed region after its start.
        var lowest = depths.IndexOf(statement);
        var start = LatestAtDepth(depths, call.Previous, baseDepth, lowest);
        while (start is not null)
        {
            var outside = OutsideEntry(depths, start, call, baseDepth, out var blocked);
            if (blocked) return Eager(traceEvent, point, diagnostics);
            if (outside is null) return start;
            if (outside.OpCode.Code == Code.Switch) return Eager(traceEvent, point, diagnostics);
            start = LatestAtDepth(depths, outside, baseDepth, lowest);
        }
        return Eager(traceEvent, point, diagnostics);
    }

    static Instruction? Eager(TraceEvent traceEvent, SequencePoint? point, Diagnostics diagnostics)
    {
        diagnostics.Warning(
            $"The arguments of this call of trace event {traceEvent.FullName} are evaluated even when no probe is attached: " +
            "the weaver could not delimit them safely. Compute them into locals before the call to silence this.",
            point);
        return null;
    }

    /// <summary>The instruction of the statement's sequence point: the last visible one at or before the call.</summary>
    /// <remarks>
    /// The compiler may mark the statement again later in its code (after a switch expression
    /// it emits the statement's span a second time), and marks parts of its expression with
    /// spans inside the statement's. So: take the last visible span at or before the call, then
    /// walk back over spans nested in it, and start at the earliest that equals it.
    /// </remarks>
    static Instruction? StatementStart(MethodDefinition method, Instruction call)
    {
        var map = method.DebugInformation.GetSequencePointMapping();
        Instruction? start = null;
        SequencePoint? statement = null;
        for (var i = call; i is not null; i = i.Previous)
        {
            if (!map.TryGetValue(i, out var point) || point.IsHidden) continue;
            if (statement is null)
            {
                statement = point;
                start = i;
            }
            else if (SameSpan(point, statement)) start = i;
            else if (!Contains(statement, point)) break;
        }
        return start;
    }

    static bool SameSpan(SequencePoint a, SequencePoint b) =>
        a.Document.Url == b.Document.Url && a.StartLine == b.StartLine && a.StartColumn == b.StartColumn &&
        a.EndLine == b.EndLine && a.EndColumn == b.EndColumn;

    static bool Contains(SequencePoint outer, SequencePoint inner) =>
        outer.Document.Url == inner.Document.Url &&
        (inner.StartLine > outer.StartLine || (inner.StartLine == outer.StartLine && inner.StartColumn >= outer.StartColumn)) &&
        (inner.EndLine < outer.EndLine || (inner.EndLine == outer.EndLine && inner.EndColumn <= outer.EndColumn));

    /// <summary>
    /// Whether [start, call) is a region entered only at start: no branch from outside lands on
    /// (start, call], no exception block begins or ends there, and the stack never dips below
    /// the depth the arguments start at.
    /// </summary>
    static bool IsClosed(StackDepths depths, Instruction start, Instruction call, int baseDepth) =>
        OutsideEntry(depths, start, call, baseDepth, out var blocked) is null && !blocked;

    /// <summary>The earliest instruction outside [start, call) that branches into (start, call], if any.</summary>
    static Instruction? OutsideEntry(StackDepths depths, Instruction start, Instruction call, int baseDepth, out bool blocked)
    {
        blocked = false;
        var first = depths.IndexOf(start);
        var last = depths.IndexOf(call);
        Instruction? earliest = null;
        for (var i = start; i is not null; i = i.Next)
        {
            var depth = depths.DepthBefore(i);
            if (depth < baseDepth || (i != start && depths.IsBlockBoundary(i)))
            {
                blocked = true;
                return null;
            }
            if (i != start)
            {
                foreach (var source in depths.BranchSources(i))
                {
                    var index = depths.IndexOf(source);
                    if (index >= first && index < last) continue;
                    if (index > last)
                    {
                        blocked = true; // a backward branch from after the call into the arguments
                        return null;
                    }
                    if (earliest is null || index < depths.IndexOf(earliest)) earliest = source;
                }
            }
            if (i == call) break;
        }
        return earliest;
    }

    /// <summary>The latest instruction at or before <paramref name="from"/>, not before index <paramref name="lowest"/>, with the given stack depth.</summary>
    static Instruction? LatestAtDepth(StackDepths depths, Instruction? from, int depth, int lowest)
    {
        for (var i = from; i is not null && depths.IndexOf(i) >= lowest; i = i.Previous)
        {
            if (depths.DepthBefore(i) == depth) return i;
        }
        return null;
    }

    static IEnumerable<Instruction> Range(Instruction from, Instruction to)
    {
        for (var i = from; i is not null && i != to; i = i.Next) yield return i;
    }

    static bool IsAsyncStateMachine(MethodDefinition method) =>
        method.Name == "MoveNext" &&
        method.DeclaringType.Interfaces.Any(i => i.InterfaceType.FullName == "System.Runtime.CompilerServices.IAsyncStateMachine");

    // An awaiter's GetResult(): what resumes after an await.
    static bool IsAwaitResult(Instruction instruction) =>
        instruction.OpCode.FlowControl == FlowControl.Call &&
        instruction.Operand is MethodReference { Name: "GetResult", Parameters.Count: 0 } getResult &&
        getResult.DeclaringType.Name.Contains("Awaiter");
}
