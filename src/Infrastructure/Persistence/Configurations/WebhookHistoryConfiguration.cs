using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Application.Webhooks.ListWebhookHistory;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Persistence.Repositories;

namespace Webhooks.Infrastructure.Persistence.Configurations;

/// <summary>
/// The endpoints' history (append-only): one row per change, written in the change's transaction
/// (<see cref="WritePath.EndpointHistoryRows"/>), listed newest first per endpoint by its
/// <see cref="ListPosition"/>.
/// </summary>
internal sealed class WebhookHistoryConfiguration : IEntityTypeConfiguration<WebhookHistoryRecord>
{
    public void Configure(EntityTypeBuilder<WebhookHistoryRecord> builder)
    {
        builder.ToTable("webhook_endpoint_history");
        builder.HasKey(h => h.Id);
        builder.Property(h => h.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(h => h.EndpointId).HasColumnName("endpoint_id");
        builder.Property(h => h.At).HasColumnName("at");
        builder.Property(h => h.ActorType).HasColumnName("actor_type").IsRequired().HasMaxLength(16).IsUnicode(false);
        builder.Property(h => h.ActorId).HasColumnName("actor_id");
        builder.Property(h => h.ActorReason).HasColumnName("actor_reason").HasMaxLength(200);
        builder.Property(h => h.Action).HasColumnName("action").IsRequired().HasMaxLength(32).IsUnicode(false);
        builder.Property(h => h.Changes).HasColumnName("changes").IsRequired();
        builder.HasListPosition();

        builder.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(h => h.EndpointId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(nameof(WebhookHistoryRecord.EndpointId), ListPosition.Property).HasDatabaseName("ix_webhook_endpoint_history_endpoint_id_list_position");
    }
}
