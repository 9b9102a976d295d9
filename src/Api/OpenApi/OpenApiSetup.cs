using Microsoft.AspNetCore.OpenApi;
using Webhooks.Api.Errors;

namespace Webhooks.Api.OpenApi;

/// <summary>
/// The OpenAPI document of both surfaces (served at <c>/openapi/v1.json</c>, written at build time to
/// <c>docs/openapi/v1.json</c>) and Swagger UI at <c>/swagger</c>.
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentName = "v1";

    public const string DocumentPath = "/openapi/{documentName}.json";

    public static IServiceCollection AddWebhooksOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_1;
            options.CreateSchemaReferenceId = type => type.Type == typeof(ClientsProblem)
                ? "ProblemDetails"
                : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            options.AddDocumentTransformer<DocumentTransformer>();
            options.AddOperationTransformer<OperationTransformer>();
            options.AddSchemaTransformer<SchemaTransformer>();
        });
        return services;
    }

    public static WebApplication UseWebhooksSwaggerUi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = "swagger";
            options.DocumentTitle = "Webhooks configuration service";
            options.SwaggerEndpoint($"/openapi/{DocumentName}.json", "Webhooks configuration service v1");
        });
        return app;
    }
}
