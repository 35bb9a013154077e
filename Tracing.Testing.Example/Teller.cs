using System;
using System.Threading;
using System.Threading.Tasks;

namespace Tracing.Testing.Example;

/// <summary>A worker that makes deposits into a shared <see cref="Account"/> on its own thread.</summary>
public sealed class Teller
{
    readonly Account _account;

    /// <summary>Creates a teller working on <paramref name="account"/>.</summary>
    /// <param name="name">The teller's name, carried by the account's trace events.</param>
    /// <param name="account">The shared account.</param>
    public Teller(string name, Account account)
    {
        Name = name;
        _account = account;
    }

    /// <summary>The teller's name.</summary>
    public string Name { get; }

    /// <summary>
    /// Starts a deposit on a thread of its own and returns at once; the task completes when the
    /// deposit is done.
    /// </summary>
    /// <param name="amount">How much to deposit.</param>
    /// <param name="after">
    /// How long the teller waits before it starts. A head start orders two tellers in time only,
    /// not by causality: nothing makes the later one wait for the earlier one.
    /// </param>
    public Task DepositAsync(int amount, TimeSpan after = default) =>
        // A dedicated thread (LongRunning): the teller blocks while a test checks its trace events,
        // which must not starve the thread pool; and an exception (a test that rejects an event)
        // ends in the task instead of the process.
        Task.Factory.StartNew(() =>
        {
            if (after > TimeSpan.Zero) Thread.Sleep(after);
            _account.Deposit(Name, amount);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
