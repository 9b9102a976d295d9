using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Domain.Idempotency;
using Webhooks.Domain.Organizations;

namespace Webhooks.Infrastructure.Persistence.Configurations;

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_keys");
        builder.HasKey(r => new { r.OrgId, r.Key });
        builder.Property(r => r.OrgId).HasColumnName("org_id");
        builder.Property(r => r.Key).HasColumnName("key").HasMaxLength(IdempotencyRecord.MaxKeyLength).IsUnicode(false);
        builder.Property(r => r.RequestHash).HasColumnName("request_hash").IsRequired().HasMaxLength(64).IsFixedLength().IsUnicode(false);
        builder.Property(r => r.ProtectedResponse).HasColumnName("response").IsRequired().IsUnicode(false);
        builder.Property(r => r.CreatedAt).HasColumnName("created_at");
        // What the retention job deletes once expired (docs/decisions/0016-retention.md).
        builder.HasIndex(r => r.CreatedAt).HasDatabaseName("ix_idempotency_keys_created_at");
        builder.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrgId).OnDelete(DeleteBehavior.Cascade);
    }
}
