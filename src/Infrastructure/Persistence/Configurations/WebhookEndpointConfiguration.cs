using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Persistence.Repositories;

namespace Webhooks.Infrastructure.Persistence.Configurations;

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    /// <summary>
    /// The start of the endpoint's current run of failed attempts (<c>null</c> after a success): kept by
    /// the attempt recorder with set-based statements, not a change a user sees (no revision, no
    /// history; see docs/decisions/0014-endpoint-history-and-deactivation.md).
    /// </summary>
    public const string FailingSinceProperty = "FailingSince";

    private const string OrgIdColumn = nameof(WebhookEndpoint.OrgId);

    public void Configure(EntityTypeBuilder<WebhookEndpoint> builder)
    {
        builder.ToTable("webhook_endpoints");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.OrgId).HasColumnName("org_id");
        builder.Property(e => e.Url).HasColumnName("url").IsRequired().HasMaxLength(HttpsUrl.MaxLength)
            .HasConversion(url => url.Value, value => HttpsUrl.FromStored(value));

        // 200 code points are at most 400 UTF-16 code units.
        builder.Property(e => e.Description).HasColumnName("description").HasMaxLength(Description.MaxLength * 2)
            .HasConversion(description => description!.Value, value => Description.FromStored(value));
        builder.Ignore(e => e.Events);
        builder.Property<List<string>>("_events").HasColumnName("events").IsRequired()
            .UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasConversion(JsonListConverter.Converter, JsonListConverter.Comparer);
        builder.Property(e => e.Active).HasColumnName("active");
        builder.Property(e => e.ApiVersion).HasColumnName("api_version").IsRequired().HasMaxLength(32);
        builder.Property(e => e.CreatedAt).HasColumnName("created_at");
        builder.Property(e => e.UpdatedAt).HasColumnName("updated_at");
        builder.Property(e => e.DeletedAt).HasColumnName("deleted_at");
        builder.Ignore(e => e.IsDeleted);
        builder.Ignore(e => e.ReceivesDeliveries);
        builder.Ignore(e => e.DomainEvents);
        builder.Property(e => e.Revision).HasColumnName("revision").IsConcurrencyToken();
        builder.Property(e => e.ProtectedSecret).HasColumnName("signing_secret").IsRequired().HasMaxLength(1024).IsUnicode(false);
        builder.Property(e => e.PreviousProtectedSecret).HasColumnName("previous_signing_secret").HasMaxLength(1024).IsUnicode(false);
        builder.Property(e => e.PreviousSecretExpiresAt).HasColumnName("previous_secret_expires_at");

        builder.Property<DateTimeOffset?>(FailingSinceProperty).HasColumnName("failing_since");
        builder.HasListPosition();

        builder.HasOne<Organization>().WithMany().HasForeignKey(e => e.OrgId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => new { e.OrgId, e.Id }).HasDatabaseName("ix_webhook_endpoints_org_id_id");
        builder.HasIndex(WebhookEndpointConfiguration.OrgIdColumn, ListPosition.Property)
            .HasDatabaseName("ix_webhook_endpoints_org_id_list_position");
    }
}
