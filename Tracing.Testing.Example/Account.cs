using System.Threading;

namespace Tracing.Testing.Example;

/// <summary>
/// A bank account shared by several tellers: two workers and a shared resource.
/// </summary>
/// <remarks>
/// A deposit reads the balance, then writes the balance plus the amount. With
/// <c>locking: true</c> the read and the write happen under the account's lock, so deposits
/// exclude each other. With <c>locking: false</c> two deposits can interleave between read and
/// write, and one of them is lost: the race the worked example reproduces on purpose.
/// </remarks>
public sealed class Account
{
    readonly object _lock = new();
    readonly bool _locking;
    int _balance; // written by Deposit (under _lock when _locking); read by Balance at any time

    /// <summary>Creates an empty account.</summary>
    /// <param name="locking">Whether deposits take the account's lock.</param>
    public Account(bool locking) => _locking = locking;

    /// <summary>The balance now. Safe to read at any time, also while a teller is paused at a trace event.</summary>
    public int Balance => Volatile.Read(ref _balance);

    /// <summary>Adds <paramref name="amount"/> to the balance on behalf of <paramref name="teller"/>.</summary>
    /// <param name="teller">Who deposits: the trace events carry it.</param>
    /// <param name="amount">How much.</param>
    public void Deposit(string teller, int amount)
    {
        TraceDeposit(teller, amount);
        if (_locking) Monitor.Enter(_lock);
        try
        {
            var balance = Volatile.Read(ref _balance);
            TraceRead(teller, balance);
            Volatile.Write(ref _balance, balance + amount);
            TraceWrote(teller, balance + amount);
        }
        finally
        {
            if (_locking) Monitor.Exit(_lock);
        }
    }

    /// <summary>A teller is about to deposit (before it takes the lock).</summary>
    [Trace.Event] internal static void TraceDeposit(string teller, int amount) { }

    /// <summary>A teller has read the balance it will add to.</summary>
    [Trace.Event] internal static void TraceRead(string teller, int balance) { }

    /// <summary>A teller has written the new balance.</summary>
    [Trace.Event] internal static void TraceWrote(string teller, int balance) { }
}
