using System.IO;
using NUnit.Framework;

namespace Tracing.Fody.Tests;

/// <summary>
/// Compares text with a checked-in <c>Snapshots/Name.verified.ext</c>. A mismatch (or a missing
/// verified file) writes <c>Name.received.ext</c> beside it and fails; nothing is ever accepted
/// automatically: review the received file and rename it to accept it.
/// </summary>
public static class Snapshot
{
    static string Directory => Path.Combine(TestWeaving.RepositoryRoot, "Tracing.Fody.Tests", "Snapshots");

    public static void Verify(string name, string actual, string extension = "cs")
    {
        actual = Normalize(actual);
        var verified = Path.Combine(Directory, $"{name}.verified.{extension}");
        var received = Path.Combine(Directory, $"{name}.received.{extension}");
        if (File.Exists(verified) && Normalize(File.ReadAllText(verified)) == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(received, actual);
        Assert.Fail(File.Exists(verified)
            ? $"{name} differs from its snapshot: compare {received} with {verified}; if the change is right, replace the verified file with the received one."
            : $"{name} has no snapshot yet: review {received} and rename it to {Path.GetFileName(verified)} to accept it.");
    }

    static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd() + "\n";
}
