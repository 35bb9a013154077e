using System;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Tracing.Benchmarks;

/// <summary>
/// The ratio of a case's median to another case's median in the same run. BenchmarkDotNet's
/// own Ratio column knows one baseline per category; the report needs two per row.
/// </summary>
sealed class RatioColumn : IColumn
{
    readonly Func<Summary, BenchmarkCase, BenchmarkReport?> _baselineOf;

    public RatioColumn(string name, string legend, Func<Summary, BenchmarkCase, BenchmarkReport?> baselineOf)
    {
        ColumnName = name;
        Legend = legend;
        _baselineOf = baselineOf;
    }

    public string Id => nameof(RatioColumn) + "." + ColumnName;
    public string ColumnName { get; }
    public string Legend { get; }
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var ratio = Ratio(summary, benchmarkCase);
        return ratio is { } r ? r.ToString(r >= 100 ? "N0" : r >= 10 ? "N1" : "N2", style.CultureInfo) : "-";
    }

    /// <summary>The ratio, or null when either median is missing.</summary>
    public double? Ratio(Summary summary, BenchmarkCase benchmarkCase)
    {
        var baseline = _baselineOf(summary, benchmarkCase)?.ResultStatistics?.Median;
        var value = summary[benchmarkCase]?.ResultStatistics?.Median;
        return baseline is > 0 && value is { } v ? v / baseline.Value : null;
    }

    public override string ToString() => ColumnName;
}
