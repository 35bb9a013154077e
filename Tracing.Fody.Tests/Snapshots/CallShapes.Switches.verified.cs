public static string Switches(int x)
{
	if (Events.<TraceText>probes != null)
	{
		if (1 == 0)
		{
		}
		string text = x switch
		{
			1 => Effects.Text("one"), 
			2 => Effects.Text("two"), 
			_ => Effects.Text("many"), 
		};
		if (1 == 0)
		{
		}
		Events.TraceText(text);
	}
	if (x == 1)
	{
		if (Events.<TraceValue>probes != null)
		{
			Events.TraceValue(Effects.Next());
		}
		return "one";
	}
	if (Events.<TraceText>probes != null)
	{
		Events.TraceText(Effects.Text("default"));
	}
	return "other";
}
