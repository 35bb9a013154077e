public static void SayHello(string who)
{
	if (<TraceHelloPre>probes != null)
	{
		TraceHelloPre(who);
	}
	Print("Hello, " + who);
	if (<TraceHello>probes != null)
	{
		TraceHello(who);
	}
}
