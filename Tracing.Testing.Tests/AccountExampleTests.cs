using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Tracing.Testing.Example;
using Tracing.Testing.NUnit;

namespace Tracing.Testing.Tests;

// The account's events as the tests see them.
public sealed record Deposit(string Teller, int Amount);
public sealed record Read(string Teller, int Balance);
public sealed record Wrote(string Teller, int Balance);

/// <summary>
/// The worked example of docs/synchronous-tracing.md: two tellers (workers) deposit into one
/// account (the shared resource). Each teller's events form one stream; the test picks the
/// interleaving of the two tellers by the order of its checks.
/// </summary>
public class AccountExampleTests : HarnessTest
{
    // Delivers the account's events to t.
    static void DeliverAccountEvents(T t)
    {
        Trace.Setup(() =>
        {
            Trace.Attach(t.Probes, Account.TraceDeposit, (teller, amount) => t.RxEvent(new Deposit(teller, amount)));
            Trace.Attach(t.Probes, Account.TraceRead, (teller, balance) => t.RxEvent(new Read(teller, balance)));
            Trace.Attach(t.Probes, Account.TraceWrote, (teller, balance) => t.RxEvent(new Wrote(teller, balance)));
        });
    }

    // Right: a teller's events are ordered by its thread; two tellers are concurrent.
    static string ByTeller(object e) => e switch
    {
        Deposit d => d.Teller,
        Read r => r.Teller,
        Wrote w => w.Teller,
        _ => throw new ArgumentException($"unexpected event {e}"),
    };

    [TestCase("alice", 10, "bob", 20)]
    [TestCase("bob", 20, "alice", 10)]
    public void OnALockedAccountTheTestPicksWhichTellerGoesFirst(string first, int firstAmount, string second, int secondAmount)
    {
        var account = new Account(locking: true);
        NUnitTraceTest.Verify(t =>
        {
            account = new Account(locking: true);
            DeliverAccountEvents(t);
            t.SetEventRouter(ByTeller);
            var alice = new Teller("alice", account).DepositAsync(10);
            var bob = new Teller("bob", account).DepositAsync(20);
            try
            {
                // Both tellers are paused at Deposit until the test lets one of them go on.
                t.Expect(first, new Deposit(first, firstAmount));
                t.Expect(first, new Read(first, 0));
                t.Expect(first, new Wrote(first, firstAmount));
                t.Expect(second, new Deposit(second, secondAmount));
                t.Expect(second, new Read(second, firstAmount));
                t.Expect(second, new Wrote(second, 30));
            }
            finally
            {
                Join(alice, bob);
            }
        });
        Assert.That(account.Balance, Is.EqualTo(30));
    }

    [Test]
    public void OnAnUnlockedAccountTheTestReproducesTheLostUpdate()
    {
        var account = new Account(locking: false);
        NUnitTraceTest.Verify(t =>
        {
            account = new Account(locking: false);
            DeliverAccountEvents(t);
            t.SetEventRouter(ByTeller);
            var alice = new Teller("alice", account).DepositAsync(10);
            var bob = new Teller("bob", account).DepositAsync(20);
            try
            {
                t.Expect("alice", new Deposit("alice", 10));
                // Hold alice between reading the balance and writing it back...
                var aliceRead = t.Receive("alice");
                Assert.That(aliceRead.Event, Is.EqualTo(new Read("alice", 0)));
                // ...while bob makes his whole deposit.
                t.Expect("bob", new Deposit("bob", 20));
                t.Expect("bob", new Read("bob", 0));
                t.Expect("bob", new Wrote("bob", 20));
                Assert.That(account.Balance, Is.EqualTo(20), "alice is paused: she cannot have written yet");
                aliceRead.Ack();
                t.Expect("alice", new Wrote("alice", 10)); // alice overwrites bob's deposit
            }
            finally
            {
                Join(alice, bob);
            }
        });
        Assert.That(account.Balance, Is.EqualTo(10), "bob's deposit of 20 was lost");
    }

    [Test]
    public void TheLockForbidsTheInterleavingThatLosesAnUpdate()
    {
        Task alice = null!, bob = null!;
        var failure = Assert.Throws<TraceTestException>(() => TraceTest.Run(t =>
        {
            var account = new Account(locking: true);
            DeliverAccountEvents(t);
            t.SetEventRouter(ByTeller);
            alice = new Teller("alice", account).DepositAsync(10);
            bob = new Teller("bob", account).DepositAsync(20);
            try
            {
                t.Expect("alice", new Deposit("alice", 10));
                var aliceRead = t.Receive("alice"); // alice holds the lock while she is paused here
                t.Expect("bob", new Deposit("bob", 20));
                t.Expect("bob", new Read("bob", 0)); // bob waits for the lock: this never comes
                aliceRead.Ack();
            }
            finally
            {
                JoinQuietly(alice, bob);
            }
        }, ShortDeadline))!;
        Assert.That(failure.Failures.Single().Message, Is.EqualTo(
            "bob: recv: deadlock waiting for Read: no event came on stream \"bob\" within 0.5 s\n" +
            "  want: Read { Teller = \"bob\", Balance = 0 }"));
        // The failure released alice (she left the lock with the error), then bob took the lock
        // and was refused at once: neither thread stays blocked.
        Assert.That(FaultOf(alice), Is.TypeOf<EventRejectedException>());
        Assert.That(FaultOf(bob), Is.TypeOf<EventRejectedException>());
    }

    // Bob starts after alice: the test starts him once alice's three events have reached it (in
    // a rerun that delays one of them, once the harness holds it back), so the first run sees
    // alice first, but nothing in the system makes it so. (docs/synchronous-tracing.md tells it
    // with a 50 ms head start, which on a busy machine does not even order the first run.)
    static async Task TwoTellersOneAfterTheOther(T t, Func<object, string> route)
    {
        var account = new Account(locking: true);
        DeliverAccountEvents(t);
        t.SetEventRouter(route);
        var alice = new Teller("alice", account).DepositAsync(10);
        var bob = Task.Factory.StartNew(() =>
        {
            WaitForTheFirstSender(t, route(new Deposit("alice", 0)), 3);
            return new Teller("bob", account).DepositAsync(20);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        try
        {
            await t.ExpectAsync(route(new Deposit("alice", 0)), new Deposit("alice", 10));
            await t.ExpectAsync(route(new Read("alice", 0)), new Read("alice", 0));
            await t.ExpectAsync(route(new Wrote("alice", 0)), new Wrote("alice", 10));
            await t.ExpectAsync(route(new Deposit("bob", 0)), new Deposit("bob", 20));
            await t.ExpectAsync(route(new Read("bob", 0)), new Read("bob", 10));
            await t.ExpectAsync(route(new Wrote("bob", 0)), new Wrote("bob", 30));
        }
        finally
        {
            JoinQuietly(alice, bob);
        }
        await Task.WhenAll(alice, bob);
    }

    [Test]
    public void RoutingBothTellersToOneStreamIsCaughtByVerify()
    {
        // Wrong: one stream for both tellers claims that alice's deposit comes before bob's.
        var failure = Assert.ThrowsAsync<TraceTestException>(() =>
            TraceTest.VerifyAsync(t => TwoTellersOneAfterTheOther(t, _ => "account")))!;

        Assert.That(failure.Failures.All(f => f.Case is not null), Is.True, "the first run passes");
        var caught = failure.Failures.Single(f => f.Case == "delay@0(=account:0)");
        Assert.That(caught.Message, Does.StartWith(
            "account: expect Deposit: value differs\n" +
            "  want: Deposit { Teller = \"alice\", Amount = 10 }\n" +
            "  have: Deposit { Teller = \"bob\", Amount = 20 }"));
    }

    [Test]
    public Task RoutingEachTellerToItsOwnStreamPassesVerify() =>
        NUnitTraceTest.VerifyAsync(t => TwoTellersOneAfterTheOther(t, ByTeller));
}
