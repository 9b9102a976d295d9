using Webhooks.Api.Errors;
using Webhooks.Api.Tests.Clients;

namespace Webhooks.Api.Tests.Http;

/// <summary>The limits tests' targets: how each is arranged, sent to, and checked for what it stored.</summary>
public sealed partial class LimitsTests
{
    // ---- helpers ---------------------------------------------------------------------------

    private static string Bearer(TargetState state) => "Bearer " + state.Key;

    /// <summary><paramref name="json"/> padded with insignificant white space (before the last brace) to exactly <paramref name="size"/> bytes.</summary>
    private static string Pad(string json, int size)
    {
        var length = Encoding.UTF8.GetByteCount(json);
        Assert.That(length, Is.LessThan(size));
        var padded = json[..^1] + new string(' ', size - length) + "}";
        Assert.That(Encoding.UTF8.GetByteCount(padded), Is.EqualTo(size));
        return padded;
    }

    /// <summary>With a <c>Content-Length</c>, or streamed from a non-seekable stream without one.</summary>
    private static HttpContent Content(string text, string contentType, bool withContentLength)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        HttpContent content = withContentLength ? new ByteArrayContent(bytes) : new StreamContent(new CountingStream(bytes));
        Assert.That(content.Headers.TryAddWithoutValidation("Content-Type", contentType), Is.True);
        Assert.That(withContentLength ? content.Headers.ContentLength : null, Is.EqualTo(withContentLength ? bytes.Length : null));
        return content;
    }

    private async Task<HttpResponseMessage> Send(
        HttpMethod method, string path, string? authorization, HttpContent? content = null, (string Name, string Value)[]? headers = null, bool chunked = false)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (authorization is not null)
        {
            Assert.That(request.Headers.TryAddWithoutValidation("Authorization", authorization), Is.True);
        }

        foreach (var (name, value) in headers ?? [])
        {
            Assert.That(request.Headers.TryAddWithoutValidation(name, value), Is.True);
        }

        if (chunked)
        {
            // What a real client sends with a body of unknown length.
            request.Headers.TransferEncodingChunked = true;
        }

        return await _anonymous.SendAsync(request);
    }

    private static async Task AssertErrorAsync(BodyTarget target, HttpResponseMessage response, ApiError error, ProblemKind problem)
    {
        if (target == BodyTarget.ClientsPatch)
        {
            await ClientsAssert.ProblemAsync(response, problem);
        }
        else
        {
            await ApiAssert.Envelope(response, (HttpStatusCode)error.Status, error.Code, error.Message);
        }
    }

    private static async Task AssertValidationAsync(BodyTarget target, HttpResponseMessage response, string field, string message)
    {
        if (target == BodyTarget.ClientsPatch)
        {
            await ClientsAssert.ValidationAsync(response, field, message);
        }
        else
        {
            await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { [field] = message });
        }
    }

    private async Task<TargetState> ArrangeAsync(BodyTarget target)
    {
        var org = await _factory.CreateOrganizationAsync();
        switch (target)
        {
            case BodyTarget.V1Post:
                return new TargetState(target, org.OrgId, org.Key, null, null, await StoredData.EndpointsAsync(_factory.Services), default);
            case BodyTarget.V1Patch:
                using (var client = _factory.CreateClient(org.Key))
                {
                    var id = await ApiHelpers.CreateEndpointAsync(client);
                    return new TargetState(target, org.OrgId, org.Key, id, null, await StoredData.EndpointsAsync(_factory.Services), await ApiHelpers.GetEndpointAsync(client, id));
                }

            default:
                var issued = await ClientsApi.CreateClientAsync(_factory, "cust-limits");
                using (var set = await ClientsApi.PatchAsync(_http, issued, ClientsApi.UrlBody(ClientUrl)))
                {
                    await ClientsAssert.ClientAsync(set, issued, ClientUrl);
                }

                return new TargetState(target, org.OrgId, org.Key, null, issued, await StoredData.EndpointsAsync(_factory.Services), default);
        }
    }

    /// <summary>As <see cref="ArrangeAsync"/>, with a caller that lacks the target's scope: a read-only key, or the client suspended.</summary>
    private async Task<TargetState> ArrangeWithoutScopeAsync(BodyTarget target)
    {
        var state = await ArrangeAsync(target);
        if (target == BodyTarget.ClientsPatch)
        {
            await ClientsApi.SuspendAsync(_factory, state.Client!.ClientId);
            return state;
        }

        return state with { Key = await _factory.CreateKeyAsync(state.OrgId, "webhooks:read") };
    }

    /// <summary>One target, arranged: the credentials, the endpoint or client it changes, and what was stored before.</summary>
    private sealed record TargetState(BodyTarget Target, Guid OrgId, string Key, string? EndpointId, IssuedClient? Client, int EndpointCount, JsonElement Endpoint)
    {
        public const string NewUrl = "https://hooks.example.com/limits-new";

        /// <summary>A body the target accepts: it creates an endpoint, turns <c>active</c> off, or sets the client's URL.</summary>
        public string ValidBody => Target switch
        {
            BodyTarget.V1Post => $$"""{"url":"{{NewUrl}}","events":["wallet.balance_low"]}""",
            BodyTarget.V1Patch => """{"active":false}""",
            _ => ClientsApi.UrlBody(NewUrl),
        };

        public string Path => Target switch
        {
            BodyTarget.V1Post => "/v1/webhooks",
            BodyTarget.V1Patch => $"/v1/webhooks/{EndpointId}",
            _ => ClientsApi.Path,
        };

        public string Authorization => Target == BodyTarget.ClientsPatch ? Client!.Authorization : "Bearer " + Key;

        public Task<HttpResponseMessage> SendAsync(LimitsTests tests, HttpContent content, bool chunked = false) =>
            tests.Send(Target == BodyTarget.V1Post ? HttpMethod.Post : HttpMethod.Patch, Path, Authorization, content, chunked: chunked);

        /// <summary>The refused request changed nothing.</summary>
        public async Task AssertUnchangedAsync(LimitsTests tests)
        {
            Assert.That(await StoredData.EndpointsAsync(tests._factory.Services), Is.EqualTo(EndpointCount), "no endpoint was created");
            if (Target == BodyTarget.V1Patch)
            {
                using var client = tests._factory.CreateClient(Key);
                var stored = await ApiHelpers.GetEndpointAsync(client, EndpointId!);
                Assert.That(JsonElement.DeepEquals(stored, Endpoint), Is.True, $"the endpoint is unchanged: {stored.GetRawText()}");
            }

            if (Target == BodyTarget.ClientsPatch)
            {
                Assert.That(await ClientsApi.StoredWebhookUrlAsync(tests._factory, Client!.ClientId), Is.EqualTo(ClientUrl), "the client's URL is unchanged");
            }
        }

        /// <summary>The accepted request did what <see cref="ValidBody"/> says.</summary>
        public async Task AssertAppliedAsync(LimitsTests tests)
        {
            switch (Target)
            {
                case BodyTarget.V1Post:
                    Assert.That(await StoredData.EndpointsAsync(tests._factory.Services), Is.EqualTo(EndpointCount + 1));
                    break;
                case BodyTarget.V1Patch:
                    using (var client = tests._factory.CreateClient(Key))
                    {
                        Assert.That((await ApiHelpers.GetEndpointAsync(client, EndpointId!)).GetProperty("active").GetBoolean(), Is.False);
                    }

                    break;
                default:
                    Assert.That(await ClientsApi.StoredWebhookUrlAsync(tests._factory, Client!.ClientId), Is.EqualTo(NewUrl));
                    break;
            }
        }
    }

    /// <summary>A non-seekable stream over bytes that counts what was read from it.</summary>
    private sealed class CountingStream(byte[] bytes) : Stream
    {
        private int _position;

        public int BytesRead => _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(buffer.Length, 4096), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
