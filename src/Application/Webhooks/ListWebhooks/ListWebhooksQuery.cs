using System.Globalization;
using AutoMapper;
using FluentValidation;
using MediatR;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Common;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Webhooks.ListWebhooks;

/// <summary>A page of the organization's endpoints, newest first; <c>limit</c> and <c>cursor</c> as sent in the query string.</summary>
[RequiresScope(Scopes.WebhooksRead)]
public sealed record ListWebhooksQuery(string? Limit, string? Cursor) : IRequest<WebhookEndpointPage>
{
    public const int DefaultLimit = 20;

    public const int MaxLimit = 100;

    public int PageSize => Limit is null ? DefaultLimit : int.Parse(Limit, NumberStyles.None, CultureInfo.InvariantCulture);
}

/// <summary>The query string: both parameters are checked, and reported, together.</summary>
public sealed class ListWebhooksQueryValidator : AbstractValidator<ListWebhooksQuery>
{
    public ListWebhooksQueryValidator(IListCursorCodec cursors, ICurrentCaller currentCaller)
    {
        RuleFor(query => query.Limit)
            .Must(limit => int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= ListWebhooksQuery.MaxLimit)
            .WithMessage($"must be an integer from 1 to {ListWebhooksQuery.MaxLimit}")
            .OverridePropertyName("limit")
            .When(query => query.Limit is not null);
        RuleFor(query => query.Cursor)
            .Must(cursor => cursor!.Length is > 0 and <= 1024
                && currentCaller.Caller?.OrgId is { } orgId && cursors.Decode(orgId, cursor) is not null)
            .WithMessage(ListWebhooksQueryHandler.InvalidCursorMessage)
            .OverridePropertyName("cursor")
            .When(query => query.Cursor is not null);
    }
}

public sealed class ListWebhooksQueryHandler(IWebhookEndpointRepository endpoints, IListCursorCodec cursors, ICurrentCaller currentCaller, IMapper mapper)
    : IRequestHandler<ListWebhooksQuery, WebhookEndpointPage>
{
    public const string InvalidCursorMessage = "is not a valid cursor";

    public async Task<WebhookEndpointPage> Handle(ListWebhooksQuery request, CancellationToken cancellationToken)
    {
        var orgId = currentCaller.Caller!.RequireOrganization();
        Guid? after = null;
        if (request.Cursor is not null)
        {
            after = cursors.Decode(orgId, request.Cursor) ?? throw new ValidationFailedException("cursor", InvalidCursorMessage);
        }

        var pageSize = request.PageSize;
        var items = await endpoints.ListAsync(orgId, after, pageSize + 1, cancellationToken);
        var hasMore = items.Count > pageSize;
        var page = items.Take(pageSize).Select(mapper.Map<WebhookEndpointResponse>).ToList();
        return new WebhookEndpointPage(page, hasMore, hasMore ? cursors.Encode(orgId, page[^1].Id) : null);
    }
}
