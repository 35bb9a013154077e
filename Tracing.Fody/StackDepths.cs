using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Tracing.Fody;

/// <summary>
/// The evaluation stack depth before each reachable instruction of a method body, and who
/// branches where: what the call-site rewriting needs to find where a call's arguments start.
/// </summary>
public sealed class StackDepths
{
    readonly Dictionary<Instruction, int> _depth = new();
    readonly Dictionary<Instruction, List<Instruction>> _branchSources = new();
    readonly HashSet<Instruction> _blockBoundaries = new();
    readonly Dictionary<Instruction, int> _index = new();

    public StackDepths(MethodBody body)
    {
        var instructions = body.Instructions;
        for (var i = 0; i < instructions.Count; i++) _index[instructions[i]] = i;
        foreach (var handler in body.ExceptionHandlers)
        {
            foreach (var boundary in new[] { handler.TryStart, handler.TryEnd, handler.HandlerStart, handler.HandlerEnd, handler.FilterStart })
                if (boundary is not null) _blockBoundaries.Add(boundary);
        }
        foreach (var instruction in instructions)
        {
            foreach (var target in Targets(instruction))
            {
                if (!_branchSources.TryGetValue(target, out var sources)) _branchSources[target] = sources = new List<Instruction>();
                sources.Add(instruction);
            }
        }

        var work = new Stack<(Instruction, int)>();
        if (instructions.Count > 0) work.Push((instructions[0], 0));
        foreach (var handler in body.ExceptionHandlers)
        {
            var entersWithException = handler.HandlerType is ExceptionHandlerType.Catch or ExceptionHandlerType.Filter;
            work.Push((handler.HandlerStart, entersWithException ? 1 : 0));
            if (handler.FilterStart is not null) work.Push((handler.FilterStart, 1));
        }
        while (work.Count > 0)
        {
            var (instruction, depth) = work.Pop();
            if (_depth.TryGetValue(instruction, out var known))
            {
                if (known != depth)
                    throw new InvalidOperationException($"Inconsistent stack depth at IL_{instruction.Offset:x4} ({known} and {depth}) in {body.Method.FullName}.");
                continue;
            }
            _depth[instruction] = depth;
            var after = depth - Pops(instruction, body.Method) + Pushes(instruction);
            if (instruction.OpCode.Code is Code.Leave or Code.Leave_S) after = 0;
            foreach (var target in Targets(instruction)) work.Push((target, after));
            if (FallsThrough(instruction) && instruction.Next is not null) work.Push((instruction.Next, after));
        }
    }

    /// <summary>The depth before <paramref name="instruction"/>, or -1 if it is unreachable.</summary>
    public int DepthBefore(Instruction instruction) => _depth.TryGetValue(instruction, out var d) ? d : -1;

    public int IndexOf(Instruction instruction) => _index[instruction];

    public IReadOnlyList<Instruction> BranchSources(Instruction target) =>
        _branchSources.TryGetValue(target, out var sources) ? sources : (IReadOnlyList<Instruction>)Array.Empty<Instruction>();

    /// <summary>Whether an exception-handling block starts or ends at this instruction.</summary>
    public bool IsBlockBoundary(Instruction instruction) => _blockBoundaries.Contains(instruction);

    /// <summary>
    /// Whether every path that reaches an instruction of [<paramref name="start"/>, <paramref name="end"/>]
    /// enters it at <paramref name="start"/>: nothing outside branches into (start, end], and no
    /// exception block starts or ends there. A rewrite that removes or skips code of the region
    /// changes every path through it alike only then.
    /// </summary>
    public bool IsEnteredOnlyAt(Instruction start, Instruction end)
    {
        var first = IndexOf(start);
        var last = IndexOf(end);
        for (var i = start.Next; i is not null && IndexOf(i) <= last; i = i.Next)
        {
            if (IsBlockBoundary(i)) return false;
            foreach (var source in BranchSources(i))
            {
                var index = IndexOf(source);
                if (index < first || index > last) return false;
            }
        }
        return true;
    }

    public static IEnumerable<Instruction> Targets(Instruction instruction) => instruction.Operand switch
    {
        Instruction target when instruction.OpCode.FlowControl is FlowControl.Branch or FlowControl.Cond_Branch => new[] { target },
        Instruction[] targets => targets,
        _ => Enumerable.Empty<Instruction>(),
    };

    static bool FallsThrough(Instruction instruction) => instruction.OpCode.FlowControl switch
    {
        FlowControl.Branch or FlowControl.Return or FlowControl.Throw => false,
        _ => instruction.OpCode.Code is not (Code.Endfinally or Code.Endfilter or Code.Jmp),
    };

    public static int Pops(Instruction instruction, MethodDefinition method)
    {
        var opcode = instruction.OpCode;
        switch (opcode.StackBehaviourPop)
        {
            case StackBehaviour.Pop0: return 0;
            case StackBehaviour.Pop1:
            case StackBehaviour.Popi:
            case StackBehaviour.Popref: return 1;
            case StackBehaviour.Pop1_pop1:
            case StackBehaviour.Popi_pop1:
            case StackBehaviour.Popi_popi:
            case StackBehaviour.Popi_popi8:
            case StackBehaviour.Popi_popr4:
            case StackBehaviour.Popi_popr8:
            case StackBehaviour.Popref_pop1:
            case StackBehaviour.Popref_popi: return 2;
            case StackBehaviour.Popi_popi_popi:
            case StackBehaviour.Popref_popi_popi:
            case StackBehaviour.Popref_popi_popi8:
            case StackBehaviour.Popref_popi_popr4:
            case StackBehaviour.Popref_popi_popr8:
            case StackBehaviour.Popref_popi_popref: return 3;
            case StackBehaviour.PopAll: return 0; // leave: handled by the caller
            case StackBehaviour.Varpop:
                switch (opcode.Code)
                {
                    case Code.Ret: return IsVoid(method.ReturnType) ? 0 : 1;
                    case Code.Newobj: return ((MethodReference)instruction.Operand).Parameters.Count;
                    case Code.Calli:
                    {
                        var site = (CallSite)instruction.Operand;
                        return site.Parameters.Count + (site.HasThis && !site.ExplicitThis ? 1 : 0) + 1;
                    }
                    default:
                    {
                        var callee = (MethodReference)instruction.Operand;
                        return callee.Parameters.Count + (callee.HasThis && !callee.ExplicitThis ? 1 : 0);
                    }
                }
            default: throw new InvalidOperationException($"Unknown stack behaviour {opcode.StackBehaviourPop} of {opcode}.");
        }
    }

    /// <summary>Whether a return type is void, looking through modifiers (init accessors return <c>void modreq(IsExternalInit)</c>).</summary>
    public static bool IsVoid(TypeReference type)
    {
        while (type is IModifierType modified) type = modified.ElementType;
        return type.MetadataType == MetadataType.Void;
    }

    public static int Pushes(Instruction instruction)
    {
        var opcode = instruction.OpCode;
        switch (opcode.StackBehaviourPush)
        {
            case StackBehaviour.Push0: return 0;
            case StackBehaviour.Push1:
            case StackBehaviour.Pushi:
            case StackBehaviour.Pushi8:
            case StackBehaviour.Pushr4:
            case StackBehaviour.Pushr8:
            case StackBehaviour.Pushref: return 1;
            case StackBehaviour.Push1_push1: return 2;
            case StackBehaviour.Varpush:
                if (opcode.Code == Code.Newobj) return 1;
                var returnType = instruction.Operand is CallSite site ? site.ReturnType : ((MethodReference)instruction.Operand).ReturnType;
                return IsVoid(returnType) ? 0 : 1;
            default: throw new InvalidOperationException($"Unknown stack behaviour {opcode.StackBehaviourPush} of {opcode}.");
        }
    }
}
