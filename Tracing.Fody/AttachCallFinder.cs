using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Tracing.Fody;

/// <summary>A <c>Trace.Attach(pg, Type.Event, probe)</c> call to compile into <c>Type.Event_Attach(pg, probe)</c>.</summary>
public sealed class AttachCall
{
    public AttachCall(MethodDefinition method, Instruction call, TraceEvent traceEvent, IReadOnlyList<Instruction> eventDelegate)
    {
        Method = method;
        Call = call;
        Event = traceEvent;
        EventDelegate = eventDelegate;
    }

    public MethodDefinition Method { get; }
    public Instruction Call { get; }
    public TraceEvent Event { get; }

    /// <summary>The instructions that create (or load the cached) delegate of the event method: removed.</summary>
    public IReadOnlyList<Instruction> EventDelegate { get; }
}

/// <summary>
/// Finds <c>Trace.Attach(pg, Type.Event, probe)</c> calls whose event is a method group of this
/// module, in the two shapes C# compilers emit for a static method group:
/// <code>
/// ldnull; ldftn Event; newobj Action&lt;…&gt;::.ctor                         (C# 10 and older)
/// ldsfld &lt;&gt;O::&lt;0&gt;__Event; dup; brtrue L; pop;
///     ldnull; ldftn Event; newobj Action&lt;…&gt;::.ctor; dup; stsfld &lt;&gt;O::&lt;0&gt;__Event; L:   (C# 11+: cached)
/// </code>
/// The delegate must be the event argument on every path to the call (the region from its
/// creation to the call is entered only at its start). A call in any other shape (the event
/// delegate kept in a local, chosen by <c>?:</c> or <c>??</c>) is left alone: the runtime resolves
/// the event the delegate names when the call runs. A probe type that is not the event's is a build error at the call.
/// </summary>
public static class AttachCallFinder
{
    public static List<AttachCall> Find(ModuleDefinition module, RuntimeReferences refs, IReadOnlyList<TraceEvent> events, Diagnostics diagnostics)
    {
        var byMethod = events.ToDictionary(e => e.Method);
        var found = new List<AttachCall>();
        foreach (var method in module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody))
        {
            StackDepths? depths = null;
            foreach (var ldftn in method.Body.Instructions)
            {
                if (ldftn.OpCode.Code != Code.Ldftn || ldftn.Operand is not MethodDefinition target) continue;
                if (!byMethod.TryGetValue(target, out var traceEvent)) continue;
                var pattern = MatchDelegate(ldftn);
                if (pattern is null) continue;
                depths ??= new StackDepths(method.Body);
                var call = ConsumingAttach(method, depths, pattern, refs);
                // The event argument must be this delegate on every path to the call: with
                // `c ? E.TraceA : E.TraceB` or `f() ?? E.TraceA` another path brings another
                // delegate, and only the runtime knows which event it is.
                if (call is null || !depths.IsEnteredOnlyAt(pattern[0], call)) continue;
                var probeType = ((GenericInstanceMethod)call.Operand).GenericArguments[0];
                if (traceEvent.ProbeType is null) continue; // the declaration is invalid: already reported
                if (probeType.FullName != traceEvent.ProbeType.FullName)
                {
                    var expected = TypeNames.Of(traceEvent.ProbeType);
                    // C# gives a method group with params or optional parameters an anonymous
                    // delegate type, which it then infers for TProbe.
                    var message = probeType.Name.StartsWith("<>f__AnonymousDelegate")
                        ? $"Trace.Attach: C# inferred an anonymous delegate type for {traceEvent.FullName} (it has params or optional parameters), whose probes are {expected}. " +
                          $"Name the probe type: Trace.Attach<{expected}>(pg, {traceEvent.Method.Name}, probe)."
                        : $"Trace.Attach: the probes of {traceEvent.FullName} are {expected}, not {TypeNames.Of(probeType)}. " +
                          $"Pass a lambda or method group of type {expected}.";
                    diagnostics.Error(message, Diagnostics.PointOf(method, call));
                    continue;
                }
                found.Add(new AttachCall(method, call, traceEvent, pattern));
            }
        }
        return found;
    }

    /// <summary>The instructions of one of the two delegate shapes around <paramref name="ldftn"/>, or null.</summary>
    static List<Instruction>? MatchDelegate(Instruction ldftn)
    {
        var ldnull = ldftn.Previous;
        var newobj = ldftn.Next;
        if (ldnull?.OpCode.Code != Code.Ldnull || newobj?.OpCode.Code != Code.Newobj) return null;
        var simple = new List<Instruction> { ldnull, ldftn, newobj };

        // The cached shape: ldsfld F; dup; brtrue L; pop; [ldnull; ldftn; newobj]; dup; stsfld F; L:
        var pop = ldnull.Previous;
        var brtrue = pop?.Previous;
        var dup1 = brtrue?.Previous;
        var ldsfld = dup1?.Previous;
        var dup2 = newobj.Next;
        var stsfld = dup2?.Next;
        if (pop?.OpCode.Code == Code.Pop &&
            brtrue?.OpCode.Code is Code.Brtrue or Code.Brtrue_S &&
            dup1?.OpCode.Code == Code.Dup &&
            ldsfld?.OpCode.Code == Code.Ldsfld &&
            dup2?.OpCode.Code == Code.Dup &&
            stsfld?.OpCode.Code == Code.Stsfld &&
            stsfld.Operand == ldsfld.Operand &&
            brtrue.Operand == stsfld.Next)
        {
            return new List<Instruction> { ldsfld, dup1, brtrue, pop, ldnull, ldftn, newobj, dup2, stsfld };
        }
        return simple;
    }

    /// <summary>The Trace.Attach call that takes the delegate as its event argument, or null.</summary>
    static Instruction? ConsumingAttach(MethodDefinition method, StackDepths depths, List<Instruction> pattern, RuntimeReferences refs)
    {
        var depth = depths.DepthBefore(pattern[0]); // pg is below it: the delegate is argument 1
        if (depth < 1) return null;
        for (var i = pattern[pattern.Count - 1].Next; i is not null; i = i.Next)
        {
            var before = depths.DepthBefore(i);
            if (before < depth + 1) return null;
            if (before - StackDepths.Pops(i, method) >= depth + 1) continue;
            // i consumes the delegate: it must be Trace.Attach, with the probe above the delegate
            return IsTraceAttach(i, refs) && before == depth + 2 ? i : null;
        }
        return null;
    }

    static bool IsTraceAttach(Instruction instruction, RuntimeReferences refs) =>
        instruction.OpCode.Code == Code.Call &&
        instruction.Operand is GenericInstanceMethod { ElementMethod: var element } &&
        element.Name == refs.TraceAttach.Name &&
        element.DeclaringType.FullName == refs.TraceAttach.DeclaringType.FullName &&
        element.Parameters.Count == 3 &&
        element.Parameters[1].ParameterType.IsGenericParameter;
}
