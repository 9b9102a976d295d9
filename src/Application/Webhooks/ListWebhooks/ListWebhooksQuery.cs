using AutoMapper;
using FluentValidation;
using MediatR;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Webhooks.ListWebhooks;

/// <summary>A page of the organization's endpoints, newest first.</summary>
/// <param name="Limit">The page size, 1 to <see cref="MaxLimit"/>.</param>
/// <param name="After">The decoded cursor: the id of the previous page's last endpoint; <c>null</c> for the first page.</param>
[RequiresScope(Scopes.WebhooksRead)]
public sealed record ListWebhooksQuery(int Limit = ListWebhooksQuery.DefaultLimit, Guid? After = null) : IRequest<WebhookEndpointPage>
{
    public const int DefaultLimit = 20;

    public const int MaxLimit = 100;

    public const int MaxCursorLength = 1024;

    public const string InvalidLimitMessage = "must be an integer from 1 to 100";

    public const string InvalidCursorMessage = "is not a valid cursor";

    public static bool IsValidLimit(int limit) => limit is >= 1 and <= MaxLimit;
}

/// <summary>The page size, for callers that do not come through the API (which reports it with the cursor).</summary>
public sealed class ListWebhooksQueryValidator : AbstractValidator<ListWebhooksQuery>
{
    public ListWebhooksQueryValidator() =>
        RuleFor(query => query.Limit).Must(ListWebhooksQuery.IsValidLimit).WithMessage(ListWebhooksQuery.InvalidLimitMessage).OverridePropertyName("limit");
}

public sealed class ListWebhooksQueryHandler(IWebhookEndpointRepository endpoints, IListCursorCodec cursors, ICurrentCaller currentCaller, IMapper mapper)
    : IRequestHandler<ListWebhooksQuery, WebhookEndpointPage>
{
    public async Task<WebhookEndpointPage> Handle(ListWebhooksQuery request, CancellationToken cancellationToken)
    {
        var orgId = currentCaller.Caller!.RequireOrganization();
        var items = await endpoints.ListAsync(orgId, request.After, request.Limit + 1, cancellationToken);
        var hasMore = items.Count > request.Limit;
        var page = items.Take(request.Limit).Select(mapper.Map<WebhookEndpointResponse>).ToList();
        return new WebhookEndpointPage(page, hasMore, hasMore ? cursors.Encode(orgId, page[^1].Id) : null);
    }
}
