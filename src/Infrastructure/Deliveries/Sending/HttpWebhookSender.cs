using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;
using Microsoft.Extensions.Options;
using Webhooks.Application.Deliveries;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Infrastructure.Deliveries.Sending;

/// <summary>
/// Sends a webhook request over HTTPS through the named client <see cref="ClientName"/> (its handler:
/// <see cref="SenderSetup"/>). One attempt is bounded by <c>Delivery:TimeoutSeconds</c> from the
/// first DNS lookup to the end of the capped body read. The answer is recorded as it came: the
/// status (a redirect is not followed), <c>Retry-After</c> on any status, and at most
/// <see cref="AttemptResult.MaxResponseBodyBytes"/> bytes of the body, which is never read further.
/// Network problems become an <see cref="AttemptResult"/> with an error in <see cref="SendErrors"/>'
/// words; only the caller's cancellation throws.
/// </summary>
public sealed class HttpWebhookSender(IHttpClientFactory clients, IOptions<SenderOptions> options, TimeProvider time) : IWebhookSender
{
    public const string ClientName = "webhooks-delivery";

    /// <summary>The <c>User-Agent</c> of every webhook request: names the service, nothing about the host it runs on.</summary>
    public const string UserAgent = "Webhooks-Delivery/1.0";

    /// <summary>No <c>charset</c> parameter: JSON is UTF-8 by definition (RFC 8259), and receivers compare the header as sent.</summary>
    public const string ContentType = "application/json";

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public async Task<AttemptResult> SendAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = time.GetTimestamp();
        if (!request.Url.IsAbsoluteUri || request.Url.Scheme != Uri.UriSchemeHttps)
        {
            return AttemptResult.Failed(SendErrors.With(SendErrors.NotHttpsMessage, request.Url.ToString()), TimeSpan.Zero);
        }

        var limit = options.Value.Timeout;
        using var timeout = new CancellationTokenSource(limit, time);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var message = NewMessage(request);
            using var response = await clients.CreateClient(ClientName)
                .SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            var retryAfter = RetryAfter(response.Headers.RetryAfter);
            var (body, error) = await ReadCappedBodyAsync(response.Content, limit, timeout, cancellationToken, attempt.Token);
            return new AttemptResult((int)response.StatusCode, time.GetElapsedTime(started), body, error, retryAfter);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            return AttemptResult.Failed(SendErrors.TimedOut(limit), time.GetElapsedTime(started));
        }
        catch (HttpRequestException exception)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return AttemptResult.Failed(Describe(exception), time.GetElapsedTime(started));
        }
    }

    private static HttpRequestMessage NewMessage(WebhookRequest request)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, request.Url) { Content = new ReadOnlyMemoryContent(request.Body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        message.Headers.TryAddWithoutValidation("webhook-id", request.MessageId);
        message.Headers.TryAddWithoutValidation("webhook-timestamp", request.Timestamp.ToString(CultureInfo.InvariantCulture));
        message.Headers.TryAddWithoutValidation("webhook-signature", request.Signature);
        return message;
    }

    /// <summary>
    /// At most <see cref="AttemptResult.MaxResponseBodyBytes"/> bytes, then stop: the rest is never
    /// read (the connection is dropped rather than drained). A failure after the status line keeps
    /// the status and what was read, with the error.
    /// </summary>
    private static async Task<(string Body, string? Error)> ReadCappedBodyAsync(
        HttpContent content, TimeSpan limit, CancellationTokenSource timeout, CancellationToken callerToken, CancellationToken token)
    {
        var buffer = new byte[AttemptResult.MaxResponseBodyBytes];
        var length = 0;
        string? error = null;
        try
        {
            await using var stream = await content.ReadAsStreamAsync(token);
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), token)) > 0)
            {
                length += read;
            }
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            error = SendErrors.TimedOut(limit);
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            callerToken.ThrowIfCancellationRequested();
            error = SendErrors.With(SendErrors.ResponseBodyFailedMessage, exception.Message);
        }

        // A body cut at the cap may end inside a character: those bytes are left out rather than replaced.
        var decoder = Utf8.GetDecoder();
        var chars = new char[Utf8.GetMaxCharCount(length)];
        var count = decoder.GetChars(buffer, 0, length, chars, 0, flush: length < buffer.Length);
        return (new string(chars, 0, count), error);
    }

    /// <summary>Delta seconds as given; an HTTP date relative to now (not below zero).</summary>
    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > time.GetUtcNow() ? date - time.GetUtcNow() : TimeSpan.Zero,
        _ => null,
    };

    private static string Describe(HttpRequestException exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SendFailedException failed:
                    return failed.Message;
                case AuthenticationException tls:
                    return SendErrors.With(SendErrors.TlsFailedMessage, tls.Message);
            }
        }

        return exception.HttpRequestError switch
        {
            HttpRequestError.SecureConnectionError => SendErrors.With(SendErrors.TlsFailedMessage, Innermost(exception).Message),
            HttpRequestError.NameResolutionError => SendErrors.With(SendErrors.NameResolutionFailedMessage, Innermost(exception).Message),
            HttpRequestError.ConnectionError => SendErrors.With(SendErrors.ConnectionFailedMessage, Innermost(exception).Message),
            _ => SendErrors.With(SendErrors.NoValidResponseMessage, Innermost(exception).Message),
        };
    }

    private static Exception Innermost(Exception exception) => exception.InnerException is { } inner ? Innermost(inner) : exception;
}
