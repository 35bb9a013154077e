using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Tracing.Fody;

/// <summary>
/// Whether code between two sequence points before a trace call can only be part of the call's
/// own arguments: what <see cref="CallSiteFinder"/> checks before it extends the skipped region
/// back past the nearest sequence point, because source spans alone do not prove it (a
/// <c>#line</c> directive can map an earlier statement onto a span that contains the call's, and
/// <c>#line hidden</c> leaves the call's statement without a visible point at all).
/// </summary>
/// <remarks>
/// An argument's code returns the stack to the depth it started at only to set up temporaries
/// (a switch expression stores its arms' values into one, an interpolated string handler is
/// constructed in one) and it branches only within itself. A statement of its own returns the
/// stack to that depth with an effect: a call whose value is dropped, a store into a field, an
/// element, a parameter or a variable declared outside, a branch elsewhere. So the code is
/// argument code when every instruction that leaves the stack at or below its starting depth is a
/// <c>nop</c>, a branch within the call's code, a <c>throw</c>, a store into (or a call on
/// the address of) a local that is a compiler temporary (it has no name, or it is a state
/// machine's spill field, <see cref="IsSpilledTemporary"/>) or a variable declared
/// inside the call (its scopes lie within the call's code: pattern variables of switch
/// expression arms) or a variable named in a wider scope whose store is not the last instruction
/// before a sequence point (a pattern variable: see <see cref="IsTemporaryStep"/>), or a
/// <c>pop</c> inside a part of the expression the compiler marks with a
/// point of its own and that the expression's own code branches to (an arm that drops a value it
/// computed for its side effects; a statement before the call is entered by falling through), or
/// a <c>pop</c> right after a conditional branch (a null check dropping the copy it tested: it
/// has no effect, and the statement it would belong to still needs one of its own).
/// </remarks>
public sealed class ArgumentCode
{
    readonly MethodDefinition _method;
    readonly StackDepths _depths;
    readonly Dictionary<int, List<(int Start, int End)>> _scopes = new(); // local slot -> the IL ranges where it has a name

    public ArgumentCode(MethodDefinition method, StackDepths depths)
    {
        _method = method;
        _depths = depths;
        if (method.DebugInformation.Scope is { } root) AddScopes(root);
    }

    /// <summary>Whether [<paramref name="from"/>, <paramref name="to"/>) can only be part of the arguments of <paramref name="call"/>.</summary>
    public bool IsArgumentCode(Instruction from, Instruction to, Instruction call, IDictionary<Instruction, SequencePoint> points)
    {
        var inPart = false; // in a part the compiler marks inside the expression (a switch expression arm)
        var level = _depths.DepthBefore(from);
        var first = from.Offset;
        var last = call.Offset;
        var end = call.Next?.Offset ?? int.MaxValue;
        for (var i = from; i is not null && i != to; i = i.Next)
        {
            if (StackDepths.Targets(i).Any(t => t.Offset <= first || t.Offset > last)) return false;
            var before = _depths.DepthBefore(i);
            if (before < 0) continue; // unreachable
            var after = before - StackDepths.Pops(i, _method) + StackDepths.Pushes(i);
            if (i != from && points.ContainsKey(i)) inPart = IsEnteredFromWithin(i, from);
            if (after > level) continue;
            // An arm may drop a value it computed for its side effects (`checked(0 * F())`), and a
            // null check drops the copy it tested (`s?.Length ?? 8` on a field: `dup; brtrue; pop`).
            if (i.OpCode.Code == Code.Pop && (inPart || i.Previous?.OpCode.FlowControl == FlowControl.Cond_Branch)) continue;
            if (!IsTemporaryStep(i, after, first, end, points)) return false;
        }
        return true;
    }

    /// <summary>
    /// Whether the code at <paramref name="part"/> is entered by a branch from [<paramref name="from"/>,
    /// <paramref name="part"/>): an arm the expression's own dispatch jumps to, not a statement
    /// that follows the one before it.
    /// </summary>
    bool IsEnteredFromWithin(Instruction part, Instruction from)
    {
        var first = _depths.IndexOf(from);
        var at = _depths.IndexOf(part);
        return _depths.BranchSources(part).Any(s => _depths.IndexOf(s) >= first && _depths.IndexOf(s) < at);
    }

    bool IsTemporaryStep(Instruction i, int after, int first, int end, IDictionary<Instruction, SequencePoint> points)
    {
        switch (i.OpCode.FlowControl)
        {
            case FlowControl.Branch or FlowControl.Cond_Branch or FlowControl.Throw: return true;
            case FlowControl.Call:
                // A call on a temporary: constructors of structs, interpolated string handlers.
                return i.OpCode.Code != Code.Calli && IsTemporary(Receiver(i, after), first, end);
        }
        if (i.OpCode.Code == Code.Nop) return true;
        if (i.OpCode.Code == Code.Initobj) return IsTemporary(Receiver(i, after), first, end);
        if (i.OpCode.Code == Code.Stfld)
        {
            return i.Operand is FieldReference field && field.DeclaringType.FullName == _method.DeclaringType.FullName &&
                (IsSpilledTemporary(field) || SkippedWrites.IsHoistedVariable(field) && !IsFollowedByPoint(i, points));
        }
        if (Variables.Stored(i, _method.Body) is not VariableDefinition local) return false;
        // A pattern variable of the expression (`o is int n ? n : 0`, its value spilled) is named
        // in the enclosing block's scope, like a variable an earlier statement assigns
        // (`var r = Work(); T(r);`). A statement ends where the next one's point begins, so a
        // store into it that the next point follows ends a statement; inside an expression, more
        // of the expression follows.
        return IsTemporary(local, first, end) || !IsFollowedByPoint(i, points);
    }

    /// <summary>The local whose address is the first operand <paramref name="i"/> pops, if any.</summary>
    VariableDefinition? Receiver(Instruction i, int after)
    {
        for (var j = i.Previous; j is not null; j = j.Previous)
        {
            var depth = _depths.DepthBefore(j);
            if (depth < 0) continue;
            if (depth < after) return null;
            if (depth == after) return Variables.Addressed(j) as VariableDefinition;
        }
        return null;
    }

    static bool IsFollowedByPoint(Instruction i, IDictionary<Instruction, SequencePoint> points)
    {
        var next = i.Next;
        while (next is not null && next.OpCode.Code == Code.Nop && !points.ContainsKey(next)) next = next.Next;
        return next is null || points.ContainsKey(next);
    }

    /// <summary>
    /// A temporary an async or iterator state machine keeps in a field of its own (<c>&lt;&gt;s__9</c>):
    /// the compiler's spill of a value an expression computes, where a method would use an unnamed
    /// local. A user's variable is <c>&lt;name&gt;5__3</c>; the state machine's bookkeeping is
    /// <c>&lt;&gt;1__state</c>, <c>&lt;&gt;u__1</c>, <c>&lt;&gt;7__wrap1</c> (a statement's, not an expression's).
    /// </summary>
    static bool IsSpilledTemporary(FieldReference field) => field.Name.StartsWith("<>s__");

    bool IsTemporary(object? variable, int first, int end)
    {
        if (variable is not VariableDefinition local) return false;
        if (!_scopes.TryGetValue(local.Index, out var scopes)) return true; // no name: a compiler temporary
        // Named in a scope that overlaps the call's code: that scope must lie within it.
        return scopes.Where(s => s.Start < end && s.End > first).All(s => s.Start >= first && s.End <= end);
    }

    void AddScopes(ScopeDebugInformation scope)
    {
        if (scope.HasVariables)
        {
            var end = scope.End.IsEndOfMethod ? int.MaxValue : scope.End.Offset;
            foreach (var variable in scope.Variables)
            {
                if (!_scopes.TryGetValue(variable.Index, out var list)) _scopes[variable.Index] = list = new List<(int, int)>();
                list.Add((scope.Start.Offset, end));
            }
        }
        if (scope.HasScopes)
            foreach (var inner in scope.Scopes) AddScopes(inner);
    }
}
