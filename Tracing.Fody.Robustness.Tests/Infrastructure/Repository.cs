using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Tracing.Fody.Robustness.Tests;

/// <summary>Where things are in this repository.</summary>
public static class Repository
{
    public static string Root { get; } =
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    /// <summary>The configuration this test project was built in (the tools it runs are built in it too).</summary>
    public static string Configuration { get; } =
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    public static string Path(params string[] parts) => System.IO.Path.Combine(new[] { Root }.Concat(parts).ToArray());

    /// <summary>The output folder of a build of the torture corpus.</summary>
    public static string TortureOutput(string configuration, string targetFramework) =>
        Path("robustness", "Torture", "bin", configuration, targetFramework);

    /// <summary>A scratch folder under the test's output, emptied first.</summary>
    public static string Scratch(string name)
    {
        var path = System.IO.Path.Combine(AppContext.BaseDirectory, "scratch", name);
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        Directory.CreateDirectory(path);
        return path;
    }
}
