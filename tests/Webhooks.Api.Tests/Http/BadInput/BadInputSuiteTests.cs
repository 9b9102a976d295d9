using System.Diagnostics;
using Webhooks.Api.Errors;
using Webhooks.Api.Http;
using Webhooks.Api.Tests.Clients;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Api.Tests.Http.BadInput;

/// <summary>The classes of bad input of the suite, one test case each.</summary>
public enum BadInputClass
{
    AcceptedAmongTheBad,
    TruncatedJson,
    MalformedJson,
    WrongTypes,
    HugeValues,
    DeepNesting,
    OddUnicode,
    InvalidUtf8,
    HeaderAbuse,
    PathTricks,
    QueryTricks,
    WrongAuthenticationSchemes,
    WrongKeys,
    RevokedAndReadOnlyKeys,
    AnotherOrganizationsIds,
    SuspendedClient,
    WrongClientCredentials,
    ScopeBeforeBody,
    IdempotencySequence,
}

/// <summary>
/// The bad-input suite of issue 6: hundreds of generated requests against both surfaces (malformed
/// and truncated JSON, wrong types, huge and deeply nested values, odd Unicode, header abuse, path
/// tricks, wrong authentication, other organizations' ids, suspended clients), with accepted ones
/// among them, one test case per class of bad input against the one host of this fixture. For every
/// response: no 5xx, an <c>X-Request-Id</c>, the status the contract allows, and an error body in
/// the surface's format that reveals nothing. Afterwards the stored data must equal what the
/// accepted requests alone produce (<see cref="StoreModel"/>).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class BadInputSuiteTests
{
    private const string Json = "application/json";
    private const string Low = "wallet.balance_low";
    private const string Zero = "wallet.balance_zero";
    private const string PastDue = "subscription.past_due";
    private const string Canceled = "subscription.canceled";
    private const string NotJson = JsonBody.NotJsonMessage;
    private const string NotObject = JsonBody.NotObjectMessage;
    private const string MustBeString = JsonObjectReader.MustBeStringMessage;
    private const string BadText = JsonObjectReader.MustBeTextMessage;
    private const string Control = "must not contain control characters";
    private const string UrlChars = "must not contain white space, control characters or backslashes";
    private const string TooLong200 = "must be at most 200 characters";
    private const string TooLong2048 = "must be at most 2048 characters";
    private const string InvalidHost = UrlPolicy.InvalidHostMessage;

    private static readonly int[] Ok = [200];
    private static readonly int[] Created = [201];
    private static readonly int[] Invalid = [400];
    private static readonly int[] Unauthorized = [401];
    private static readonly int[] Forbidden = [403];
    private static readonly int[] NotFound = [404];
    private static readonly int[] NotAllowed = [405];
    private static readonly int[] Precondition = [412];
    private static readonly int[] TooLarge = [413];
    private static readonly int[] Unsupported = [415];

    /// <summary>The contract's kinds of errors a request may get (every one but the 500), by status.</summary>
    private static readonly Dictionary<int, ApiError> ErrorForStatus =
        ApiError.All.Where(e => e.Status != 500).ToDictionary(e => e.Status);

    private static readonly string[] EndpointKeys =
        ["id", "org_id", "url", "description", "events", "active", "api_version", "created_at", "updated_at", "deleted_at"];

    private readonly StoreModel _model = new();
    private readonly List<string> _violations = [];
    private readonly List<string> _secrets = [];

    private ApiFactory _factory = null!;
    private HttpClient _http = null!;
    private Guid _orgA;
    private Guid _orgB;
    private string _keyA = null!;
    private string _keyARead = null!;
    private string _revokedKeyA = null!;
    private string _keyB = null!;
    private string _a1 = null!;
    private string _a2 = null!;
    private string _a3 = null!;
    private string _a4 = null!;
    private string _aDeleted = null!;
    private string _b1 = null!;
    private string _b2 = null!;
    private IssuedClient _c1 = null!;
    private IssuedClient _c2 = null!;
    private IssuedClient _suspended = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // The suite sends hundreds of requests a second with a handful of credentials.
        _factory = ApiHelpers.StartWithEnvironment(new Dictionary<string, string?> { ["RateLimiting:Enabled"] = "false" });
        _http = ClientsApi.CreateHttpClient(_factory);

        var orgA = await _factory.CreateOrganizationAsync("webhooks:read", "webhooks:write");
        var orgB = await _factory.CreateOrganizationAsync("webhooks:read", "webhooks:write");
        _orgA = orgA.OrgId;
        _orgB = orgB.OrgId;
        _revokedKeyA = orgA.Key;
        _keyA = await _factory.CreateKeyAsync(_orgA, "webhooks:read", "webhooks:write");
        _keyARead = await _factory.CreateKeyAsync(_orgA, "webhooks:read");
        _keyB = orgB.Key;
        await _factory.RevokeKeyAsync(orgA.KeyId);

        // The starting data is made through the API too, and applied to the model like any accepted request.
        _a1 = await SetUpCreateAsync(_keyA, _orgA, $$"""{"url":"https://hooks.example.com/a1","description":"A one","events":["{{Low}}","{{Zero}}"]}""");
        _a2 = await SetUpCreateAsync(_keyA, _orgA, $$"""{"url":"https://hooks.example.com/a2","events":["{{PastDue}}"],"active":false}""");
        _a3 = await SetUpCreateAsync(_keyA, _orgA, $$"""{"url":"https://hooks.example.com/a3","description":"  A three  ","events":["{{Canceled}}","{{Low}}","{{Canceled}}"]}""");
        _a4 = await SetUpCreateAsync(_keyA, _orgA, $$"""{"url":"https://hooks.example.com/a4","events":["{{Low}}"]}""");
        _aDeleted = await SetUpCreateAsync(_keyA, _orgA, $$"""{"url":"https://hooks.example.com/gone","events":["{{Low}}"]}""");
        _b1 = await SetUpCreateAsync(_keyB, _orgB, $$"""{"url":"https://hooks.example.com/b1","description":"B one","events":["{{Zero}}"]}""");
        _b2 = await SetUpCreateAsync(_keyB, _orgB, $$"""{"url":"https://hooks.example.com/b2","events":["{{Low}}"]}""");
        await SetUpAsync(new SuiteCase("setup", HttpMethod.Delete, $"/v1/webhooks/{_aDeleted}")
        {
            Authorization = [Bearer(_keyA)], Expect = Ok, Effect = new Effect(EffectKind.Delete, EndpointId: _aDeleted),
        });

        _c1 = await ClientsApi.CreateClientAsync(_factory, "cust-suite-1");
        _c2 = await ClientsApi.CreateClientAsync(_factory, "cust-suite-2");
        _suspended = await ClientsApi.CreateClientAsync(_factory, "cust-suite-suspended");
        foreach (var client in new[] { _c1, _c2, _suspended })
        {
            _model.ClientUrls[client.ClientId] = string.Empty;
        }

        await SetUpAsync(ClientPatch("setup", _c1, ClientsApi.UrlBody("https://hooks.example.com/c1"), Ok));
        await SetUpAsync(ClientPatch("setup", _suspended, ClientsApi.UrlBody("https://hooks.example.com/suspended"), Ok));
        await ClientsApi.SuspendAsync(_factory, _suspended.ClientId);

        _secrets.AddRange([_keyA, _keyARead, _revokedKeyA, _keyB, _c1.ClientSecret, _c2.ClientSecret, _suspended.ClientSecret]);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http?.Dispose();
        await ApiHelpers.DisposeAsync(_factory);
    }

    /// <summary>Each class of bad input with the requests that make it; the sequence runs in order, the others shuffled.</summary>
    private IEnumerable<SuiteCase> Cases(BadInputClass kind) => kind switch
    {
        BadInputClass.AcceptedAmongTheBad => Accepted(),
        BadInputClass.TruncatedJson => Truncated(),
        BadInputClass.MalformedJson => Malformed(),
        BadInputClass.WrongTypes => WrongTypes(),
        BadInputClass.HugeValues => Huge(),
        BadInputClass.DeepNesting => Deep(),
        BadInputClass.OddUnicode => OddUnicode(),
        BadInputClass.InvalidUtf8 => InvalidUtf8(),
        BadInputClass.HeaderAbuse => HeaderAbuse(),
        BadInputClass.PathTricks => PathTricks(),
        BadInputClass.QueryTricks => QueryTricks(),
        BadInputClass.WrongAuthenticationSchemes => WrongSchemes(),
        BadInputClass.WrongKeys => WrongKeys(),
        BadInputClass.RevokedAndReadOnlyKeys => RevokedAndReadOnly(),
        BadInputClass.AnotherOrganizationsIds => OtherOrganization(),
        BadInputClass.SuspendedClient => SuspendedClient(),
        BadInputClass.WrongClientCredentials => WrongClientCredentials(),
        BadInputClass.ScopeBeforeBody => ScopeBeforeBody(),
        _ => Sequential(),
    };

    [Test]
    [Order(1)]
    public async Task Bad_input_never_fails_the_service_and_is_answered_as_the_contract_says([Values] BadInputClass kind)
    {
        _violations.Clear();
        var cases = Cases(kind).ToList();
        if (kind != BadInputClass.IdempotencySequence)
        {
            // Requests whose meaning depends on an earlier one are the sequence's; the others in any order.
            var random = new Random(6);
            for (var i = cases.Count - 1; i > 0; i--)
            {
                var j = random.Next(i + 1);
                (cases[i], cases[j]) = (cases[j], cases[i]);
            }
        }

        var statuses = new SortedDictionary<int, int>();
        var watch = Stopwatch.StartNew();
        foreach (var request in cases)
        {
            var reply = await SendAsync(request);
            Check(request, reply);
            statuses[reply.Status] = statuses.GetValueOrDefault(reply.Status) + 1;
        }

        TestContext.Out.WriteLine($"{kind}: {cases.Count} requests in {watch.Elapsed.TotalSeconds:F1} s; statuses {string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}"))}");
        Assert.That(cases, Is.Not.Empty);
        Assert.That(_violations, Is.Empty, $"{_violations.Count} violation(s):{Environment.NewLine}" + string.Join(Environment.NewLine, _violations.Take(60)));
    }

    [Test]
    public void The_suite_sends_at_least_300_requests_to_both_surfaces()
    {
        var cases = Enum.GetValues<BadInputClass>().SelectMany(Cases).ToList();

        Assert.That(cases, Has.Count.GreaterThanOrEqualTo(300), "at least 300 generated requests");
        Assert.That(cases.Select(c => IsClients(c.Path)).Distinct().Count(), Is.EqualTo(2), "both surfaces are exercised");
    }

    [Test]
    [Order(2)]
    public async Task The_stored_data_is_what_the_accepted_requests_alone_produce()
    {
        _violations.Clear();

        await CompareStoredDataAsync();

        Assert.That(_violations, Is.Empty, $"{_violations.Count} violation(s):{Environment.NewLine}" + string.Join(Environment.NewLine, _violations.Take(60)));
    }

    // ---- set-up -------------------------------------------------------------------------------

    private async Task<string> SetUpCreateAsync(string key, Guid org, string body)
    {
        var reply = await SetUpAsync(V1Post("setup", body, Created, key, org));
        using var document = JsonDocument.Parse(reply.Body);
        return document.RootElement.GetProperty("id").GetString()!;
    }

    private async Task<Reply> SetUpAsync(SuiteCase request)
    {
        var reply = await SendAsync(request);
        Assert.That(request.Expect, Does.Contain(reply.Status), $"{request.Describe()}: {reply.Body}");
        Check(request, reply);
        Assert.That(_violations, Is.Empty, string.Join(Environment.NewLine, _violations));
        return reply;
    }
}
