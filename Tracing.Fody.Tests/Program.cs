using System;

namespace Tracing.Fody.Tests;

/// <summary>
/// The test assembly's entry point, in place of the empty one the test SDK generates: it lets a
/// test run the weaver in a process of its own.
/// <c>dotnet Tracing.Fody.Tests.dll weave INPUT OUTPUT</c> weaves as <see cref="TestWeaving.Weave"/>
/// does, prints the weaver's errors, and exits with 0 when it wrote OUTPUT.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length != 3 || args[0] != "weave")
        {
            Console.Error.WriteLine("usage: dotnet Tracing.Fody.Tests.dll weave INPUT OUTPUT");
            return 2;
        }
        var result = TestWeaving.Weave(args[1], args[2]);
        foreach (var error in result.Errors) Console.Error.WriteLine(error);
        return result.OutputPath is null ? 1 : 0;
    }
}
