using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace Tracing.Tests.Shared;

/// <summary>
/// Signals and child processes on Linux, for the tests that signal the app `tracing record` or
/// `tracing profile` started. Compiled into Tracing.Recording.Tests and, linked, into
/// Tracing.Profiling.Tests.
/// </summary>
static class Posix
{
    /// <summary>The processes whose parent is <paramref name="pid"/> (the fourth field of /proc/N/stat, after the name in parentheses).</summary>
    public static int[] Children(int pid) =>
        Directory.GetDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => int.TryParse(name, out _))
            .Where(name =>
            {
                try
                {
                    var stat = File.ReadAllText($"/proc/{name}/stat");
                    return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1] == pid.ToString();
                }
                catch (IOException)
                {
                    return false; // ended meanwhile
                }
            })
            .Select(name => int.Parse(name!))
            .ToArray();

    [DllImport("libc", SetLastError = true)]
    public static extern int kill(int pid, int signal);
}
