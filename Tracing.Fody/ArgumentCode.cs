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
/// the address of) a local that is a compiler temporary (it has no name) or a variable declared
/// inside the call (its scopes lie within the call's code: pattern variables of switch
/// expression arms), or a <c>pop</c> inside a part of the expression the compiler marks with a
/// point of its own (an arm that drops a value it computed for its side effects).
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
        var inPart = false; // past a point the compiler marks inside the expression (a switch expression arm)
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
            if (i != from && points.ContainsKey(i)) inPart = true;
            if (after > level) continue;
            // An arm may drop a value it computed for its side effects (`checked(0 * F())`).
            if (i.OpCode.Code == Code.Pop && inPart) continue;
            if (!IsTemporaryStep(i, after, first, end)) return false;
        }
        return true;
    }

    bool IsTemporaryStep(Instruction i, int after, int first, int end)
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
        return Variables.Stored(i, _method.Body) is VariableDefinition local && IsTemporary(local, first, end);
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
