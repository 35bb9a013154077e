namespace Tracing.Profiling;

/// <summary>What an <see cref="EventProfile"/> records besides the count of firings by stack.</summary>
public sealed class EventProfileOptions
{
    /// <summary>
    /// The name of a numeric parameter of the event (an integer, <c>float</c>, <c>double</c>,
    /// <c>decimal</c>, <see cref="System.TimeSpan"/>, or a nullable one): each sample also sums it,
    /// as a second sample type <c>&lt;parameter&gt;/&lt;unit&gt;</c> (bytes sent by call path).
    /// Null (the default): the profile counts firings only.
    /// </summary>
    /// <remarks>
    /// Values are whole numbers in pprof: a <c>float</c>, <c>double</c> or <c>decimal</c> is rounded
    /// to the nearest integer, a <see cref="System.TimeSpan"/> becomes nanoseconds, a null counts 0,
    /// and an unsigned value above <see cref="long.MaxValue"/> counts <see cref="long.MaxValue"/>.
    /// </remarks>
    public string? Value { get; set; }

    /// <summary>
    /// The unit of <see cref="Value"/>'s sample type, as pprof reads it (<c>bytes</c>,
    /// <c>nanoseconds</c>, <c>count</c>, …: pprof scales bytes and times for display). Null (the
    /// default): <c>nanoseconds</c> for a <see cref="System.TimeSpan"/> parameter, <c>bytes</c> for
    /// one whose name ends with "bytes" (any case), <c>count</c> otherwise.
    /// </summary>
    public string? ValueUnit { get; set; }

    /// <summary>
    /// Record about 1 in this many firings, chosen at random (geometric gaps with this mean, per
    /// thread), each recorded firing weighted by this number, so that counts and sums stay unbiased
    /// estimates whatever the pattern of the calls. 1 (the default) records every firing exactly.
    /// </summary>
    public int SampleEvery { get; set; } = 1;
}
