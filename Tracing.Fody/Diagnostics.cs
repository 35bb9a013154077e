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
