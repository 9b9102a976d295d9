using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Domain.Clients;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Persistence.Repositories;

namespace Webhooks.Infrastructure.Persistence.Configurations;

internal sealed class EventConfiguration : IEntityTypeConfiguration<Event>
{
    public void Configure(EntityTypeBuilder<Event> builder)
    {
        builder.ToTable("events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.OrgId).HasColumnName("org_id");
        builder.Property(e => e.ClientId).HasColumnName("client_id");
        builder.Property(e => e.Type).HasColumnName("type").IsRequired().HasMaxLength(Event.MaxClientTypeLength).IsUnicode(false);
        builder.Property(e => e.Data).HasColumnName("data").IsRequired();
        builder.Property(e => e.CreatedAt).HasColumnName("created_at");
        builder.Property(e => e.DeliveryCount).HasColumnName("delivery_count");
        builder.HasIndex(e => new { e.OrgId, e.Id }).HasDatabaseName("ix_events_org_id_id");
        builder.HasIndex(e => e.CreatedAt).HasDatabaseName("ix_events_created_at");
        builder.HasListPosition();
        builder.HasIndex(nameof(Event.OrgId), ListPosition.Property).HasDatabaseName("ix_events_org_id_list_position");
    }
}

/// <summary>
/// The deliveries table is the outbox: a delivery row is written in the transaction that stores its
/// event, and workers claim due rows with a lease (<see cref="LeaseOwnerProperty"/>,
/// <see cref="LeaseExpiresAtProperty"/>; see docs/decisions/0012-delivery-queue.md).
/// </summary>
internal sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public const string Table = "deliveries";

    public const string LeaseOwnerProperty = "LeaseOwner";

    public const string LeaseExpiresAtProperty = "LeaseExpiresAt";

    /// <summary>The status as stored: its lower-case name, as the API shows it.</summary>
    public static string StatusText(DeliveryStatus status) => status.ToString().ToLowerInvariant();

    public void Configure(EntityTypeBuilder<Delivery> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(d => d.EventId).HasColumnName("event_id");
        builder.Property(d => d.EventType).HasColumnName("event_type").IsRequired().HasMaxLength(Event.MaxClientTypeLength).IsUnicode(false);
        builder.Property(d => d.OrgId).HasColumnName("org_id");
        builder.Property(d => d.EndpointId).HasColumnName("endpoint_id");
        builder.Property(d => d.ClientId).HasColumnName("client_id");
        builder.Property(d => d.Status).HasColumnName("status").IsRequired().HasMaxLength(16).IsUnicode(false)
            .HasConversion(status => StatusText(status), text => Enum.Parse<DeliveryStatus>(text, ignoreCase: true));
        builder.Property(d => d.AttemptCount).HasColumnName("attempt_count");
        builder.Property(d => d.ScheduledAttempts).HasColumnName("scheduled_attempts");
        builder.Property(d => d.NextAttemptAt).HasColumnName("next_attempt_at");
        builder.Property(d => d.LastAttemptAt).HasColumnName("last_attempt_at");
        builder.Property(d => d.LastResponseStatus).HasColumnName("last_response_status");
        builder.Property(d => d.CreatedAt).HasColumnName("created_at");
        // Every change to a delivery moves updated_at (an attempt's record, a cancellation): a write
        // based on a stale read fails and is retried from a fresh one.
        builder.Property(d => d.UpdatedAt).HasColumnName("updated_at").IsConcurrencyToken();
        builder.Property<string?>(LeaseOwnerProperty).HasColumnName("lease_owner").HasMaxLength(64).IsUnicode(false);
        builder.Property<DateTimeOffset?>(LeaseExpiresAtProperty).HasColumnName("lease_expires_at");
        builder.Ignore(d => d.Target);
        builder.Ignore(d => d.HasEnded);

        builder.HasOne<Event>().WithMany().HasForeignKey(d => d.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Client>().WithMany().HasForeignKey(d => d.ClientId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(d => d.Attempts).WithOne().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(d => d.Attempts).UsePropertyAccessMode(PropertyAccessMode.Field).HasField("_attempts");

        // What a worker claims: pending, due, in due order. Only pending rows are in the index, so it
        // stays as small as the backlog however many deliveries have ended. The receiver columns let a
        // claim skip a busy receiver's rows in the index itself, without reading the table's row.
        builder.HasIndex(d => new { d.NextAttemptAt, d.EndpointId, d.ClientId }).HasDatabaseName("ix_deliveries_due").HasFilter("status = 'pending'");
        builder.HasIndex(d => new { d.EndpointId, d.Status }).HasDatabaseName("ix_deliveries_endpoint_id_status");
        builder.HasIndex(d => new { d.ClientId, d.Status }).HasDatabaseName("ix_deliveries_client_id_status");
        // An event's deliveries (and the foreign key) use ix_deliveries_event_id_list_position below.
        // What the retention job deletes: ended deliveries, oldest first (docs/decisions/0016-retention.md).
        builder.HasIndex(d => d.CreatedAt).HasDatabaseName("ix_deliveries_created_at");
        builder.HasListPosition();
        builder.HasIndex(nameof(Delivery.EndpointId), ListPosition.Property).HasDatabaseName("ix_deliveries_endpoint_id_list_position");
        builder.HasIndex(nameof(Delivery.EventId), ListPosition.Property).HasDatabaseName("ix_deliveries_event_id_list_position");
    }
}

internal static class ListPositionConfiguration
{
    /// <summary>The <see cref="ListPosition"/> column: the id's text, fixed-length ASCII.</summary>
    public static void HasListPosition<T>(this EntityTypeBuilder<T> builder)
        where T : class =>
        builder.Property<string>(ListPosition.Property).HasColumnName(ListPosition.Column)
            .IsRequired().HasMaxLength(36).IsFixedLength().IsUnicode(false);
}

internal sealed class DeliveryAttemptConfiguration : IEntityTypeConfiguration<DeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<DeliveryAttempt> builder)
    {
        builder.ToTable("delivery_attempts");
        builder.HasKey(a => new { a.DeliveryId, a.Number });
        builder.Property(a => a.DeliveryId).HasColumnName("delivery_id");
        builder.Property(a => a.Number).HasColumnName("number").ValueGeneratedNever();
        builder.Property(a => a.Trigger).HasColumnName("trigger").IsRequired().HasMaxLength(16).IsUnicode(false)
            .HasConversion(trigger => trigger.ToString().ToLowerInvariant(), text => Enum.Parse<AttemptTrigger>(text, ignoreCase: true));
        builder.Property(a => a.StartedAt).HasColumnName("started_at");
        builder.Property(a => a.DurationMs).HasColumnName("duration_ms");
        builder.Property(a => a.ResponseStatus).HasColumnName("response_status");
        builder.Property(a => a.ResponseBody).HasColumnName("response_body").HasMaxLength(AttemptResult.MaxResponseBodyBytes);
        builder.Property(a => a.Error).HasColumnName("error").HasMaxLength(DeliveryAttempt.MaxErrorLength);
    }
}
