using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Domain.Clients;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Infrastructure.Persistence.Configurations;

internal sealed class ClientConfiguration : IEntityTypeConfiguration<Client>
{
    public void Configure(EntityTypeBuilder<Client> builder)
    {
        builder.ToTable("clients");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(c => c.CustomerId).HasColumnName("customer_id").IsRequired().HasMaxLength(Client.MaxCustomerIdLength);
        builder.Property(c => c.SecretHash).HasColumnName("secret_hash").IsRequired().HasMaxLength(64).IsFixedLength().IsUnicode(false);
        builder.Property(c => c.WebhookUrl).HasColumnName("webhook_url").HasMaxLength(HttpsUrl.MaxLength)
            .HasConversion(url => url!.Value, value => HttpsUrl.FromStored(value));
        builder.Property(c => c.CreatedAt).HasColumnName("created_at");
        builder.Property(c => c.UpdatedAt).HasColumnName("updated_at");
        builder.Property(c => c.SuspendedAt).HasColumnName("suspended_at");
        builder.Property(c => c.ProtectedWebhookSecret).HasColumnName("webhook_secret").HasMaxLength(1024).IsUnicode(false);
        builder.Ignore(c => c.IsSuspended);
        builder.Ignore(c => c.ReceivesDeliveries);
        builder.Ignore(c => c.DomainEvents);
        builder.HasIndex(c => c.CustomerId).HasDatabaseName("ix_clients_customer_id");
    }
}
