using System.Globalization;
using System.Text.RegularExpressions;

namespace Webhooks.Api.Tests.Metrics;

/// <summary>One sample of a scrape: its name, labels and value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A <c>GET /metrics</c> answer parsed by the Prometheus text exposition format (0.0.4): comments
/// (<c># HELP</c>, <c># TYPE</c>, <c># EOF</c>) and samples <c>name{label="value",...} value [timestamp]</c>.
/// A line that is neither fails the test.
/// </summary>
public sealed partial class PrometheusText
{
    private PrometheusText(List<PrometheusSample> samples, Dictionary<string, string> types)
    {
        Samples = samples;
        Types = types;
    }

    public IReadOnlyList<PrometheusSample> Samples { get; }

    /// <summary>Each metric family's <c># TYPE</c>.</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    public static async Task<PrometheusText> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/plain; version=0.0.4; charset=utf-8"));
        return Parse(text);
    }

    public static PrometheusText Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith("# HELP ", StringComparison.Ordinal) || line == "# EOF")
            {
                continue;
            }

            if (TypeLine().Match(line) is { Success: true } type)
            {
                types[type.Groups["name"].Value] = type.Groups["type"].Value;
                continue;
            }

            var sample = SampleLine().Match(line);
            Assert.That(sample.Success, Is.True, $"not a Prometheus text line: '{line}'");
            var labels = LabelPair().Matches(sample.Groups["labels"].Value)
                .ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value, StringComparer.Ordinal);
            samples.Add(new PrometheusSample(sample.Groups["name"].Value, labels, ParseValue(sample.Groups["value"].Value)));
        }

        return new PrometheusText(samples, types);
    }

    /// <summary>The sum of the samples named <paramref name="name"/> that carry every one of <paramref name="labels"/>; 0 when none does.</summary>
    public double Value(string name, params (string Key, string Value)[] labels) =>
        Matching(name, labels).Sum(s => s.Value);

    /// <summary>The samples named <paramref name="name"/> that carry every one of <paramref name="labels"/>.</summary>
    public IEnumerable<PrometheusSample> Matching(string name, params (string Key, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value));

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex("^# TYPE (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<type>counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*)\})? (?<value>[-+]?(\d+(\.\d*)?([eE][-+]?\d+)?|Inf|NaN)|NaN)( -?\d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>([^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
