using AutoMapper;
using FluentValidation;
using MediatR;
using Webhooks.Application.Common.Paging;
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
    public const int DefaultLimit = ListPaging.DefaultLimit;

    public const int MaxLimit = ListPaging.MaxLimit;

    public const int MaxCursorLength = ListPaging.MaxCursorLength;

    public const string InvalidLimitMessage = ListPaging.InvalidLimitMessage;

    public const string InvalidCursorMessage = ListPaging.InvalidCursorMessage;

    public static bool IsValidLimit(int limit) => ListPaging.IsValidLimit(limit);
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
        var (data, hasMore, nextCursor) = ListPaging.Page(items, request.Limit, mapper.Map<WebhookEndpointResponse>, endpoint => endpoint.Id, orgId, cursors);
        return new WebhookEndpointPage(data, hasMore, nextCursor);
    }
}
