using System.Text.Json;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Domain.Tests.Deliveries;

/// <summary>An event's <c>data</c>: a JSON object of Unicode text, kept exactly as it was sent.</summary>
public sealed class EventDataTests
{
    [TestCase("{}")]
    [TestCase("""{ "a" : 1,  "b":[true,null,{"c":"caf\u00e9 \ud83d\ude00"}] }""")]
    [TestCase("""{"amount":12.50,"big":123456789012345678901234567890}""")]
    public void From_WhenAnObject_KeepsItsTextExactly(string json)
    {
        using var document = JsonDocument.Parse(json);

        var data = EventData.From(document.RootElement);

        Assert.That(data.IsValid, Is.True);
        Assert.That(data.Value!.Json, Is.EqualTo(json.Trim()));
    }

    [TestCase("[]")]
    [TestCase("\"{}\"")]
    [TestCase("42")]
    [TestCase("true")]
    [TestCase("null")]
    public void From_WhenNotAnObject_IsRefused(string json)
    {
        using var document = JsonDocument.Parse(json);

        Assert.That(EventData.From(document.RootElement).Errors, Is.EqualTo(new Dictionary<string, string> { [string.Empty] = Event.DataNotObjectMessage }));
    }

    [TestCase("""{"a":"\ud800"}""")]
    [TestCase("""{"\udc00":1}""")]
    [TestCase("""{"a":[1,{"b":"x\ud83d"}]}""")]
    [TestCase("""{"a":"\ude00\ud83d"}""")]
    public void From_WhenAStringOrNameHasALoneSurrogate_IsRefused(string json)
    {
        using var document = JsonDocument.Parse(json);

        Assert.That(EventData.From(document.RootElement).Errors, Is.EqualTo(new Dictionary<string, string> { [string.Empty] = Event.DataNotTextMessage }));
    }
}
