using System.Collections.Generic;
using NUnit.Framework;
using Tracing.Testing.Internal;

namespace Tracing.Testing.Tests;

/// <summary>How events are compared, shown and diffed.</summary>
public class ValuesTests
{
    public sealed class Plain // no Equals of its own: compared member by member
    {
        public string Name = "";
        public List<int> Items { get; set; } = new();
        public Plain? Inner { get; set; }
    }

    public enum Color { Red, Green }

    public sealed record Batch(string Name, List<int> Items);

    [Test]
    public void ClassesWithoutEqualsCompareByTheirPublicMembers()
    {
        var a = new Plain { Name = "x", Items = { 1, 2 }, Inner = new Plain { Name = "y" } };
        var b = new Plain { Name = "x", Items = { 1, 2 }, Inner = new Plain { Name = "y" } };
        Assert.That(Values.AreEqual(a, b), Is.True);
        b.Inner.Name = "z";
        Assert.That(Values.AreEqual(a, b), Is.False);
    }

    [Test]
    public void RecordsWithCollectionsCompareTheirElements()
    {
        // The record's own Equals compares the lists' references; events compare by value.
        var a = new Batch("b", new List<int> { 1, 2 });
        Assert.That(a.Equals(new Batch("b", new List<int> { 1, 2 })), Is.False);
        Assert.That(Values.AreEqual(a, new Batch("b", new List<int> { 1, 2 })), Is.True);
        Assert.That(Values.AreEqual(a, new Batch("b", new List<int> { 1, 3 })), Is.False);
        Assert.That(Values.Describe(a), Is.EqualTo("ValuesTests.Batch { Name = \"b\", Items = [1, 2] }"));
        Assert.That(Values.Diff(a, new Batch("b", new List<int> { 1, 3 })), Is.EqualTo(new[] { "Items[1]: -2 +3" }));
    }

    [Test]
    public void ValuesOfDifferentTypesDiffer()
    {
        Assert.That(Values.AreEqual(1, 1L), Is.False);
        Assert.That(Values.AreEqual(new Step("a", 1), new Step("a", 1)), Is.True);
    }

    [Test]
    public void TheDiffNamesEachDifferingMemberByItsPath()
    {
        var a = new Plain { Name = "x", Items = { 1, 2 }, Inner = new Plain { Name = "y" } };
        var b = new Plain { Name = "x\n", Items = { 1, 3, 4 }, Inner = new Plain { Name = "z" } };
        Assert.That(Values.Diff(a, b), Is.EqualTo(new[]
        {
            "Name: -\"x\" +\"x\\n\"",
            "Items[1]: -2 +3",
            "Items[2]: +4",
            "Inner.Name: -\"y\" +\"z\"",
        }));
    }

    [Test]
    public void ScalarsDiffAsAWhole()
    {
        Assert.That(Values.Diff("T1·B", "T1·A"), Is.EqualTo(new[] { "-\"T1·B\" +\"T1·A\"" }));
    }

    [Test]
    public void EventsAreShownReadably()
    {
        Assert.That(Values.Describe(new Step("w", 1)), Is.EqualTo("Step { Thread = \"w\", N = 1 }"));
        Assert.That(Values.Describe("a\"b"), Is.EqualTo("\"a\\\"b\""));
        Assert.That(Values.Describe(Color.Green), Is.EqualTo("ValuesTests.Color.Green"));
        Assert.That(Values.Describe(new[] { 1, 2 }), Is.EqualTo("[1, 2]"));
        Assert.That(Values.Describe(new Plain { Name = "p" }), Is.EqualTo("ValuesTests.Plain { Name = \"p\", Items = [], Inner = null }"));
        Assert.That(Values.DescribeWithType("T1·A"), Is.EqualTo("String \"T1·A\""));
        Assert.That(Values.DescribeWithType(new Step("w", 1)), Is.EqualTo("Step { Thread = \"w\", N = 1 }"));
    }

    [Test]
    public void TypesWithTheSameShortNameAreShownByTheirFullNames()
    {
        var (want, have) = Values.TypeNames(typeof(Step), typeof(Elsewhere.Step));
        Assert.That(want, Is.EqualTo("Tracing.Testing.Tests.Step"));
        Assert.That(have, Is.EqualTo("Tracing.Testing.Tests.Elsewhere.Step"));
    }
}
