public static int Conditional(int x)
{
	if (x > 0)
	{
		if (Events.<TraceValue>probes != null)
		{
			Events.TraceValue(Effects.Next());
		}
	}
	else if (Events.<TraceText>probes != null)
	{
		Events.TraceText(Effects.Text("negative"));
	}
	if (Events.<TraceText>probes != null)
	{
		Events.TraceText((x > 10) ? Effects.Text("big") : Effects.Text("small"));
	}
	if (Events.<TraceText>probes != null)
	{
		Events.TraceText(Effects.Text("a") ?? Effects.Text("b"));
	}
	string text = ((x > 5) ? null : "short");
	if (Events.<TraceValue>probes != null)
	{
		Events.TraceValue(text?.Length ?? Effects.Next());
	}
	return x;
}
