using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Tracing.Fody;

/// <summary>
/// The variables that a skipped argument region assigns and the code after the call reads:
/// <c>TraceParsed(int.TryParse(s, out var port)); return port;</c>. While no probe is attached
/// the assignment does not happen, so the read would see the variable's old value, or none at all
/// (zero, or whatever the stack held under <c>SkipLocalsInit</c>), where C# promised it assigned.
/// <see cref="CallSiteFinder"/> makes each such call a build error.
/// </summary>
/// <remarks>
/// <para>
/// A variable is a local, a parameter, or what the compiler made of a local: a field of a
/// closure's display class or of an async or iterator state machine (any field of a
/// compiler-generated type whose name does not start with <c>&lt;&gt;</c>). The region writes it
/// with a store, or by passing its address to something that may write through it: an
/// <c>out</c> or <c>ref</c> argument, a field store, a mutating method of a struct (not a getter,
/// not a <c>readonly</c> member or type, not a method of a primitive, enum or nullable).
/// </para>
/// <para>
/// The code after the call reads it when some path from the instruction after the call reaches a
/// load of it (or a use of its address other than as an <c>out</c> argument) before a store
/// into it. Paths follow branches, exception handlers (from every instruction of their try
/// block), the ends of finally blocks (to every <c>leave</c> target) and, in a state machine's
/// <c>MoveNext</c>, from its returns back to its start (the next resumption). A field that another
/// method reads (a lambda reading a captured variable) counts as read. The region itself is
/// skipped: its loads do not count and its stores do not hide later reads.
/// </para>
/// </remarks>
public sealed class SkippedWrites
{
    readonly MethodDefinition _method;
    readonly StackDepths _depths;
    readonly Dictionary<Instruction, List<Instruction>> _successors = new();
    readonly IReadOnlyDictionary<string, HashSet<MethodDefinition>> _fieldReaders;

    /// <param name="fieldReaders">For each field of <see cref="IsHoistedVariable"/>, the methods that read it (<see cref="FieldReaders"/>).</param>
    public SkippedWrites(MethodDefinition method, StackDepths depths, IReadOnlyDictionary<string, HashSet<MethodDefinition>> fieldReaders)
    {
        _method = method;
        _depths = depths;
        _fieldReaders = fieldReaders;
        BuildSuccessors();
    }

    /// <summary>The methods of the module that read each hoisted variable.</summary>
    public static Dictionary<string, HashSet<MethodDefinition>> FieldReaders(ModuleDefinition module)
    {
        var readers = new Dictionary<string, HashSet<MethodDefinition>>();
        foreach (var method in module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody))
        {
            foreach (var i in method.Body.Instructions)
            {
                if (i.OpCode.Code is not (Code.Ldfld or Code.Ldflda) || i.Operand is not FieldReference field || !IsHoistedVariable(field)) continue;
                if (!readers.TryGetValue(field.FullName, out var set)) readers[field.FullName] = set = new HashSet<MethodDefinition>();
                set.Add(method);
            }
        }
        return readers;
    }

    /// <summary>The user-facing names of the variables [<paramref name="start"/>, <paramref name="call"/>) writes and the code after it reads.</summary>
    public List<string> ReadAfter(Instruction start, Instruction call)
    {
        var written = new List<object>();
        for (var i = start; i is not null && i != call; i = i.Next)
        {
            var (variable, access) = Access(i);
            if (variable is not null && access is Use.Write or Use.ReadWrite && IsUsers(variable) && !written.Contains(variable)) written.Add(variable);
        }
        var region = new HashSet<Instruction>();
        for (var i = start; i is not null && i != call; i = i.Next) region.Add(i);
        return written.Where(v => IsReadAfter(v, call, region)).Select(Name).ToList();
    }

    enum Use { None, Read, Write, ReadWrite }

    /// <summary>
    /// Whether the variable is one the user declared: a named local (not the compiler's
    /// <c>CS$…</c> ones), a parameter, a hoisted local. Compiler temporaries are written and
    /// read within one statement.
    /// </summary>
    bool IsUsers(object variable) => variable switch
    {
        VariableDefinition local => _method.DebugInformation.TryGetName(local, out var name) && !name.StartsWith("CS$"),
        _ => true,
    };

    bool IsReadAfter(object variable, Instruction call, HashSet<Instruction> region)
    {
        if (variable is string field && _fieldReaders.TryGetValue(field, out var readers) && readers.Any(m => m != _method)) return true;
        var seen = new HashSet<Instruction>();
        var work = new Stack<Instruction>(Successors(call));
        while (work.Count > 0)
        {
            var i = work.Pop();
            if (!seen.Add(i)) continue;
            if (!region.Contains(i))
            {
                var (accessed, use) = Access(i);
                if (accessed is not null && Equals(accessed, variable))
                {
                    if (use is Use.Read or Use.ReadWrite) return true;
                    if (use == Use.Write) continue; // assigned again before any read on this path
                }
            }
            foreach (var next in Successors(i)) work.Push(next);
        }
        return false;
    }

    IEnumerable<Instruction> Successors(Instruction i) =>
        _successors.TryGetValue(i, out var list) ? list : Enumerable.Empty<Instruction>();

    /// <summary>Which variable an instruction reads or writes, and how.</summary>
    (object? Variable, Use Use) Access(Instruction i)
    {
        var body = _method.Body;
        if (Variables.Loaded(i, body) is { } loaded) return (loaded, Use.Read);
        if (Variables.Stored(i, body) is { } stored) return (stored, Use.Write);
        if (Variables.Addressed(i) is { } addressed) return (addressed, AddressUse(i));
        if (i.Operand is FieldReference field && IsHoistedVariable(field))
        {
            return i.OpCode.Code switch
            {
                Code.Ldfld => (field.FullName, Use.Read),
                Code.Stfld => (field.FullName, Use.Write),
                Code.Ldflda => (field.FullName, AddressUse(i)),
                _ => (null, Use.None),
            };
        }
        return (null, Use.None);
    }

    /// <summary>A field the compiler made of a user's local: of a display class or a state machine, not one of its own (<c>&lt;&gt;1__state</c>…).</summary>
    public static bool IsHoistedVariable(FieldReference field) =>
        field.DeclaringType.Name.StartsWith("<") && !field.Name.StartsWith("<>");

    /// <summary>What the instruction that consumes an address does with it.</summary>
    Use AddressUse(Instruction address)
    {
        var depth = _depths.DepthBefore(address) - StackDepths.Pops(address, _method); // the slot of the address (ldflda pops its object)
        for (var i = address.Next; i is not null; i = i.Next)
        {
            var before = _depths.DepthBefore(i);
            if (before < 0 || before <= depth) return Use.ReadWrite; // unreachable, or a join: do not guess
            if (before - StackDepths.Pops(i, _method) > depth) continue;
            var position = depth - (before - StackDepths.Pops(i, _method)); // 0: the first operand i pops
            return Consumer(i, position);
        }
        return Use.ReadWrite;
    }

    Use Consumer(Instruction i, int position)
    {
        switch (i.OpCode.Code)
        {
            case Code.Ldfld or Code.Ldobj: return Use.Read;
            case Code.Initobj: return Use.Write;
            case Code.Call or Code.Callvirt or Code.Newobj:
            {
                var callee = (MethodReference)i.Operand;
                var hasThis = callee.HasThis && !callee.ExplicitThis && i.OpCode.Code != Code.Newobj;
                if (hasThis && position == 0)
                {
                    if (callee.Name == ".ctor") return Use.Write; // `new S(…)` constructed in place
                    return MayMutate(callee) ? Use.ReadWrite : Use.Read;
                }
                var parameter = callee.Parameters[position - (hasThis ? 1 : 0)];
                if (parameter.IsOut && !parameter.IsIn) return Use.Write;
                return parameter.IsIn || IsReadOnlyReference(parameter.ParameterType) ? Use.Read : Use.ReadWrite;
            }
            default: return Use.ReadWrite;
        }
    }

    static bool IsReadOnlyReference(TypeReference type) =>
        type is RequiredModifierType { ModifierType.FullName: "System.Runtime.InteropServices.InAttribute" };

    /// <summary>Whether calling <paramref name="method"/> on a struct variable may change it.</summary>
    static bool MayMutate(MethodReference method)
    {
        var type = method.DeclaringType;
        if (type.IsPrimitive || type.FullName is "System.Decimal" || type.Namespace == "System" && type.Name == "Nullable`1") return false;
        if (method.Name.StartsWith("get_") || method.Name is "ToString" or "GetHashCode" or "Equals" or "CompareTo") return false;
        MethodDefinition? definition;
        try
        {
            definition = method.Resolve();
        }
        catch (AssemblyResolutionException)
        {
            return true;
        }
        if (definition is null) return true;
        if (definition.DeclaringType.IsEnum) return false;
        return !IsReadOnly(definition.CustomAttributes) && !IsReadOnly(definition.DeclaringType.CustomAttributes);
    }

    static bool IsReadOnly(IEnumerable<CustomAttribute> attributes) =>
        attributes.Any(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.IsReadOnlyAttribute");

    string Name(object variable) => variable switch
    {
        VariableDefinition local => _method.DebugInformation.TryGetName(local, out var name) ? name : "V_" + local.Index,
        ParameterDefinition parameter => parameter.Name,
        string field => HoistedName(field),
        _ => variable.ToString()!,
    };

    /// <summary><c>&lt;port&gt;5__2</c> (a state machine's) is <c>port</c>; a display class keeps the name.</summary>
    static string HoistedName(string fieldFullName)
    {
        var name = fieldFullName.Substring(fieldFullName.LastIndexOf("::") + 2);
        var close = name.IndexOf('>');
        return name.StartsWith("<") && close > 1 ? name.Substring(1, close - 1) : name;
    }

    void BuildSuccessors()
    {
        var body = _method.Body;
        var leaveTargets = body.Instructions.Where(i => i.OpCode.Code is Code.Leave or Code.Leave_S).Select(i => (Instruction)i.Operand).ToList();
        var isMoveNext = _method.Name == "MoveNext" && _method.DeclaringType.Name.StartsWith("<");
        var filterEnds = body.ExceptionHandlers.Where(h => h.FilterStart is not null).ToList();
        foreach (var i in body.Instructions)
        {
            var next = new List<Instruction>(StackDepths.Targets(i));
            var flow = i.OpCode.FlowControl;
            if (flow is not (FlowControl.Branch or FlowControl.Return or FlowControl.Throw) && i.OpCode.Code is not (Code.Endfinally or Code.Endfilter) && i.Next is not null)
                next.Add(i.Next);
            if (i.OpCode.Code == Code.Endfinally) next.AddRange(leaveTargets);
            if (i.OpCode.Code == Code.Endfilter)
                next.AddRange(filterEnds.Where(h => i.Offset >= h.FilterStart.Offset && i.Offset < h.HandlerStart.Offset).Select(h => h.HandlerStart));
            if (isMoveNext && flow == FlowControl.Return) next.Add(body.Instructions[0]);
            foreach (var handler in body.ExceptionHandlers)
            {
                if (i.Offset >= handler.TryStart.Offset && (handler.TryEnd is null || i.Offset < handler.TryEnd.Offset))
                {
                    next.Add(handler.FilterStart ?? handler.HandlerStart);
                    if (handler.FilterStart is not null) next.Add(handler.HandlerStart);
                }
            }
            _successors[i] = next;
        }
    }
}
