using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Tracing.Fody;

/// <summary>One <see cref="MethodEditor"/> per method, made before its first change; <see cref="Done"/> finishes them all.</summary>
public sealed class MethodEditors
{
    readonly Dictionary<MethodDefinition, MethodEditor> _editors = new();

    public MethodEditor this[MethodDefinition method]
    {
        get
        {
            if (!_editors.TryGetValue(method, out var editor)) _editors[method] = editor = new MethodEditor(method);
            return editor;
        }
    }

    public void Done()
    {
        foreach (var editor in _editors.Values) editor.Done();
    }
}

/// <summary>
/// Inserts and removes instructions in a method body and keeps everything that points at
/// instructions right: branch targets, exception blocks, sequence points and local scopes.
/// </summary>
public sealed class MethodEditor
{
    readonly MethodDefinition _method;
    readonly MethodBody _body;
    readonly Dictionary<Instruction, SequencePoint> _points;
    readonly List<BoundOffset> _offsets = new();

    public MethodEditor(MethodDefinition method)
    {
        _method = method;
        _body = method.Body;
        _body.SimplifyMacros(); // long branches: inserted code may push targets out of short range
        // Bind sequence points to instructions (not offsets) before anything moves.
        _points = method.DebugInformation.GetSequencePointMapping().ToDictionary(p => p.Key, p => p.Value);
        BindDebugOffsets();
    }

    /// <summary>
    /// Inserts <paramref name="inserted"/> before <paramref name="target"/> so that everything
    /// that led to <paramref name="target"/> (branches, the start of a try or scope, its sequence
    /// point) now leads to the first inserted instruction.
    /// </summary>
    public void InsertBefore(Instruction target, params Instruction[] inserted)
    {
        var il = _body.GetILProcessor();
        foreach (var instruction in inserted) il.InsertBefore(target, instruction);
        Retarget(target, inserted[0]);
        if (_points.TryGetValue(target, out var point))
        {
            _points.Remove(target);
            _points[inserted[0]] = point;
        }
    }

    /// <summary>Removes instructions; whatever pointed at them points at the instruction after them.</summary>
    public void Remove(IReadOnlyList<Instruction> removed, Instruction successor)
    {
        var il = _body.GetILProcessor();
        foreach (var instruction in removed)
        {
            Retarget(instruction, successor);
            if (_points.TryGetValue(instruction, out var point))
            {
                _points.Remove(instruction);
                if (!_points.ContainsKey(successor)) _points[successor] = point;
            }
        }
        foreach (var instruction in removed) il.Remove(instruction);
    }

    /// <summary>Writes the sequence points back and shortens branches again.</summary>
    public void Done()
    {
        var info = _method.DebugInformation;
        if (info.HasSequencePoints)
        {
            var order = _body.Instructions.Select((instruction, index) => (instruction, index)).ToDictionary(p => p.instruction, p => p.index);
            info.SequencePoints.Clear();
            foreach (var pair in _points.Where(p => order.ContainsKey(p.Key)).OrderBy(p => order[p.Key]))
            {
                var old = pair.Value;
                info.SequencePoints.Add(new SequencePoint(pair.Key, old.Document)
                {
                    StartLine = old.StartLine,
                    StartColumn = old.StartColumn,
                    EndLine = old.EndLine,
                    EndColumn = old.EndColumn,
                });
            }
        }
        _body.OptimizeMacros();
    }

    void Retarget(Instruction from, Instruction to)
    {
        foreach (var instruction in _body.Instructions)
        {
            if (instruction.Operand == from && instruction != to) instruction.Operand = to;
            else if (instruction.Operand is Instruction[] targets)
            {
                for (var i = 0; i < targets.Length; i++)
                    if (targets[i] == from) targets[i] = to;
            }
        }
        foreach (var handler in _body.ExceptionHandlers)
        {
            if (handler.TryStart == from) handler.TryStart = to;
            if (handler.TryEnd == from) handler.TryEnd = to;
            if (handler.HandlerStart == from) handler.HandlerStart = to;
            if (handler.HandlerEnd == from) handler.HandlerEnd = to;
            if (handler.FilterStart == from) handler.FilterStart = to;
        }
        foreach (var offset in _offsets)
        {
            if (offset.Instruction == from)
            {
                offset.Instruction = to;
                offset.Set(new InstructionOffset(to));
            }
        }
    }

    // Local scopes, async yield/resume points and state machine scopes name instructions by IL
    // offset, which goes stale as soon as an instruction is inserted. Bind each of them to its
    // instruction now, while offsets are still those the compiler wrote; Cecil then writes the
    // instruction's final offset.
    void BindDebugOffsets()
    {
        var byOffset = new Dictionary<int, Instruction>();
        foreach (var instruction in _body.Instructions) byOffset[instruction.Offset] = instruction;

        void Bind(InstructionOffset offset, System.Action<InstructionOffset> set)
        {
            if (offset.IsEndOfMethod || !byOffset.TryGetValue(offset.Offset, out var instruction)) return;
            set(new InstructionOffset(instruction));
            _offsets.Add(new BoundOffset(instruction, set));
        }

        void BindScope(ScopeDebugInformation scope)
        {
            Bind(scope.Start, o => scope.Start = o);
            Bind(scope.End, o => scope.End = o);
            if (scope.HasScopes)
                foreach (var inner in scope.Scopes) BindScope(inner);
        }

        var info = _method.DebugInformation;
        if (info.Scope is { } root) BindScope(root);
        if (!_method.HasCustomDebugInformations) return;
        foreach (var custom in _method.CustomDebugInformations)
        {
            switch (custom)
            {
                case AsyncMethodBodyDebugInformation async:
                    Bind(async.CatchHandler, o => async.CatchHandler = o);
                    for (var i = 0; i < async.Yields.Count; i++)
                    {
                        var index = i;
                        Bind(async.Yields[i], o => async.Yields[index] = o);
                    }
                    for (var i = 0; i < async.Resumes.Count; i++)
                    {
                        var index = i;
                        Bind(async.Resumes[i], o => async.Resumes[index] = o);
                    }
                    break;
                case StateMachineScopeDebugInformation stateMachine:
                    foreach (var scope in stateMachine.Scopes)
                    {
                        var current = scope;
                        Bind(current.Start, o => current.Start = o);
                        Bind(current.End, o => current.End = o);
                    }
                    break;
            }
        }
    }

    sealed class BoundOffset
    {
        public BoundOffset(Instruction instruction, System.Action<InstructionOffset> set)
        {
            Instruction = instruction;
            Set = set;
        }

        public Instruction Instruction { get; set; }
        public System.Action<InstructionOffset> Set { get; }
    }
}
