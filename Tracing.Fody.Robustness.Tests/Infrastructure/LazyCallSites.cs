using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Tracing.Fody.Robustness.Tests;

/// <summary>
/// The reference semantics of a lazy trace call, written in C#: rewrites every call of a
/// <c>[Trace.Event]</c> method, <c>Event(args);</c>, into
/// <c>{ if (Type.Event_probes != null) Event(args); }</c> ("if any probe is attached, evaluate the
/// arguments left to right and call the probes; otherwise evaluate nothing"). Expression bodies
/// that are trace calls (<c>=&gt; Event(args)</c> of methods, accessors, local functions and
/// lambdas) become block bodies first. The <c>Event_probes</c> fields are those of the
/// hand-written reference events.
/// </summary>
public sealed class LazyCallSites : CSharpSyntaxRewriter
{
    const string EventAttribute = "Tracing.Trace.EventAttribute";
    readonly SemanticModel _model;

    LazyCallSites(SemanticModel model) => _model = model;

    /// <summary>The tree with every trace call guarded, and how many calls were.</summary>
    public static (SyntaxTree Tree, int Calls) Rewrite(SyntaxTree tree, Compilation compilation)
    {
        var rewriter = new LazyCallSites(compilation.GetSemanticModel(tree));
        var root = rewriter.Visit(tree.GetRoot());
        return (tree.WithRootAndOptions(root, tree.Options), rewriter.Calls);
    }

    public int Calls { get; private set; }

    public override SyntaxNode? VisitExpressionStatement(ExpressionStatementSyntax node)
    {
        var guard = Guard(node.Expression);
        var visited = (ExpressionStatementSyntax)base.VisitExpressionStatement(node)!;
        if (guard is null) return visited;
        return Guarded(guard, visited.WithoutTrivia()).WithTriviaFrom(node);
    }

    public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
    {
        var guard = Guard(node.ExpressionBody?.Expression);
        var visited = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
        return guard is null ? visited : visited.WithExpressionBody(null).WithSemicolonToken(default).WithBody(Body(guard, visited.ExpressionBody!));
    }

    public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        var guard = Guard(node.ExpressionBody?.Expression);
        var visited = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
        return guard is null ? visited : visited.WithExpressionBody(null).WithSemicolonToken(default).WithBody(Body(guard, visited.ExpressionBody!));
    }

    public override SyntaxNode? VisitConstructorDeclaration(ConstructorDeclarationSyntax node)
    {
        var guard = Guard(node.ExpressionBody?.Expression);
        var visited = (ConstructorDeclarationSyntax)base.VisitConstructorDeclaration(node)!;
        return guard is null ? visited : visited.WithExpressionBody(null).WithSemicolonToken(default).WithBody(Body(guard, visited.ExpressionBody!));
    }

    public override SyntaxNode? VisitDestructorDeclaration(DestructorDeclarationSyntax node)
    {
        var guard = Guard(node.ExpressionBody?.Expression);
        var visited = (DestructorDeclarationSyntax)base.VisitDestructorDeclaration(node)!;
        return guard is null ? visited : visited.WithExpressionBody(null).WithSemicolonToken(default).WithBody(Body(guard, visited.ExpressionBody!));
    }

    public override SyntaxNode? VisitAccessorDeclaration(AccessorDeclarationSyntax node)
    {
        var guard = Guard(node.ExpressionBody?.Expression);
        var visited = (AccessorDeclarationSyntax)base.VisitAccessorDeclaration(node)!;
        return guard is null ? visited : visited.WithExpressionBody(null).WithSemicolonToken(default).WithBody(Body(guard, visited.ExpressionBody!));
    }

    public override SyntaxNode? VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node)
    {
        var guard = Guard(node.ExpressionBody);
        var visited = (ParenthesizedLambdaExpressionSyntax)base.VisitParenthesizedLambdaExpression(node)!;
        return guard is null ? visited : visited.WithExpressionBody(null).WithBlock(Block(Guarded(guard, ExpressionStatement(visited.ExpressionBody!))));
    }

    public override SyntaxNode? VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node)
    {
        var guard = Guard(node.ExpressionBody);
        var visited = (SimpleLambdaExpressionSyntax)base.VisitSimpleLambdaExpression(node)!;
        return guard is null ? visited : visited.WithExpressionBody(null).WithBlock(Block(Guarded(guard, ExpressionStatement(visited.ExpressionBody!))));
    }

    // `for (init; cond; Event(args))`: an incrementor or initializer is an expression, so the
    // guarded call is wrapped in a lambda that runs on the spot (the corpus captures no ref structs there).
    public override SyntaxNode? VisitForStatement(ForStatementSyntax node)
    {
        var incrementorGuards = node.Incrementors.Select(Guard).ToList();
        var initializerGuards = node.Initializers.Select(Guard).ToList();
        var visited = (ForStatementSyntax)base.VisitForStatement(node)!;
        return visited
            .WithIncrementors(SeparatedList(visited.Incrementors.Select((e, i) => Immediate(incrementorGuards[i], e))))
            .WithInitializers(SeparatedList(visited.Initializers.Select((e, i) => Immediate(initializerGuards[i], e))));
    }

    static ExpressionSyntax Immediate(ExpressionSyntax? guard, ExpressionSyntax call) =>
        guard is null ? call : ParseExpression($"((System.Action)(() => {{ if ({guard}) {call}; }}))()");

    BlockSyntax Body(ExpressionSyntax guard, ArrowExpressionClauseSyntax arrow) =>
        Block(Guarded(guard, ExpressionStatement(arrow.Expression)));

    static BlockSyntax Guarded(ExpressionSyntax guard, StatementSyntax call) =>
        Block(IfStatement(guard, call));

    /// <summary><c>global::Type.Event_probes != null</c> when the expression calls a trace event; otherwise null.</summary>
    ExpressionSyntax? Guard(ExpressionSyntax? expression)
    {
        if (expression is not InvocationExpressionSyntax invocation) return null;
        if (_model.GetSymbolInfo(invocation).Symbol is not IMethodSymbol method) return null;
        if (!method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == EventAttribute)) return null;
        Calls++;
        var type = method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        return ParseExpression($"{type}.{method.Name}_probes != null");
    }
}
