using System;

namespace Tracing.Cli;

static class Program
{
    static int Main(string[] args) => TracingCommand.Run(args, Console.Out, Console.Error);
}
