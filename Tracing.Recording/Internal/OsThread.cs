using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace Tracing.Recording.Internal;

/// <summary>
/// The operating system's id of the calling thread: the id the viewers, EventPipe, perf and
/// debuggers show. Read once per thread, when it records its first event. Where it cannot be
/// read, the managed thread id stands in.
/// </summary>
static class OsThread
{
    internal static long CurrentId()
    {
        try
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return GetCurrentThreadId();
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return gettid();
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX) && pthread_threadid_np(IntPtr.Zero, out var id) == 0) return (long)id;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
        return Thread.CurrentThread.ManagedThreadId;
    }

    /// <summary>The process id.</summary>
    internal static int ProcessId()
    {
#if NET5_0_OR_GREATER
        return Environment.ProcessId;
#else
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.Id;
#endif
    }

    [DllImport("kernel32")]
    static extern uint GetCurrentThreadId();

    [DllImport("libc")]
    static extern int gettid();

    [DllImport("libSystem.dylib")]
    static extern int pthread_threadid_np(IntPtr thread, out ulong id);
}
