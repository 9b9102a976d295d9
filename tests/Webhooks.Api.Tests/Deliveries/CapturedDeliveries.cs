namespace Webhooks.Api.Tests.Deliveries;

/// <summary>
/// Keeps real deliveries, as the receiver got them, for the Node test that verifies them with the
/// receivers' own library (npm <c>standardwebhooks</c>; clients/typescript/test/signatures.test.ts):
/// <c>artifacts/captured-deliveries/{name}.json</c> with the signing secret, the three
/// <c>webhook-*</c> headers and the raw body (base64). <c>build/test.sh</c> empties the folder
/// before the .NET tests and runs the Node tests after them.
/// </summary>
public static class CapturedDeliveries
{
    public static string Folder { get; } = Path.Combine(RepositoryRoot(), "artifacts", "captured-deliveries");

    public static void Write(string name, string secret, ReceivedRequest request)
    {
        Directory.CreateDirectory(Folder);
        var capture = new Dictionary<string, object?>
        {
            ["secret"] = secret,
            ["headers"] = new Dictionary<string, string?>
            {
                ["webhook-id"] = request.Header("webhook-id"),
                ["webhook-timestamp"] = request.Header("webhook-timestamp"),
                ["webhook-signature"] = request.Header("webhook-signature"),
            },
            ["body_base64"] = Convert.ToBase64String(request.Body),
        };
        File.WriteAllText(Path.Combine(Folder, name + ".json"), JsonSerializer.Serialize(capture));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Webhooks.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Webhooks.sln not found above {AppContext.BaseDirectory}");
    }
}
