using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Domain.Organizations;

namespace Webhooks.Infrastructure.Persistence.Configurations;

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> builder)
    {
        builder.ToTable("organizations");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(o => o.Name).HasColumnName("name").IsRequired().HasMaxLength(Organization.MaxNameLength);
        builder.Property(o => o.CreatedAt).HasColumnName("created_at");
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(k => k.OrgId).HasColumnName("org_id");
        builder.Property(k => k.Name).HasColumnName("name").HasMaxLength(ApiKey.MaxNameLength);
        builder.Property(k => k.KeyHash).HasColumnName("key_hash").IsRequired().HasMaxLength(64).IsFixedLength().IsUnicode(false);
        builder.Ignore(k => k.Scopes);
        builder.Property<List<string>>("_scopes").HasColumnName("scopes").IsRequired()
            .UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasConversion(JsonListConverter.Converter, JsonListConverter.Comparer);
        builder.Property(k => k.CreatedAt).HasColumnName("created_at");
        builder.Property(k => k.RevokedAt).HasColumnName("revoked_at");
        builder.Ignore(k => k.IsRevoked);

        builder.HasOne<Organization>().WithMany().HasForeignKey(k => k.OrgId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(k => k.KeyHash).IsUnique().HasDatabaseName("ux_api_keys_key_hash");
    }
}
