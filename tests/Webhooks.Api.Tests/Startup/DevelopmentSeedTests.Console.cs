using System.Net.Http.Headers;

namespace Webhooks.Api.Tests.Startup;

/// <summary>Capturing what the service prints, and running its printed curl lines.</summary>
public sealed partial class DevelopmentSeedTests
{
    private static async Task<string> CaptureConsoleAsync(Func<IServiceProvider> start, Func<string, bool> done, TimeSpan? wait = null)
    {
        var original = Console.Out;
        var capture = new StringWriter();
        Console.SetOut(TextWriter.Synchronized(capture));
        try
        {
            start();
            var deadline = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(10));
            while (!done(capture.ToString()) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            return capture.ToString();
        }
        finally
        {
            Console.SetOut(original);
        }
    }
}

/// <summary>A printed <c>curl</c> command line: its method, URL, <c>-H</c> headers, <c>-u</c> user and <c>-d</c> body.</summary>
public sealed record CurlCommand(string Method, string BaseUrl, string Path, IReadOnlyList<(string Name, string Value)> Headers, string? User, string? Body)
{
    /// <summary>Every line of the text that is a <c>curl</c> command.</summary>
    public static List<CurlCommand> Parse(string text) =>
        text.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("curl ", StringComparison.Ordinal))
            .Select(ParseLine)
            .ToList();

    public static CurlCommand ParseLine(string line)
    {
        var words = Tokenize(line);
        Assert.That(words[0], Is.EqualTo("curl"));
        string? method = null, url = null, user = null, body = null;
        var headers = new List<(string, string)>();
        for (var i = 1; i < words.Count; i++)
        {
            switch (words[i])
            {
                case "-i":
                    break;
                case "-X":
                    method = words[++i];
                    break;
                case "-H":
                    var header = words[++i];
                    var colon = header.IndexOf(':', StringComparison.Ordinal);
                    Assert.That(colon, Is.GreaterThan(0), $"a header: {header}");
                    headers.Add((header[..colon].Trim(), header[(colon + 1)..].Trim()));
                    break;
                case "-u":
                    user = words[++i];
                    break;
                case "-d":
                    body = words[++i];
                    break;
                default:
                    Assert.That(words[i], Does.Not.StartWith("-"), $"an option this parser does not know: {line}");
                    Assert.That(url, Is.Null, $"one URL: {line}");
                    url = words[i];
                    break;
            }
        }

        Assert.That(url, Is.Not.Null, line);
        var uri = new Uri(url!);
        return new CurlCommand(
            method ?? (body is null ? "GET" : "POST"),
            uri.GetLeftPart(UriPartial.Authority),
            uri.PathAndQuery,
            headers,
            user,
            body);
    }

    public string? Header(string name) =>
        Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).SingleOrDefault();

    /// <summary>Sends the request as curl would: the same method, path, headers and body bytes.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpClient client)
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), Path);
        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
            if (Header("Content-Type") is null)
            {
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
            }
        }

        if (User is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(User)));
        }

        foreach (var (name, value) in Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                Assert.That(request.Content, Is.Not.Null, "Content-Type without a body");
                Assert.That(request.Content!.Headers.TryAddWithoutValidation(name, value), Is.True);
            }
            else
            {
                Assert.That(request.Headers.TryAddWithoutValidation(name, value), Is.True);
            }
        }

        return client.SendAsync(request);
    }

    public override string ToString() => $"{Method} {Path}";

    /// <summary>Splits a shell line into words, honouring single and double quotes.</summary>
    private static List<string> Tokenize(string line)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in line)
        {
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }

        Assert.That(quote, Is.Null, $"unbalanced quotes: {line}");
        if (inWord)
        {
            words.Add(current.ToString());
        }

        return words;
    }
}
