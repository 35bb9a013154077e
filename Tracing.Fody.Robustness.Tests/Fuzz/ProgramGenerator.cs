using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Tracing.Fody.Robustness.Tests.Fuzz;

/// <summary>
/// Generates a random C# program from a seed: one static class with a <c>Run()</c> method (sync
/// or async) that mixes control flow (loops, branches, try/catch/finally with filters, switch,
/// goto, using, lock, early returns, awaits, lambdas) with trace calls whose arguments have
/// observable side effects. The same seed always gives the same program.
/// </summary>
/// <remarks>
/// Every trace call is written between markers, <c>/*T&lt;*/E.T1(…)/*&gt;*/</c>, so that
/// <see cref="FuzzSource"/> can turn the program into its reference forms without parsing it.
/// Arguments use <c>A.*</c> (logged as <c>arg:</c>), everything else <c>F.*</c> (logged as
/// <c>fx:</c>). No <c>await</c> is ever put inside an argument (a build error by design), loops
/// are bounded, and labels are only jumped to forward, so every program terminates.
/// </remarks>
public sealed class ProgramGenerator
{
    readonly Random _random;
    readonly StringBuilder _code = new();
    readonly bool _async;
    int _indent;
    int _names;
    int _budget;

    // What the statement being generated may do.
    sealed record Scope(bool InLoop, bool InFinally, bool InLock, bool InLambda, bool InSwitch, IReadOnlyList<string> Ints, IReadOnlyList<string> Labels, IReadOnlyList<int> Cases)
    {
        public Scope With(string variable) => this with { Ints = Ints.Append(variable).ToList() };
    }

    ProgramGenerator(int seed, bool isAsync)
    {
        _random = new Random(seed);
        _async = isAsync;
        _budget = 14 + _random.Next(24);
    }

    /// <summary>The program of <paramref name="seed"/>, as class <paramref name="className"/>.</summary>
    public static FuzzProgram Generate(int seed, string className)
    {
        var isAsync = (seed & 3) == 1;
        var generator = new ProgramGenerator(seed, isAsync);
        return new FuzzProgram(seed, className, isAsync, generator.Class(className));
    }

    string Class(string name)
    {
        Line($"public static class {name}");
        Line("{");
        _indent++;
        Line(_async ? "public static async System.Threading.Tasks.Task<int> Run()" : "public static int Run()");
        Line("{");
        _indent++;
        Line("int v0 = F.I(0), v1 = F.I(1), v2 = 2, v3 = 3;");
        Line("string s0 = \"s\";");
        Line("int? n0 = null;");
        Line("F.C0 = 0; F.C1 = 0;");
        var scope = new Scope(false, false, false, false, false, new[] { "v0", "v1", "v2", "v3" }, Array.Empty<string>(), Array.Empty<int>());
        while (_budget > 0) Statement(scope, 0);
        Line("return v0 + v1 * 3 + v2 * 7 + v3 * 11 + s0.Length + (n0 ?? 0) + F.C0 * 13 + F.C1 * 17;");
        _indent--;
        Line("}");
        _indent--;
        Line("}");
        return _code.ToString();
    }

    void Statement(Scope scope, int depth)
    {
        _budget--;
        var nested = depth < 4 && _budget > 2;
        switch (_random.Next(nested ? 24 : 10))
        {
            case 0: case 1: case 2: case 3: case 4:
                TraceCall(scope);
                break;
            case 5:
                Line($"{Pick(Assignable(scope))} {Pick("=", "+=", "-=")} {IntExpression(scope, 2, argument: false)};");
                break;
            case 6:
                Line($"F.Note(\"n{Next()}\" + {Pick(scope.Ints)});");
                break;
            case 7:
                Line($"s0 = {Pick("s0 + \"x\"", "\"t\"", "s0.Substring(0, 1)", "$\"{s0}{v1}\"")};");
                break;
            case 8:
                ControlTransfer(scope);
                break;
            case 9:
                if (_async && !scope.InLock && !scope.InLambda) Await(scope);
                else TraceCall(scope);
                break;
            case 10: case 11:
                If(scope, depth);
                break;
            case 12:
                For(scope, depth);
                break;
            case 13:
                While(scope, depth);
                break;
            case 14:
                Foreach(scope, depth);
                break;
            case 15: case 16:
                Try(scope, depth);
                break;
            case 17:
                Switch(scope, depth);
                break;
            case 18:
                Lambda(scope, depth);
                break;
            case 19:
                Using(scope, depth);
                break;
            case 20:
                GotoBlock(scope, depth);
                break;
            case 21:
                if (!_async || !scope.InLambda) Lock(scope, depth);
                else TraceCall(scope);
                break;
            case 22:
                Line($"n0 = {Pick("null", "v1", "F.I(4)", "n0 ?? v2")};");
                break;
            default:
                Block(scope, depth);
                break;
        }
    }

    // ---- trace calls ------------------------------------------------------------------------

    void TraceCall(Scope scope, bool embedded = false)
    {
        var call = TraceCallExpression(scope);
        switch (embedded ? _random.Next(2) * 2 : _random.Next(9))
        {
            case 7: // mapped by #line, as generated code is
                Line($"#line {100 + _random.Next(50)} \"Generated.cs\"");
                Line($"{call};");
                Line("#line default");
                break;
            case 8: // a statement and the call mapped onto one line
                var mapped = $"#line {200 + _random.Next(50)} \"Generated.cs\"";
                Line(mapped);
                Line($"F.Note(\"m{Next()}\");");
                Line(mapped);
                Line($"{call};");
                Line("#line default");
                break;
            case 0: // an embedded statement
                Line($"if ({Condition(scope)}) {call};");
                break;
            case 2 when !embedded: // a local read once, in the call: an optimized build keeps it on the stack
                var local = "t" + Next();
                Line($"var {local} = {IntExpression(scope, 1, argument: false)};");
                Line($"/*T<*/E.{Pick("T1", "TX", "TO")}({local})/*>*/;");
                break;
            case 1: // several calls in a row
                Line($"{call}; {TraceCallExpression(scope)};");
                break;
            default:
                Line($"{call};");
                break;
        }
    }

    string TraceCallExpression(Scope scope)
    {
        string call = _random.Next(9) switch
        {
            0 => "E.T0()",
            1 or 2 => $"E.T1({IntExpression(scope, 3, argument: true)})",
            3 => $"E.T2({StringExpression(scope, argument: true)}, {IntExpression(scope, 2, argument: true)})",
            4 => $"E.T3({IntExpression(scope, 2, argument: true)} * 10L, {Pick("null", StringExpression(scope, argument: true))}, {BoolExpression(scope, argument: true)})",
            5 => $"E.TO({ObjectExpression(scope)})",
            6 => $"E.TN({NullableExpression(scope)})",
            7 => $"E.TX({IntExpression(scope, 2, argument: true)})",
            _ => $"E.T2(a: {IntExpression(scope, 1, argument: true)}, s: {StringExpression(scope, argument: true)})", // named, out of order
        };
        return $"/*T<*/{call}/*>*/";
    }

    // ---- expressions ------------------------------------------------------------------------

    string IntExpression(Scope scope, int depth, bool argument)
    {
        var effect = argument ? "A" : "F";
        if (depth <= 0) return _random.Next(3) == 0 ? Pick(scope.Ints) : $"{effect}.I({_random.Next(10)})";
        switch (_random.Next(argument ? 16 : 9))
        {
            case 0: return _random.Next(7).ToString();
            case 1: return Pick(scope.Ints);
            case 2: return $"{effect}.I({_random.Next(10)})";
            case 3: return $"({IntExpression(scope, depth - 1, argument)} + {IntExpression(scope, depth - 1, argument)})";
            case 4: return $"({Condition(scope, argument)} ? {IntExpression(scope, depth - 1, argument)} : {IntExpression(scope, depth - 1, argument)})";
            case 5: return $"F.H({IntExpression(scope, depth - 1, argument)})";
            // (A constant governing a switch expression makes the compiler drop the statement's
            // sequence point: a documented fallback, see CorpusTests; not generated here.)
            case 6: return $"(({IntExpression(scope, depth - 1, argument)} + {Pick(scope.Ints)}) switch {{ 0 => {IntExpression(scope, depth - 1, argument)}, 1 or 2 => {IntExpression(scope, depth - 1, argument)}, _ => {IntExpression(scope, depth - 1, argument)} }})";
            case 7: return $"(n0 ?? {IntExpression(scope, depth - 1, argument)})";
            case 8: return $"({IntExpression(scope, depth - 1, argument)} * {_random.Next(1, 4)})";
            // Only in arguments: side effects on fields (skipped when nothing is attached), throwing
            // arguments. (A local assigned in an argument and read after the call is a build error:
            // SkippedAssignmentTests.)
            case 9: return $"F.{Pick("C0", "C1")}++";
            case 10: return $"(F.{Pick("C0", "C1")} += {IntExpression(scope, depth - 1, argument)})";
            case 11: return _random.Next(4) == 0 ? $"A.Throw({_random.Next(10)})" : $"A.I({_random.Next(10)})";
            case 12: return $"checked({IntExpression(scope, depth - 1, argument)} * A.I({Pick("1", "1000", "2147483647")}))";
            case 13: return $"(s0?.Length ?? {IntExpression(scope, depth - 1, argument)})";
            case 14: return $"((object?)({ObjectExpression(scope)}) is int i{Next()} ? i{_names - 1} : 0)";
            default: return $"(A.N(n0) ?? {IntExpression(scope, depth - 1, argument)})";
        }
    }

    string StringExpression(Scope scope, bool argument) => _random.Next(6) switch
    {
        0 => "s0",
        1 => $"A.S(\"{(char)('a' + _random.Next(26))}\")",
        2 => $"$\"{{{IntExpression(scope, 1, argument)}}}-{{s0}}\"",
        3 => $"(s0 + {IntExpression(scope, 1, argument)})",
        4 => $"({Condition(scope, argument)} ? A.S(\"y\") : s0)",
        _ => "\"lit\"",
    };

    string BoolExpression(Scope scope, bool argument) => _random.Next(3) switch
    {
        0 => "true",
        1 => $"A.B({Pick(scope.Ints)} > {_random.Next(5)})",
        _ => Condition(scope, argument),
    };

    string ObjectExpression(Scope scope) => _random.Next(5) switch
    {
        0 => "null",
        1 => IntExpression(scope, 1, argument: true),
        2 => StringExpression(scope, argument: true),
        3 => $"(object?)n0 ?? A.S(\"none\")",
        _ => $"({Pick(scope.Ints)} > 2 ? (object)({IntExpression(scope, 1, argument: true)}) : A.S(\"small\"))",
    };

    string NullableExpression(Scope scope) => _random.Next(4) switch
    {
        0 => "n0",
        1 => "null",
        2 => $"A.N({Pick("null", _random.Next(5).ToString())})",
        _ => $"({Pick(scope.Ints)} > 1 ? (int?){IntExpression(scope, 1, argument: true)} : null)",
    };

    string Condition(Scope scope, bool argument = false) => _random.Next(5) switch
    {
        0 => $"{Pick(scope.Ints)} > {_random.Next(6)}",
        1 => $"{Pick(scope.Ints)} % 2 == 0",
        2 => $"{(argument ? "A" : "F")}.B({Pick(scope.Ints)} < {_random.Next(6)})",
        3 => $"({Pick(scope.Ints)} & {1 + _random.Next(3)}) != 0",
        _ => $"{Pick(scope.Ints)} != {Pick(scope.Ints)}",
    };

    // ---- statements -------------------------------------------------------------------------

    void ControlTransfer(Scope scope)
    {
        var options = new List<Action>
        {
            () => Line($"if ({Condition(scope)}) F.Throw({_random.Next(10)});"),
        };
        if (!scope.InFinally && !scope.InLambda) options.Add(() => Line($"if ({Condition(scope)}) return {IntExpression(scope, 1, argument: false)};"));
        if (scope.InLoop && !scope.InFinally) options.Add(() => Line($"if ({Condition(scope)}) {Pick("break", "continue")};"));
        if (scope.Labels.Count > 0 && !scope.InFinally) options.Add(() => Line($"if ({Condition(scope)}) goto {Pick(scope.Labels)};"));
        options[_random.Next(options.Count)]();
    }

    void Await(Scope scope)
    {
        switch (_random.Next(4))
        {
            case 0: Line("await System.Threading.Tasks.Task.Yield();"); break;
            case 1: Line($"{Pick(Assignable(scope))} += await F.AsyncH({Pick(scope.Ints)});"); break;
            case 2: Line($"{Pick(Assignable(scope))} = await F.Done({IntExpression(scope, 1, argument: false)});"); break;
            default:
                // an awaited value traced on the next statement: the documented way
                var name = "w" + Next();
                Line($"var {name} = await F.AsyncH({Pick(scope.Ints)});");
                Line($"/*T<*/E.T1({name})/*>*/;");
                break;
        }
    }

    void If(Scope scope, int depth)
    {
        Line($"if ({Condition(scope)})");
        Body(scope, depth);
        if (_random.Next(2) == 0)
        {
            Line("else");
            Body(scope, depth);
        }
    }

    void For(Scope scope, int depth)
    {
        var i = "i" + Next();
        var increment = _random.Next(5) == 0 ? $"{i}++, /*I<*/E.T1(A.I({i}))/*>*/" : $"{i}++";
        Line($"for (var {i} = 0; {i} < {_random.Next(4)}; {increment})");
        Body(scope.With(i) with { InLoop = true }, depth);
    }

    void While(Scope scope, int depth)
    {
        var w = "w" + Next();
        Line("{");
        _indent++;
        Line($"var {w} = 0;");
        if (_random.Next(2) == 0)
        {
            Line($"while ({w}++ < {_random.Next(4)})");
            Body(scope.With(w) with { InLoop = true }, depth);
        }
        else
        {
            Line("do");
            Body(scope.With(w) with { InLoop = true }, depth);
            Line($"while ({w}++ < {_random.Next(3)});");
        }
        _indent--;
        Line("}");
    }

    void Foreach(Scope scope, int depth)
    {
        var e = "e" + Next();
        var source = Pick("new[] { 1, 2, 3 }", "new int[0]", "new System.Collections.Generic.List<int> { 4, 5 }", "System.Linq.Enumerable.Range(0, 2)");
        Line($"foreach (var {e} in {source})");
        Body(scope.With(e) with { InLoop = true }, depth);
    }

    void Try(Scope scope, int depth)
    {
        Line("try");
        Block(scope, depth);
        var handlers = _random.Next(4);
        if (handlers is 0 or 1)
        {
            var x = "x" + Next();
            Line(_random.Next(2) == 0 ? $"catch (FuzzException {x}) when ({x}.Code % 2 == {_random.Next(2)})" : $"catch (FuzzException {x})");
            if (_random.Next(3) == 0)
            {
                // the exception, read once by a trace call first in the handler
                Line("{");
                _indent++;
                Line($"/*T<*/E.{Pick("T1", "TX")}({x}.Code)/*>*/;");
                Statement(scope, depth + 1);
                _indent--;
                Line("}");
            }
            else
            {
                Block(scope, depth);
            }
        }
        if (handlers is 1 or 2)
        {
            Line("catch (Exception)");
            Block(scope, depth);
        }
        if (handlers is not (0 or 1) || _random.Next(2) == 0)
        {
            Line("finally");
            Block(scope with { InFinally = true, InLoop = false, Labels = Array.Empty<string>() }, depth);
        }
    }

    void Switch(Scope scope, int depth)
    {
        var cases = new[] { 0, 1, 2 }.Take(1 + _random.Next(3)).ToList();
        Line($"switch ({Pick(scope.Ints)} % 3)");
        Line("{");
        _indent++;
        var inner = scope with { InSwitch = true, Cases = cases };
        foreach (var c in cases)
        {
            Line($"case {c}:");
            _indent++;
            Block(inner, depth + 1);
            var targets = cases.Where(t => t > c).ToList(); // goto case forward only: it terminates
            if (targets.Count > 0 && _random.Next(3) == 0 && !scope.InFinally) Line($"goto case {Pick(targets)};");
            else Line("break;");
            _indent--;
        }
        Line("default:");
        _indent++;
        Block(inner, depth + 1);
        Line("break;");
        _indent--;
        _indent--;
        Line("}");
    }

    void Lambda(Scope scope, int depth)
    {
        var f = "f" + Next();
        var p = "p" + Next();
        if (_random.Next(3) == 0)
        {
            Line($"System.Action<int> {f} = {p} => /*X<*/E.T1(A.I({p}))/*>*/;"); // an expression-bodied lambda
            Line($"{f}({Pick(scope.Ints)});");
            return;
        }
        Line($"System.Func<int, int> {f} = {p} =>");
        Line("{");
        _indent++;
        var inner = scope.With(p) with { InLambda = true, InLoop = false, InFinally = false, InSwitch = false, Labels = Array.Empty<string>() };
        var count = 1 + _random.Next(3);
        for (var k = 0; k < count; k++) Statement(inner, depth + 2);
        Line($"return {p} + 1;");
        _indent--;
        Line("};");
        Line($"{Pick(Assignable(scope))} = {f}({Pick(scope.Ints)});");
    }

    void Using(Scope scope, int depth)
    {
        Line($"using (new D({_random.Next(10)}))");
        Body(scope, depth);
    }

    void Lock(Scope scope, int depth)
    {
        Line("lock (F.Gate)");
        Body(scope with { InLock = true }, depth);
    }

    void GotoBlock(Scope scope, int depth)
    {
        var label = "L" + Next();
        Line("{");
        _indent++;
        var count = 1 + _random.Next(3);
        var inner = scope with { Labels = scope.Labels.Append(label).ToList() };
        for (var k = 0; k < count; k++) Statement(inner, depth + 1);
        Line($"if ({Condition(scope)}) goto {label};");
        for (var k = 0; k < count; k++) Statement(inner, depth + 1);
        _indent--;
        Line($"{label}:");
        _indent++;
        if (_random.Next(2) == 0) Line($"/*T<*/E.T1(A.I({_random.Next(10)}))/*>*/;"); // a trace call that is a goto's target
        else Line($"F.Note(\"{label}\");");
        _indent--;
        Line("}");
    }

    void Body(Scope scope, int depth)
    {
        if (_random.Next(4) == 0)
        {
            // An embedded statement: never a declaration.
            _indent++;
            _budget--;
            if (_random.Next(3) == 0) ControlTransfer(scope);
            else TraceCall(scope, embedded: true);
            _indent--;
        }
        else
        {
            Block(scope, depth);
        }
    }

    void Block(Scope scope, int depth)
    {
        Line("{");
        _indent++;
        var count = 1 + _random.Next(3);
        for (var k = 0; k < count; k++) Statement(scope, depth + 1);
        _indent--;
        Line("}");
    }

    // ---- helpers ----------------------------------------------------------------------------

    IReadOnlyList<string> Assignable(Scope scope) => scope.Ints.Where(v => v.StartsWith("v")).ToList();

    string Pick(params string[] options) => options[_random.Next(options.Length)];

    string Pick(IReadOnlyList<string> options) => options[_random.Next(options.Count)];

    int Pick(IReadOnlyList<int> options) => options[_random.Next(options.Count)];

    int Next() => _names++;

    void Line(string text) => _code.Append(' ', 4 * _indent).Append(text).Append('\n');
}

/// <summary>One generated program.</summary>
public sealed record FuzzProgram(int Seed, string ClassName, bool IsAsync, string Source);
