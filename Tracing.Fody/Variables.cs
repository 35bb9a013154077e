using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Tracing.Fody;

/// <summary>
/// Which local variable or parameter an instruction reads, stores or takes the address of,
/// through every short form (<c>ldloc.0</c>, <c>stloc.s</c>, <c>ldarg.1</c>…). A variable is its
/// <see cref="VariableDefinition"/> or <see cref="ParameterDefinition"/> (<c>this</c> included).
/// </summary>
public static class Variables
{
    public static object? Loaded(Instruction instruction, MethodBody body) => instruction.OpCode.Code switch
    {
        Code.Ldloc_0 => body.Variables[0],
        Code.Ldloc_1 => body.Variables[1],
        Code.Ldloc_2 => body.Variables[2],
        Code.Ldloc_3 => body.Variables[3],
        Code.Ldloc or Code.Ldloc_S => instruction.Operand,
        Code.Ldarg_0 => Argument(body, 0),
        Code.Ldarg_1 => Argument(body, 1),
        Code.Ldarg_2 => Argument(body, 2),
        Code.Ldarg_3 => Argument(body, 3),
        Code.Ldarg or Code.Ldarg_S => instruction.Operand,
        _ => null,
    };

    public static object? Stored(Instruction instruction, MethodBody body) => instruction.OpCode.Code switch
    {
        Code.Stloc_0 => body.Variables[0],
        Code.Stloc_1 => body.Variables[1],
        Code.Stloc_2 => body.Variables[2],
        Code.Stloc_3 => body.Variables[3],
        Code.Stloc or Code.Stloc_S or Code.Starg or Code.Starg_S => instruction.Operand,
        _ => null,
    };

    public static object? Addressed(Instruction instruction) =>
        instruction.OpCode.Code is Code.Ldloca or Code.Ldloca_S or Code.Ldarga or Code.Ldarga_S ? instruction.Operand : null;

    /// <summary>The argument at IL index <paramref name="index"/>: <c>this</c> first in an instance method.</summary>
    static ParameterDefinition Argument(MethodBody body, int index)
    {
        var method = body.Method;
        if (method.HasThis) return index == 0 ? body.ThisParameter : method.Parameters[index - 1];
        return method.Parameters[index];
    }
}
