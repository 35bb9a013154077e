using System.Linq;
using System.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Tracing.Fody.Robustness.Tests;

/// <summary>
/// Everything of a module that weaving can change, as text: types, fields, methods, custom
/// attributes, IL (branch targets as instruction indexes), exception handlers, sequence points,
/// local scopes with their variables' names, and async/iterator debug information.
/// </summary>
public static class ModuleDump
{
    public static string Text(ModuleDefinition module)
    {
        var text = new StringBuilder();
        foreach (var type in module.GetTypes())
        {
            text.AppendLine($"type {type.FullName} : {type.BaseType?.FullName} {type.Attributes}");
            Attributes(text, type);
            foreach (var field in type.Fields) text.AppendLine($"  field {field.FullName} {field.Attributes}");
            foreach (var method in type.Methods)
            {
                text.AppendLine($"  method {method.FullName} {method.Attributes} {method.ImplAttributes}");
                Attributes(text, method);
                if (!method.HasBody) continue;
                var body = method.Body;
                var index = body.Instructions.Select((instruction, i) => (instruction, i)).ToDictionary(p => p.instruction, p => p.i);
                string Target(Instruction? instruction) => instruction is null ? "end" : "#" + index[instruction];
                text.AppendLine($"    initlocals {body.InitLocals} maxstack {body.MaxStackSize} locals {string.Join(", ", body.Variables.Select(v => v.VariableType.FullName))}");
                foreach (var instruction in body.Instructions)
                {
                    var operand = instruction.Operand switch
                    {
                        Instruction target => Target(target),
                        Instruction[] targets => string.Join(",", targets.Select(Target)),
                        VariableDefinition variable => "V" + variable.Index,
                        ParameterDefinition parameter => "P" + parameter.Index,
                        MemberReference member => member.FullName,
                        null => "",
                        var other => other.ToString(),
                    };
                    text.AppendLine($"    #{index[instruction]} {instruction.OpCode} {operand}");
                }
                foreach (var handler in body.ExceptionHandlers)
                    text.AppendLine($"    {handler.HandlerType} {Target(handler.TryStart)}-{Target(handler.TryEnd)} {Target(handler.FilterStart)} {Target(handler.HandlerStart)}-{Target(handler.HandlerEnd)} {handler.CatchType?.FullName}");
                var debug = method.DebugInformation;
                foreach (var point in debug.SequencePoints)
                    text.AppendLine($"    sp @{point.Offset} {(point.IsHidden ? "hidden" : $"{point.StartLine}:{point.StartColumn}-{point.EndLine}:{point.EndColumn}")}");
                Scope(text, debug.Scope, "    ");
                foreach (var custom in method.CustomDebugInformations)
                {
                    switch (custom)
                    {
                        case AsyncMethodBodyDebugInformation async:
                            text.AppendLine($"    async catch @{async.CatchHandler.Offset} yields {string.Join(",", async.Yields.Select(y => y.Offset))} resumes {string.Join(",", async.Resumes.Select(r => r.Offset))}");
                            break;
                        case StateMachineScopeDebugInformation scopes:
                            text.AppendLine($"    hoisted scopes {string.Join(",", scopes.Scopes.Select(s => $"{s.Start.Offset}-{(s.End.IsEndOfMethod ? "end" : s.End.Offset.ToString())}"))}");
                            break;
                        default:
                            text.AppendLine($"    {custom.Kind}");
                            break;
                    }
                }
            }
        }
        return text.ToString();
    }

    static void Scope(StringBuilder text, ScopeDebugInformation? scope, string indent)
    {
        if (scope is null) return;
        text.AppendLine($"{indent}scope @{scope.Start.Offset}-{(scope.End.IsEndOfMethod ? "end" : scope.End.Offset.ToString())} {string.Join(", ", scope.Variables.Select(v => $"{v.Name}=V{v.Index}"))} {string.Join(", ", scope.Constants.Select(c => c.Name))}");
        foreach (var inner in scope.Scopes) Scope(text, inner, indent + "  ");
    }

    static void Attributes(StringBuilder text, ICustomAttributeProvider provider)
    {
        foreach (var attribute in provider.CustomAttributes)
            text.AppendLine($"    [{attribute.AttributeType.FullName}({string.Join(", ", attribute.ConstructorArguments.Select(a => a.Value))})]");
    }
}
