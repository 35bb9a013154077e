using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Tracing.Fody;

/// <summary>
/// Every user-facing error and warning, with the source position it points at. Errors are
/// collected while validating and reported together; nothing is woven when there is one.
/// </summary>
public sealed class Diagnostics
{
    readonly List<(string Message, SequencePoint? Point)> _errors = new();
    readonly List<(string Message, SequencePoint? Point)> _warnings = new();

    public IReadOnlyList<(string Message, SequencePoint? Point)> Errors => _errors;

    public void Error(string message, SequencePoint? point) => _errors.Add((message, point));

    public void Warning(string message, SequencePoint? point) => _warnings.Add((message, point));

    /// <summary>Reports the errors; true when there was any.</summary>
    public bool Report(ModuleWeaver weaver)
    {
        foreach (var (message, point) in _errors) weaver.WriteError(message, point);
        return _errors.Count > 0;
    }

    public void ReportWarnings(ModuleWeaver weaver)
    {
        foreach (var (message, point) in _warnings) weaver.WriteWarning(message, point);
    }

    /// <summary>The first visible sequence point of a method: where its declaration's body starts.</summary>
    public static SequencePoint? PointOf(MethodDefinition method)
    {
        if (method.DebugInformation is { HasSequencePoints: true } info)
            return info.SequencePoints.Where(p => !p.IsHidden).OrderBy(p => p.Offset).FirstOrDefault();
        return null;
    }

    /// <summary>
    /// Where a method is declared, for an error about its declaration: its first point; for an
    /// async method or an iterator, whose body moved to a state machine, the first point of the
    /// state machine's MoveNext; for a method without a body (abstract, extern), which the debug
    /// information does not locate, the first point of the nearest method declared before it (or
    /// after it) in its type or an enclosing type: the right file, close to the declaration.
    /// </summary>
    public static SequencePoint? DeclarationOf(MethodDefinition method)
    {
        if (PointOf(method) is { } own) return own;
        if (StateMachineOf(method)?.Resolve()?.Methods.FirstOrDefault(m => m.Name == "MoveNext") is { } moveNext &&
            PointOf(moveNext) is { } inMoveNext)
        {
            return inMoveNext;
        }
        for (var type = method.DeclaringType; type is not null; type = type.DeclaringType)
        {
            var methods = type.Methods;
            var index = type == method.DeclaringType ? methods.IndexOf(method) : methods.Count;
            var before = methods.Take(index).Reverse().Select(PointOf).FirstOrDefault(p => p is not null);
            if (before is not null) return before;
            var after = methods.Skip(index + 1).Select(PointOf).FirstOrDefault(p => p is not null);
            if (after is not null) return after;
        }
        return null;
    }

    /// <summary>The state machine type of an async method or an iterator (its body moved there), or null.</summary>
    public static TypeReference? StateMachineOf(MethodDefinition method) =>
        method.CustomAttributes
            .Where(a => a.AttributeType.FullName is "System.Runtime.CompilerServices.AsyncStateMachineAttribute"
                or "System.Runtime.CompilerServices.IteratorStateMachineAttribute"
                or "System.Runtime.CompilerServices.AsyncIteratorStateMachineAttribute")
            .Select(a => a.ConstructorArguments.Count == 1 ? a.ConstructorArguments[0].Value as TypeReference : null)
            .FirstOrDefault(t => t is not null);

    /// <summary>The sequence point of the statement an instruction belongs to: the last visible one at or before it.</summary>
    public static SequencePoint? PointOf(MethodDefinition method, Instruction instruction) =>
        PointOf(method, method.DebugInformation.GetSequencePointMapping(), instruction);

    /// <summary>The same, with the method's sequence point mapping already built.</summary>
    public static SequencePoint? PointOf(MethodDefinition method, IDictionary<Instruction, SequencePoint> map, Instruction instruction)
    {
        for (var i = instruction; i is not null; i = i.Previous)
        {
            if (map.TryGetValue(i, out var point) && !point.IsHidden) return point;
        }
        return PointOf(method);
    }
}
