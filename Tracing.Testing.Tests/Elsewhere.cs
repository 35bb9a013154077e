namespace Tracing.Testing.Tests.Elsewhere;

/// <summary>An event type with the same short name as <see cref="Tests.Step"/>, in another namespace.</summary>
public sealed record Step(string Thread, int N);
