using System;
using System.ComponentModel;
using System.Threading;

namespace Tracing.Internal;

/// <summary>One attached probe in an event's probe list. Used by woven code; not an API.</summary>
/// <remarks>
/// The woven event method walks the list lock-free: <c>for (n = head; n != null; n = n.Next) n.Func(args);</c>.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ProbeNode<TProbe> where TProbe : Delegate
{
    /// <summary>The probe's code.</summary>
    public readonly TProbe Func;

    /// <summary>
    /// The next node. While this node is attached: the next attached node, in attach order. After
    /// it is detached: frozen at what it was then (see <see cref="ProbeList{TProbe}"/>).
    /// Written only under the trace lock, with release writes; read lock-free.
    /// </summary>
    public ProbeNode<TProbe>? Next;

    internal ProbeNode<TProbe>? Prev; // under the trace lock; null once detached
    internal readonly Probe Owner;

    internal ProbeNode(TProbe func, Probe owner)
    {
        Func = func;
        Owner = owner;
    }
}

/// <summary>The probes of one trace event. Used by woven code; not an API.</summary>
/// <remarks>
/// <para>
/// Woven code keeps two static fields per event: the list head (the first attached node, null
/// when nothing is attached: the field every call site checks) and this object, which owns the
/// list and republishes the head through the <c>publish</c> delegate the weaver generates.
/// </para>
/// <para>
/// Invariants. Every change happens under the trace lock. Readers (dispatches) take no lock and
/// see a consistent list:
/// </para>
/// <list type="number">
/// <item>A node is fully built before it becomes reachable: the head and every <c>Next</c> are
/// written with release writes (Volatile.Write), and readers depend on the loaded reference to
/// reach the node's fields, which .NET orders on every platform.</item>
/// <item>Nodes are appended at the tail, so following <c>Next</c> always moves forward in attach order.</item>
/// <item>Detaching unlinks a node but leaves its own <c>Next</c> as it was (Linux's
/// <c>list_del_rcu</c>; go123 clears it and can make a reader standing on the node skip the rest
/// of the list). A node is never linked again: attaching a probe again makes a new node.</item>
/// </list>
/// <para>
/// So a dispatch never skips a probe that stays attached while it runs. Every node a reader
/// reaches was attached at some moment after the dispatch started (the head it read was; and a
/// <c>Next</c> it follows is either live or frozen at a detach that happened after it reached
/// the node). At that moment a probe P attached for the whole dispatch was in the list, so the
/// node's <c>Next</c> named a node no later than P in attach order. Moving forward one node at a
/// time without passing P, the reader arrives at P.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ProbeList<TProbe> where TProbe : Delegate
{
    readonly Action<ProbeNode<TProbe>?> _publish; // release-writes the woven head field
    ProbeNode<TProbe>? _first, _last;              // under the trace lock

    internal ProbeList(string eventName, Action<ProbeNode<TProbe>?> publish)
    {
        EventName = eventName;
        _publish = publish;
    }

    internal string EventName { get; }

    internal ProbeNode<TProbe> Append(TProbe func, Probe owner)
    {
        Trace.VerifyLocked("Attaching a probe");
        var node = new ProbeNode<TProbe>(func, owner);
        var last = _last;
        if (last is null)
        {
            _first = node;
            _publish(node); // release: readers that load the head see node.Func
        }
        else
        {
            node.Prev = last;
            Volatile.Write(ref last.Next, node); // release, as above
        }
        _last = node;
        return node;
    }

    internal void Unlink(ProbeNode<TProbe> node)
    {
        Trace.VerifyLocked("Detaching a probe");
        var prev = node.Prev;
        var next = node.Next;
        if (prev is null)
        {
            _first = next;
            _publish(next);
        }
        else
        {
            Volatile.Write(ref prev.Next, next);
        }
        if (next is null) _last = prev;
        else next.Prev = prev;
        node.Prev = null;
        // node.Next stays: a dispatch standing on node goes on to the probes after it (invariant 3).
    }
}

/// <summary>A probe of events whose probes are <typeparamref name="TProbe"/>.</summary>
sealed class TypedProbe<TProbe> : Probe where TProbe : Delegate
{
    readonly ProbeList<TProbe> _list;
    readonly TProbe _func;
    ProbeNode<TProbe>? _node; // the node while attached; under the trace lock

    internal TypedProbe(ProbeList<TProbe> list, TProbe func)
    {
        _list = list;
        _func = func;
    }

    public override bool IsAttached => Volatile.Read(ref _node) is not null;

    public override string EventName => _list.EventName;

    internal override void AttachCore() => Volatile.Write(ref _node, _list.Append(_func, this));

    internal override void DetachCore()
    {
        _list.Unlink(_node!);
        Volatile.Write(ref _node, null);
    }

    internal override Probe? NextCore() => Volatile.Read(ref _node)?.Next?.Owner;
}
