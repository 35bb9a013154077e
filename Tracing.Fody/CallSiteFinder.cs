using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Tracing.Fody;

/// <summary>One call of a trace event, and where its argument evaluation starts.</summary>
public sealed class EventCall
{
    public EventCall(MethodDefinition method, Instruction call, TraceEvent traceEvent, Instruction? argumentsStart, int stackedArguments = 0)
    {
        Method = method;
        Call = call;
        Event = traceEvent;
        ArgumentsStart = argumentsStart;
        StackedArguments = stackedArguments;
    }

    public MethodDefinition Method { get; }
    public Instruction Call { get; }
    public TraceEvent Event { get; }

    /// <summary>
    /// The first instruction of the arguments' evaluation, when it can be skipped as a whole;
    /// null when the arguments are evaluated eagerly (LazyArguments off, or no safe start found).
    /// </summary>
    public Instruction? ArgumentsStart { get; }

    /// <summary>
    /// How many of the arguments are already on the stack at <see cref="ArgumentsStart"/>: values
    /// that the code before the statement left there (an optimized build keeps a local that is
    /// read once on the stack instead of storing it, so <c>foreach (var s in a) Trace(s);</c>
    /// loads the element before the statement starts). That code is not the statement's and
    /// always runs; skipping the call pops them.
    /// </summary>
    public int StackedArguments { get; }
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
/// <item>the statement's sequence point marks its first instruction. It is the earliest visible
/// point before the call whose span contains every visible span between it and the call: the
/// compiler also marks parts of the expression (switch expression arms, <c>when</c> clauses) and
/// may mark the statement a second time where they join. Spans can lie (<c>#line</c>), so the
/// region reaches back past the nearest point only over code that can only be the arguments
/// (<see cref="ArgumentCode"/>); where it cannot, it starts at the nearest point, with a warning
/// (see <see cref="Statement"/>). The region from there to the call
/// must leave the stack as it found it apart from the arguments, and must be entered only at
/// its first instruction (no branch from outside lands inside it, no exception block starts or
/// ends inside it). The code before the statement may have left some of the arguments on the
/// stack already (an optimized build keeps a local that is read once on the stack, such as a
/// <c>foreach</c> variable or a <c>catch</c> variable): those are popped when the call is
/// skipped;</item>
/// <item>if that region is not closed, or the statement has no sequence point of its own (in an
/// optimized build, a switch expression on a constant first in the arguments: its first arm's
/// point replaces the statement's), the latest closed region that starts at or after the
/// statement's first instruction is used instead, with a warning: fewer instructions are
/// skipped, none of another statement's;</item>
/// <item>without debug information no statement start is known, and the arguments are evaluated
/// eagerly (the call still costs only the event method's own null check), with a warning.</item>
/// </list>
/// <para>
/// An argument containing <c>await</c> cannot be skipped: its resume label is a branch target
/// from the state machine's dispatch. That is reported as an error at the call. So is an
/// argument that assigns a variable the code after the call reads (<see cref="SkippedWrites"/>).
/// </para>
/// </remarks>
public static class CallSiteFinder
{
    public static List<EventCall> Find(ModuleDefinition module, IReadOnlyList<TraceEvent> events, WeaverConfig config, Diagnostics diagnostics)
    {
        var byMethod = events.ToDictionary(e => e.Method);
        var calls = new List<EventCall>();
        Dictionary<string, HashSet<MethodDefinition>>? fieldReaders = null;
        foreach (var method in module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody && !byMethod.ContainsKey(m)))
        {
            StackDepths? depths = null;
            IDictionary<Instruction, SequencePoint>? points = null; // built once per method: it is not cheap
            ArgumentCode? code = null;
            SkippedWrites? writes = null;
            var warnedNoSymbols = false;
            foreach (var instruction in method.Body.Instructions)
            {
                if (instruction.OpCode.Code != Code.Call || instruction.Operand is not MethodDefinition callee) continue;
                if (!byMethod.TryGetValue(callee, out var traceEvent)) continue;
                (Instruction? Start, int Stacked) region = (null, 0);
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
                        points ??= method.DebugInformation.GetSequencePointMapping();
                        code ??= new ArgumentCode(method, depths);
                        region = FindArgumentsStart(method, points, depths, code, instruction, traceEvent, diagnostics);
                        if (region.Start is not null)
                        {
                            fieldReaders ??= SkippedWrites.FieldReaders(module);
                            writes ??= new SkippedWrites(method, depths, fieldReaders);
                            foreach (var name in writes.ReadAfter(region.Start, instruction))
                                diagnostics.Error(AssignedInSkippedArgument(traceEvent, name), Diagnostics.PointOf(method, points, instruction));
                        }
                    }
                }
                calls.Add(new EventCall(method, instruction, traceEvent, region.Start, region.Stacked));
            }
        }
        return calls;
    }

    static (Instruction? Start, int Stacked) FindArgumentsStart(MethodDefinition method, IDictionary<Instruction, SequencePoint> points,
        StackDepths depths, ArgumentCode code, Instruction call, TraceEvent traceEvent, Diagnostics diagnostics)
    {
        var point = Diagnostics.PointOf(method, points, call);
        var baseDepth = depths.DepthBefore(call) - traceEvent.Method.Parameters.Count;
        var (statement, start, uncertain) = Statement(points, depths, code, call, baseDepth);
        if (statement is null) return Eager(traceEvent, point, diagnostics);
        if (IsAsyncStateMachine(method) && Range(statement, call).Any(IsAwaitSuspension))
        {
            diagnostics.Error(
                $"An argument of trace event {traceEvent.FullName} contains 'await', which cannot be skipped while no probe is attached. " +
                $"Await into a local first: `var value = await …; {traceEvent.Method.Name}(value);`.",
                point);
            return (null, 0);
        }
        if (start is not null)
        {
            if (uncertain) PartlyEvaluated(traceEvent, point, diagnostics);
            return (start, depths.DepthBefore(start) - baseDepth);
        }

        // The statement's region is not closed: take the latest closed region after its start.
        // What comes before that region is evaluated even when nothing is attached.
        var lowest = depths.IndexOf(statement);
        var later = LatestAtDepth(depths, call.Previous, baseDepth, lowest);
        while (later is not null)
        {
            var outside = OutsideEntry(depths, later, call, baseDepth, out var blocked);
            if (blocked) return Eager(traceEvent, point, diagnostics);
            if (outside is null)
            {
                PartlyEvaluated(traceEvent, point, diagnostics);
                return (later, 0);
            }
            if (outside.OpCode.Code == Code.Switch) return Eager(traceEvent, point, diagnostics);
            later = LatestAtDepth(depths, outside, baseDepth, lowest);
        }
        return Eager(traceEvent, point, diagnostics);
    }

    static string AssignedInSkippedArgument(TraceEvent traceEvent, string variable) =>
        $"An argument of this call of trace event {traceEvent.FullName} assigns '{variable}', which the code after the call reads; " +
        $"while no probe is attached the arguments are not evaluated and '{variable}' would not be assigned. " +
        $"Assign '{variable}' in a statement before the call and pass the result to {traceEvent.Method.Name}.";

    static void PartlyEvaluated(TraceEvent traceEvent, SequencePoint? point, Diagnostics diagnostics) =>
        diagnostics.Warning(
            $"The arguments of this call of trace event {traceEvent.FullName} are partly evaluated even when no probe is attached: " +
            "the weaver could not delimit them safely. Compute them into locals before the call to silence this.",
            point);

    static (Instruction? Start, int Stacked) Eager(TraceEvent traceEvent, SequencePoint? point, Diagnostics diagnostics)
    {
        diagnostics.Warning(
            $"The arguments of this call of trace event {traceEvent.FullName} are evaluated even when no probe is attached: " +
            "the weaver could not delimit them safely. Compute them into locals before the call to silence this.",
            point);
        return (null, 0);
    }

    /// <summary>
    /// The call's statement: the instruction of its sequence point, where its arguments can be
    /// skipped from (the same instruction when the region from there to the call is closed), and
    /// whether that start is uncertain (the skipped region may be narrower than the statement).
    /// </summary>
    /// <remarks>
    /// <para>
    /// The compiler marks the start of every statement with a sequence point (a hidden one under
    /// <c>#line hidden</c>), so the nearest point at or before the call is inside the call's
    /// statement: the region never starts before it without proof.
    /// </para>
    /// <para>
    /// The statement's span contains every span the compiler marks inside it (switch expression
    /// arms and their <c>when</c> clauses), and the compiler may mark the statement a second time
    /// where those join. So, walking back from the call, the statement is the earliest visible
    /// point whose span contains every visible span between it and the call. Spans prove nothing
    /// alone: a <c>#line</c> directive can give an earlier statement a span that contains the
    /// call's. So the walk goes back past the nearest point only over code that can only be the
    /// call's arguments (<see cref="ArgumentCode"/>); where it meets other code, the start is the
    /// latest point reached, and uncertain. It is uncertain too when the nearest point is hidden
    /// and no visible point could be proven to start the statement. The walk stops where the stack
    /// is lower than it is under the arguments (the statement cannot start before that) and at
    /// the start of an exception block (a statement does not cross one).
    /// </para>
    /// </remarks>
    static (Instruction? Statement, Instruction? Start, bool Uncertain) Statement(IDictionary<Instruction, SequencePoint> map, StackDepths depths,
        ArgumentCode code, Instruction call, int baseDepth)
    {
        Instruction? nearest = null;
        var candidates = new List<Instruction>(); // visible points whose span contains every later one, latest first
        Span? union = null; // spans all visible points from the current one to the call
        for (var i = call; i is not null; i = i.Previous)
        {
            var depth = depths.DepthBefore(i);
            if (depth < baseDepth) break;
            if (map.TryGetValue(i, out var point))
            {
                nearest ??= i;
                if (!point.IsHidden)
                {
                    var span = new Span(point);
                    if (union is null || span.Contains(union.Value)) candidates.Add(i);
                    union = union is null ? span : union.Value.Union(span);
                }
                if (depth > baseDepth && IsFallenInto(depths, i)) break;
            }
            if (depths.IsBlockBoundary(i)) break;
        }
        if (nearest is null) return (null, null, false);

        // The earliest candidate over whose code the region can be proven to be the arguments.
        var chosen = -1;
        for (var c = candidates.Count - 1; c >= 0 && chosen < 0; c--)
        {
            if (candidates[c] == nearest || code.IsArgumentCode(candidates[c], nearest, call, map)) chosen = c;
        }
        if (chosen < 0)
        {
            // Hidden, and no visible point proven to be the statement's: start at the hidden one.
            return (nearest, IsClosed(depths, nearest, call, baseDepth) ? nearest : null, true);
        }
        // An earlier candidate could not be proven to be argument code: the statement may start
        // before the chosen one, and then what lies between is evaluated.
        var uncertain = chosen < candidates.Count - 1;
        Instruction? start = null;
        for (var c = chosen; c >= 0 && start is null; c--)
        {
            if (IsClosed(depths, candidates[c], call, baseDepth)) start = candidates[c];
        }
        var statement = candidates[chosen];
        return (statement, start, uncertain);
    }

    /// <summary>
    /// Whether the point at <paramref name="i"/> is reached only by falling through from code that
    /// does not branch. With values on the stack above the arguments' base, such a point starts
    /// a statement: an optimized build kept an earlier statement's value there across the
    /// statement boundary (`var v = F() + x; T(v + 1);` keeps `F() + x` on the stack), and that
    /// earlier code must not be taken for the call's, whatever the spans say. The parts an
    /// expression marks inside itself (switch expression arms, <c>when</c> clauses) are entered by
    /// the expression's own branches.
    /// </summary>
    static bool IsFallenInto(StackDepths depths, Instruction i) =>
        depths.BranchSources(i).Count == 0 &&
        i.Previous is { } previous && previous.OpCode.FlowControl is not (FlowControl.Branch or FlowControl.Cond_Branch);

    /// <summary>A source span; a span over two documents contains nothing and is in no other.</summary>
    readonly struct Span
    {
        readonly string? _url;
        readonly int _startLine, _startColumn, _endLine, _endColumn;

        public Span(SequencePoint point)
            : this(point.Document.Url, point.StartLine, point.StartColumn, point.EndLine, point.EndColumn)
        {
        }

        Span(string? url, int startLine, int startColumn, int endLine, int endColumn)
        {
            _url = url;
            _startLine = startLine;
            _startColumn = startColumn;
            _endLine = endLine;
            _endColumn = endColumn;
        }

        public bool Contains(Span inner) =>
            _url is not null && _url == inner._url &&
            NotAfter(_startLine, _startColumn, inner._startLine, inner._startColumn) &&
            NotAfter(inner._endLine, inner._endColumn, _endLine, _endColumn);

        public Span Union(Span other)
        {
            if (_url is null || _url != other._url) return new Span(null, 0, 0, 0, 0);
            var startFirst = NotAfter(_startLine, _startColumn, other._startLine, other._startColumn);
            var endLast = NotAfter(other._endLine, other._endColumn, _endLine, _endColumn);
            return new Span(_url,
                startFirst ? _startLine : other._startLine, startFirst ? _startColumn : other._startColumn,
                endLast ? _endLine : other._endLine, endLast ? _endColumn : other._endColumn);
        }

        static bool NotAfter(int line, int column, int otherLine, int otherColumn) =>
            line < otherLine || (line == otherLine && column <= otherColumn);
    }

    /// <summary>
    /// Whether [start, call) is a region entered only at start: no branch from outside lands on
    /// (start, call], no exception block begins or ends there, and the stack never dips below
    /// the depth the arguments start at, not even while an instruction pops its operands.
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
            // Nor may it consume what lies under the arguments: an optimized build keeps a value
            // assigned in an argument on the stack for the code after the call
            // (`T((total += 2)); return total;` is `add; dup; call T; ret`).
            var depth = depths.DepthBefore(i);
            if (depth < baseDepth || (i != start && depths.IsBlockBoundary(i)) || (i != call && depths.DepthAfterPops(i) < baseDepth))
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

    // Where an await suspends: the state machine hands its awaiter to its builder's
    // AwaitOnCompleted / AwaitUnsafeOnCompleted (every builder has them, custom ones included).
    // An awaiter's GetResult() is no sign of an await: users call GetAwaiter().GetResult() too.
    static bool IsAwaitSuspension(Instruction instruction) =>
        instruction.OpCode.FlowControl == FlowControl.Call &&
        instruction.Operand is MethodReference { Name: "AwaitOnCompleted" or "AwaitUnsafeOnCompleted", Parameters.Count: 2 };
}
