using Webhooks.Api.Tests.Clients;

namespace Webhooks.Api.Tests.Http.BadInput;

/// <summary>The bad-input suite's comparison of the stored data with <see cref="StoreModel"/>.</summary>
public sealed partial class BadInputSuiteTests
{
    // ---- the stored data ----------------------------------------------------------------------

    private async Task CompareStoredDataAsync()
    {
        foreach (var (org, key) in new[] { (_orgA, _keyA), (_orgB, _keyB) })
        {
            using var client = _factory.CreateClient(key);
            using var list = await client.GetAsync("/v1/webhooks?limit=100");
            var listBody = await list.Content.ReadAsStringAsync();
            Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK), listBody);
            using var document = JsonDocument.Parse(listBody);
            var listed = document.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var expected = _model.Endpoints.Where(p => p.Value.OrgId == org && !p.Value.Deleted).Select(p => p.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (!listed.SetEquals(expected))
            {
                _violations.Add($"stored data: organization {org} lists [{string.Join(", ", listed.Order())}], the model has [{string.Join(", ", expected.Order())}]");
            }

            foreach (var (id, endpoint) in _model.Endpoints.Where(p => p.Value.OrgId == org))
            {
                using var response = await client.GetAsync($"/v1/webhooks/{id}");
                var text = await response.Content.ReadAsStringAsync();
                if (endpoint.Deleted)
                {
                    if (response.StatusCode != HttpStatusCode.NotFound)
                    {
                        _violations.Add($"stored data: deleted endpoint {id} answers {(int)response.StatusCode}");
                    }

                    continue;
                }

                if (response.StatusCode != HttpStatusCode.OK)
                {
                    _violations.Add($"stored data: endpoint {id} answers {(int)response.StatusCode} {text}");
                    continue;
                }

                using var resource = JsonDocument.Parse(text);
                _violations.AddRange(Compare(endpoint, resource.RootElement, id, deleted: false).Select(d => $"stored data: {d}"));
            }
        }

        var stored = await StoredData.EndpointsAsync(_factory.Services);
        if (stored != _model.Endpoints.Count)
        {
            _violations.Add($"stored data: {stored} endpoint rows, the model has {_model.Endpoints.Count}");
        }

        foreach (var client in new[] { _c1, _c2 })
        {
            using var response = await ClientsApi.GetAsync(_http, client);
            var text = await response.Content.ReadAsStringAsync();
            using var document = JsonDocument.Parse(text);
            var url = response.StatusCode == HttpStatusCode.OK ? document.RootElement.GetProperty("webhook_url").GetString() : $"<{(int)response.StatusCode}>";
            if (url != _model.ClientUrls[client.ClientId])
            {
                _violations.Add($"stored data: client {client.CustomerId} has webhook_url '{Shorten(url ?? "")}', the model has '{Shorten(_model.ClientUrls[client.ClientId])}'");
            }
        }

        var suspendedUrl = await ClientsApi.StoredWebhookUrlAsync(_factory, _suspended.ClientId) ?? string.Empty;
        if (suspendedUrl != _model.ClientUrls[_suspended.ClientId])
        {
            _violations.Add($"stored data: the suspended client has '{suspendedUrl}', the model has '{_model.ClientUrls[_suspended.ClientId]}'");
        }
    }

    /// <summary>An accepted write answers with what the model now holds.</summary>
    private void CheckSuccessAgainstModel(SuiteCase request, Reply reply, string where)
    {
        using var document = JsonDocument.Parse(reply.Body);
        var body = document.RootElement;
        switch (request.Effect.Kind)
        {
            case EffectKind.Create:
            case EffectKind.Patch:
            case EffectKind.Delete:
                var id = body.GetProperty("id").GetString()!;
                var differences = Compare(_model.Endpoints[id], body, id, request.Effect.Kind == EffectKind.Delete);
                _violations.AddRange(differences.Select(d => $"{where}: response differs from the model: {d}"));
                break;
            case EffectKind.ClientPatch:
                var expected = _model.ClientUrls[request.Effect.ClientId!.Value];
                if (body.GetProperty("webhook_url").GetString() != expected)
                {
                    _violations.Add($"{where}: webhook_url is '{body.GetProperty("webhook_url").GetString()}', the model says '{expected}'");
                }

                break;
        }
    }

    private static IEnumerable<string> Compare(EndpointModel expected, JsonElement actual, string id, bool deleted)
    {
        if (!actual.EnumerateObject().Select(p => p.Name).Where(n => n != "secret").Order(StringComparer.Ordinal).SequenceEqual(EndpointKeys.Order(StringComparer.Ordinal)))
        {
            yield return $"{id}: keys {string.Join(",", actual.EnumerateObject().Select(p => p.Name))}";
            yield break;
        }

        var description = actual.GetProperty("description");
        var events = actual.GetProperty("events").EnumerateArray().Select(e => e.GetString()!).ToList();
        if (actual.GetProperty("org_id").GetString() != expected.OrgId.ToString())
        {
            yield return $"{id}: org_id {actual.GetProperty("org_id").GetString()}, expected {expected.OrgId}";
        }

        if (actual.GetProperty("url").GetString() != expected.Url)
        {
            yield return $"{id}: url '{Shorten(actual.GetProperty("url").GetString()!)}', expected '{Shorten(expected.Url)}'";
        }

        if ((description.ValueKind == JsonValueKind.Null ? null : description.GetString()) != expected.Description)
        {
            yield return $"{id}: description {Shorten(description.GetRawText())}, expected '{expected.Description}'";
        }

        if (!events.SequenceEqual(expected.Events))
        {
            yield return $"{id}: events [{string.Join(",", events)}], expected [{string.Join(",", expected.Events)}]";
        }

        if (actual.GetProperty("active").GetBoolean() != expected.Active)
        {
            yield return $"{id}: active {actual.GetProperty("active").GetBoolean()}, expected {expected.Active}";
        }

        if (actual.GetProperty("api_version").GetString() != expected.ApiVersion)
        {
            yield return $"{id}: api_version {actual.GetProperty("api_version").GetString()}";
        }

        if ((actual.GetProperty("deleted_at").ValueKind != JsonValueKind.Null) != deleted)
        {
            yield return $"{id}: deleted_at {actual.GetProperty("deleted_at").GetRawText()}";
        }
    }
}
