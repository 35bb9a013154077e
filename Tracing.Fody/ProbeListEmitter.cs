using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Tracing.Fody;

/// <summary>
/// Emits, beside each event, its probe list and attach method, and replaces its empty body with
/// the dispatch. For <c>[Trace.Event] static void TraceHello(string who) { }</c> in Hello:
/// <code>
/// [CompilerGenerated] internal static ProbeNode&lt;Action&lt;string&gt;&gt;? &lt;TraceHello&gt;probes;  // head: null while nothing is attached
/// [CompilerGenerated] static ProbeList&lt;Action&lt;string&gt;&gt;? &lt;TraceHello&gt;list;   // owner of the list, made on first attach
/// [CompilerGenerated] static void &lt;TraceHello&gt;publish(ProbeNode&lt;Action&lt;string&gt;&gt;? head) =&gt; volatile-write &lt;TraceHello&gt;probes;
/// internal static Probe TraceHello_Attach(ProbeGroup? pg, Action&lt;string&gt; probe) =&gt;
///     EventSupport.Attach(pg, ref &lt;TraceHello&gt;list, "Hello.TraceHello", &lt;TraceHello&gt;list == null ? &lt;TraceHello&gt;publish : null, probe);
/// static void TraceHello(string who)
/// {
///     if (&lt;TraceHello&gt;probes == null) return;
///     var state = EventSupport.Enter();
///     try { for (var n = &lt;TraceHello&gt;probes; n != null; n = n.Next) n.Func(who); }
///     catch { EventSupport.Exit(state); throw; }
///     EventSupport.Exit(state);
/// }
/// </code>
/// The C# equivalent is AssemblyToProcess/Reference/WovenHello.cs.
/// </summary>
public static class ProbeListEmitter
{
    // The head is read by every call site in the assembly, so it is internal (its name is
    // unspeakable in C#); the list is only touched by the attach method beside it.
    const FieldAttributes HeadField = FieldAttributes.Assembly | FieldAttributes.Static;
    const FieldAttributes ListField = FieldAttributes.Private | FieldAttributes.Static;

    public static void Emit(TraceEvent traceEvent, RuntimeReferences refs)
    {
        var method = traceEvent.Method;
        var type = method.DeclaringType;
        var probeType = traceEvent.ProbeType!;
        var node = refs.ProbeNodeOf(probeType);

        var head = new FieldDefinition($"<{method.Name}>probes", HeadField, node);
        var list = new FieldDefinition($"<{method.Name}>list", ListField, refs.ProbeListOf(probeType));
        MarkGenerated(head, refs);
        MarkGenerated(list, refs);
        type.Fields.Add(head);
        type.Fields.Add(list);
        traceEvent.Head = head;

        var publish = EmitPublish(type, method.Name, head, node, refs);
        traceEvent.Attach = EmitAttach(traceEvent, list, publish, refs);
        EmitDispatch(method, head, node, probeType, refs);
    }

    // static void <Event>publish(ProbeNode<TProbe>? value) => Volatile.Write(ref <Event>probes, value);
    static MethodDefinition EmitPublish(TypeDefinition type, string eventName, FieldDefinition head, TypeReference node, RuntimeReferences refs)
    {
        var module = type.Module;
        var publish = new MethodDefinition($"<{eventName}>publish", MethodAttributes.Private | MethodAttributes.Static | MethodAttributes.HideBySig, module.TypeSystem.Void);
        publish.Parameters.Add(new ParameterDefinition("head", ParameterAttributes.None, node));
        MarkGenerated(publish, refs);
        var il = publish.Body.GetILProcessor();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Volatile); // release: a reader that sees the node sees its fields
        il.Emit(OpCodes.Stsfld, head);
        il.Emit(OpCodes.Ret);
        type.Methods.Add(publish);
        return publish;
    }

    // internal static Probe <Event>_Attach(ProbeGroup? pg, TProbe probe)
    //     => EventSupport.Attach(pg, ref <Event>list, "Ns.Type.Event", <Event>list == null ? <Event>publish : null, probe);
    static MethodDefinition EmitAttach(TraceEvent traceEvent, FieldDefinition list, MethodDefinition publish, RuntimeReferences refs)
    {
        var type = traceEvent.Method.DeclaringType;
        var probeType = traceEvent.ProbeType!;
        var publishType = refs.ActionOf(new TypeReference[] { refs.ProbeNodeOf(probeType) });
        var attach = new MethodDefinition(traceEvent.AttachName, MethodAttributes.Assembly | MethodAttributes.Static | MethodAttributes.HideBySig, refs.Probe);
        attach.Parameters.Add(new ParameterDefinition("pg", ParameterAttributes.None, refs.ProbeGroup));
        attach.Parameters.Add(new ParameterDefinition("probe", ParameterAttributes.None, probeType));
        var il = attach.Body.GetILProcessor();
        var haveList = Instruction.Create(OpCodes.Ldnull);
        var call = Instruction.Create(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldsflda, list);
        il.Emit(OpCodes.Ldstr, traceEvent.FullName);
        // The publish delegate only creates the list: pass null once it exists (no allocation).
        il.Emit(OpCodes.Ldsfld, list);
        il.Emit(OpCodes.Brtrue_S, haveList);
        il.Emit(OpCodes.Ldnull);
        il.Emit(OpCodes.Ldftn, publish);
        il.Emit(OpCodes.Newobj, refs.DelegateCtor(publishType));
        il.Emit(OpCodes.Br_S, call);
        il.Append(haveList);
        il.Append(call);
        il.Emit(OpCodes.Call, refs.SupportAttachOf(probeType));
        il.Emit(OpCodes.Ret);
        type.Methods.Add(attach);
        return attach;
    }

    static void EmitDispatch(MethodDefinition method, FieldDefinition head, GenericInstanceType node, TypeReference probeType, RuntimeReferences refs)
    {
        var body = method.Body;
        // Keep the declaration's sequence points on the new first and last instruction, so a
        // breakpoint on the event's line still binds.
        var points = method.DebugInformation.HasSequencePoints ? new System.Collections.Generic.List<SequencePoint>(method.DebugInformation.SequencePoints) : null;
        method.DebugInformation.SequencePoints.Clear();
        body.Instructions.Clear();
        body.ExceptionHandlers.Clear();
        body.Variables.Clear();
        body.InitLocals = true;
        var state = new VariableDefinition(refs.DispatchState);
        var current = new VariableDefinition(node);
        body.Variables.Add(state);
        body.Variables.Add(current);

        var il = body.GetILProcessor();
        var start = Instruction.Create(OpCodes.Call, refs.DispatchEnter);
        var loop = Instruction.Create(OpCodes.Ldloc, current);
        var condition = Instruction.Create(OpCodes.Ldloc, current);
        var end = Instruction.Create(OpCodes.Ret);
        var tryStart = Instruction.Create(OpCodes.Volatile);
        var catchStart = Instruction.Create(OpCodes.Ldloc, state);
        var after = Instruction.Create(OpCodes.Ldloc, state);
        var first = Instruction.Create(OpCodes.Ldsfld, head);

        // if (<Event>probes == null) return;   (a call through a delegate, or with LazyArguments off, lands here)
        il.Append(first);
        il.Emit(OpCodes.Brtrue, start);
        il.Emit(OpCodes.Ret);
        // var state = EventSupport.Enter();   (before the head is read again: see Trace.Synchronize)
        il.Append(start);
        il.Emit(OpCodes.Stloc, state);
        // try { for (var n = <Event>probes; n != null; n = n.Next) n.Func(args); }
        il.Append(tryStart);
        il.Emit(OpCodes.Ldsfld, head);
        il.Emit(OpCodes.Stloc, current);
        il.Emit(OpCodes.Br, condition);
        il.Append(loop);
        il.Emit(OpCodes.Ldfld, refs.ProbeNodeField(node, "Func"));
        foreach (var parameter in method.Parameters) il.Emit(OpCodes.Ldarg, parameter);
        il.Emit(OpCodes.Callvirt, refs.Invoke(probeType));
        il.Emit(OpCodes.Ldloc, current);
        il.Emit(OpCodes.Ldfld, refs.ProbeNodeField(node, "Next"));
        il.Emit(OpCodes.Stloc, current);
        il.Append(condition);
        il.Emit(OpCodes.Brtrue, loop);
        il.Emit(OpCodes.Leave, after);
        // catch { EventSupport.Exit(state); throw; }   (not a finally: the dispatch must be over, its
        // probes' finally blocks run, before the firing code's exception filters run; see Dispatch)
        il.Append(catchStart);
        il.Emit(OpCodes.Call, refs.DispatchExit);
        il.Emit(OpCodes.Rethrow);
        // EventSupport.Exit(state);
        il.Append(after);
        il.Emit(OpCodes.Call, refs.DispatchExit);
        il.Append(end);
        body.ExceptionHandlers.Add(new ExceptionHandler(ExceptionHandlerType.Catch)
        {
            CatchType = method.Module.TypeSystem.Object,
            TryStart = tryStart,
            TryEnd = catchStart,
            HandlerStart = catchStart,
            HandlerEnd = after,
        });
        body.OptimizeMacros();

        if (points is { Count: > 0 })
        {
            var visible = points.FindAll(p => !p.IsHidden);
            if (visible.Count > 0)
            {
                method.DebugInformation.SequencePoints.Add(CopyPoint(visible[0], first));
                method.DebugInformation.SequencePoints.Add(new SequencePoint(start, visible[0].Document) { StartLine = 0xfeefee, EndLine = 0xfeefee });
                method.DebugInformation.SequencePoints.Add(CopyPoint(visible[visible.Count - 1], end));
            }
        }
    }

    static SequencePoint CopyPoint(SequencePoint point, Instruction instruction) => new(instruction, point.Document)
    {
        StartLine = point.StartLine,
        StartColumn = point.StartColumn,
        EndLine = point.EndLine,
        EndColumn = point.EndColumn,
    };

    static void MarkGenerated(ICustomAttributeProvider member, RuntimeReferences refs) =>
        member.CustomAttributes.Add(new CustomAttribute(refs.CompilerGeneratedCtor));
}
