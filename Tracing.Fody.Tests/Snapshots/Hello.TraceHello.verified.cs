using System;
using Tracing;
using Tracing.Internal;

[Trace.Event]
internal static void TraceHello(string who)
{
	if (<TraceHello>probes == null)
	{
		return;
	}
	DispatchState state = EventSupport.Enter();
	try
	{
		for (ProbeNode<Action<string>> probeNode = <TraceHello>probes; probeNode != null; probeNode = probeNode.Next)
		{
			probeNode.Func(who);
		}
	}
	catch
	{
		EventSupport.Exit(state);
		throw;
	}
	EventSupport.Exit(state);
}
