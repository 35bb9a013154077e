using System.Collections.Generic;
using Tracing;

public static ProbeGroup AttachHelloProbes(List<string> seen)
{
	ProbeGroup probeGroup = new ProbeGroup();
	Trace.Lock();
	Hello.TraceHelloPre_Attach(probeGroup, (string who) =>
	{
		seen.Add("pre " + who);
	});
	Hello.TraceHello_Attach(probeGroup, (string who) =>
	{
		seen.Add("post " + who);
	});
	Trace.Unlock();
	return probeGroup;
}
