using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace Tracing.OpenTelemetry;

/// <summary>What <c>LoggerProviderBuilder.AddTraceEvents</c> writes as log records.</summary>
public sealed class TraceEventLogOptions
{
    /// <summary>
    /// Globs over events' full names (<c>"MyLib.Cache.*"</c>; see <see cref="TraceEventFilter"/>):
    /// each firing of a matching event becomes a log record. Empty: no events.
    /// </summary>
    public IList<string> Events { get; } = new List<string>();

    /// <summary>
    /// The level of the log records: <see cref="LogLevel.Information"/> unless set. The logging
    /// filters of the application apply to it as to any log record, by the category (the type
    /// that declares the event, <c>MyLib.Cache.Store</c>).
    /// </summary>
    public LogLevel LogLevel { get; set; } = LogLevel.Information;
}
