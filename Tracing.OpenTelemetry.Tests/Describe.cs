using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace Tracing.OpenTelemetry.Tests;

/// <summary>Texts that tests compare exactly: an event or a tag list with each value's type.</summary>
static class Describe
{
    /// <summary><c>Name(key=Type:value, …)</c>.</summary>
    public static string Event(ActivityEvent e) => $"{e.Name}({Tags(e.Tags)})";

    /// <summary><c>key=Type:value, …</c>; a null value is <c>key=null</c>.</summary>
    public static string Tags(IEnumerable<KeyValuePair<string, object?>> tags) =>
        string.Join(", ", tags.Select(t => $"{t.Key}={Value(t.Value)}"));

    public static string Value(object? value) =>
        value is null ? "null" : $"{value.GetType().Name}:{Convert.ToString(value, CultureInfo.InvariantCulture)}";
}
