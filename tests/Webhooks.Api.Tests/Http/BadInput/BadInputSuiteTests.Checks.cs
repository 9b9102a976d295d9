using Microsoft.AspNetCore.Http;

namespace Webhooks.Api.Tests.Http.BadInput;

/// <summary>What the bad-input suite checks of every response.</summary>
public sealed partial class BadInputSuiteTests
{
    // ---- checks -------------------------------------------------------------------------------

    private static bool IsClients(string serverPath) => new PathString(serverPath).StartsWithSegments("/clients", StringComparison.OrdinalIgnoreCase);

    private void Check(SuiteCase request, Reply reply)
    {
        var where = $"{request.Describe()} -> {reply.Status} {Shorten(reply.Body)}";
        if (reply.Status == 0)
        {
            return; // already recorded
        }

        if (reply.Status >= 500)
        {
            _violations.Add($"{where}: a {reply.Status}");
        }

        if (request.Expect is not null && !request.Expect.Contains(reply.Status))
        {
            _violations.Add($"{where}: expected {string.Join(" or ", request.Expect)}");
        }

        if (!reply.Headers.TryGetValue("X-Request-Id", out var ids) || ids.Length != 1 || !IsUlid(ids[0]))
        {
            _violations.Add($"{where}: no single ULID X-Request-Id ({string.Join(",", ids ?? [])})");
            ids = [string.Empty];
        }

        foreach (var secret in _secrets)
        {
            if (reply.Body.Contains(secret, StringComparison.Ordinal))
            {
                _violations.Add($"{where}: the response repeats a credential");
            }
        }

        foreach (var leak in new[] { "Exception", "   at ", "SQLite", "SELECT ", "secret_hash", "key_hash", "StackTrace" })
        {
            if (reply.Body.Contains(leak, StringComparison.Ordinal))
            {
                _violations.Add($"{where}: the response reveals internals ('{leak}')");
            }
        }

        var clients = IsClients(reply.ServerPath);
        if (reply.Status >= 400)
        {
            var problems = clients ? CheckProblem(request, reply, ids[0]) : CheckEnvelope(request, reply, ids[0]);
            _violations.AddRange(problems.Select(p => $"{where}: {p}"));
            return;
        }

        if (reply.Status is >= 200 and < 300)
        {
            if (reply.ContentType is null || !reply.ContentType.StartsWith(Json, StringComparison.Ordinal))
            {
                _violations.Add($"{where}: a success that is not JSON ({reply.ContentType})");
                return;
            }

            if (request.Method != HttpMethod.Get && request.Effect.Kind == EffectKind.None && !request.Path.EndsWith("/secret/rotate", StringComparison.Ordinal))
            {
                _violations.Add($"{where}: a write the suite did not expect to be accepted");
                return;
            }

            if (request.Method == HttpMethod.Get)
            {
                return;
            }

            if (_model.Apply(request, reply.Body) is { } why)
            {
                _violations.Add($"{where}: {why}");
                return;
            }

            CheckSuccessAgainstModel(request, reply, where);
        }
    }

    private static IEnumerable<string> CheckEnvelope(SuiteCase request, Reply reply, string requestId)
    {
        if (reply.ContentType is null || !reply.ContentType.StartsWith("application/json", StringComparison.Ordinal))
        {
            yield return $"envelope error with content type {reply.ContentType}";
            yield break;
        }

        var root = ParseOrDefault(reply.Body);

        if (root.ValueKind != JsonValueKind.Object || !root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).SequenceEqual(["error", "success"])
            || root.GetProperty("success").ValueKind != JsonValueKind.False || root.GetProperty("error").ValueKind != JsonValueKind.Object)
        {
            yield return "not the {success:false,error:{...}} envelope";
            yield break;
        }

        var error = root.GetProperty("error");
        var code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
        var expectedKeys = code == "VALIDATION_FAILED" ? new[] { "code", "details", "message", "request_id" } : ["code", "message", "request_id"];
        if (!error.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).SequenceEqual(expectedKeys))
        {
            yield return $"error keys {string.Join(",", error.EnumerateObject().Select(p => p.Name))}";
        }

        var known = ErrorForStatus.Values.SingleOrDefault(e => e.Code == code);
        if (code is null || known is null)
        {
            yield return $"code '{code}' is not in the contract's table";
            yield break;
        }

        var message = known.Message;
        if (!ErrorForStatus.TryGetValue(reply.Status, out var expected) || expected.Code != code)
        {
            yield return $"code {code} with status {reply.Status}";
        }

        if (error.GetProperty("message").GetString() != message)
        {
            yield return $"message '{error.GetProperty("message").GetString()}' for {code}";
        }

        foreach (var problem in CheckCommon(reply, error.GetProperty("request_id").GetString(), requestId, "Bearer"))
        {
            yield return problem;
        }

        Dictionary<string, string?> details = [];
        if (code == "VALIDATION_FAILED")
        {
            var element = error.GetProperty("details");
            if (element.ValueKind != JsonValueKind.Object || !element.EnumerateObject().Any() || element.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String))
            {
                yield return "details is not a non-empty object of messages";
                yield break;
            }

            details = element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString(), StringComparer.Ordinal);
        }

        foreach (var problem in CheckDetail(request, reply, details))
        {
            yield return problem;
        }
    }

    private static IEnumerable<string> CheckProblem(SuiteCase request, Reply reply, string requestId)
    {
        if (reply.ContentType is null || !reply.ContentType.StartsWith("application/problem+json", StringComparison.Ordinal))
        {
            yield return $"problem details with content type {reply.ContentType}";
            yield break;
        }

        var root = ParseOrDefault(reply.Body);

        if (root.ValueKind != JsonValueKind.Object)
        {
            yield return "not a JSON object";
            yield break;
        }

        var keys = root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        string[] expectedKeys = reply.Status == 400 ? ["detail", "errors", "instance", "request_id", "status", "title", "type"] : ["detail", "instance", "request_id", "status", "title", "type"];
        if (!keys.SequenceEqual(expectedKeys))
        {
            yield return $"problem keys {string.Join(",", keys)}";
            yield break;
        }

        if (!ErrorForStatus.TryGetValue(reply.Status, out var error))
        {
            yield return $"status {reply.Status} has no kind of error";
            yield break;
        }

        var type = "urn:webhooks:problem:" + error.Code.ToLowerInvariant().Replace('_', '-');
        if (root.GetProperty("type").GetString() != type)
        {
            yield return $"type {root.GetProperty("type").GetString()}, expected {type}";
        }

        if (root.GetProperty("status").ValueKind != JsonValueKind.Number || root.GetProperty("status").GetInt32() != reply.Status)
        {
            yield return "status field differs from the HTTP status";
        }

        if (string.IsNullOrEmpty(root.GetProperty("title").GetString()) || string.IsNullOrEmpty(root.GetProperty("detail").GetString()))
        {
            yield return "empty title or detail";
        }

        if (root.GetProperty("instance").GetString() != reply.ServerPath)
        {
            yield return $"instance '{root.GetProperty("instance").GetString()}' is not the request path '{reply.ServerPath}'";
        }

        foreach (var problem in CheckCommon(reply, root.GetProperty("request_id").GetString(), requestId, "Basic realm=\"clients\""))
        {
            yield return problem;
        }

        Dictionary<string, string?> details = [];
        if (reply.Status == 400)
        {
            var errors = root.GetProperty("errors");
            if (errors.ValueKind != JsonValueKind.Object || !errors.EnumerateObject().Any()
                || errors.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.Array || p.Value.GetArrayLength() == 0 || p.Value.EnumerateArray().Any(m => m.ValueKind != JsonValueKind.String)))
            {
                yield return "errors is not a non-empty object of message arrays";
                yield break;
            }

            details = errors.EnumerateObject().ToDictionary(p => p.Name, p => p.Value[0].GetString(), StringComparer.Ordinal);
        }

        foreach (var problem in CheckDetail(request, reply, details))
        {
            yield return problem;
        }
    }

    /// <summary>What both surfaces' errors share: the body's request id is the header's, a 401 carries the surface's challenge, a 405 an <c>Allow</c>.</summary>
    private static IEnumerable<string> CheckCommon(Reply reply, string? bodyRequestId, string requestId, string challenge)
    {
        if (bodyRequestId != requestId)
        {
            yield return "request_id differs from X-Request-Id";
        }

        if (reply.Status == 401 && !(reply.Headers.TryGetValue("WWW-Authenticate", out var values) && values.SequenceEqual([challenge])))
        {
            yield return $"401 without WWW-Authenticate: {challenge}";
        }

        if (reply.Status == 405 && !reply.Headers.ContainsKey("Allow"))
        {
            yield return "405 without Allow";
        }
    }

    private static JsonElement ParseOrDefault(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static IEnumerable<string> CheckDetail(SuiteCase request, Reply reply, Dictionary<string, string?> details)
    {
        if (request.Detail is not { } expected || reply.Status != 400)
        {
            yield break;
        }

        if (!details.TryGetValue(expected.Field, out var message))
        {
            yield return $"the error does not name '{Shorten(expected.Field)}' (it names {string.Join(", ", details.Keys.Select(Shorten))})";
        }
        else if (expected.Message is not null && message != expected.Message)
        {
            yield return $"'{Shorten(expected.Field)}': '{Shorten(message ?? "")}', expected '{expected.Message}'";
        }
    }

    private static bool IsUlid(string id) =>
        id.Length == 26 && id[0] <= '7' && id.All(c => "0123456789ABCDEFGHJKMNPQRSTVWXYZ".Contains(c, StringComparison.Ordinal));

    private static string Shorten(string text) => text.Length > 160 ? text[..160] + $"...({text.Length} chars)" : text;
}
