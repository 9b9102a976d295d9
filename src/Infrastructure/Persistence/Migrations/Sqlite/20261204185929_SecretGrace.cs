using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhooks.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SecretGrace : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "previous_secret_expires_at",
                table: "webhook_endpoints",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "previous_signing_secret",
                table: "webhook_endpoints",
                type: "TEXT",
                unicode: false,
                maxLength: 1024,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "previous_secret_expires_at",
                table: "webhook_endpoints");

            migrationBuilder.DropColumn(
                name: "previous_signing_secret",
                table: "webhook_endpoints");
        }
    }
}
