using System;
using Tracing;
using Tracing.Internal;

internal static Probe TraceHello_Attach(ProbeGroup pg, Action<string> probe)
{
	return EventSupport.Attach(pg, ref <TraceHello>list, "AssemblyToProcess.Hello.TraceHello", (<TraceHello>list != null) ? null : ((Action<ProbeNode<Action<string>>>)((ProbeNode<Action<string>> head) =>
	{
		<TraceHello>probes = head;
	})), probe);
}
