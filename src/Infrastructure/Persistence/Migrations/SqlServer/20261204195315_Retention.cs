using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhooks.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Retention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_idempotency_keys_created_at",
                table: "idempotency_keys",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_created_at",
                table: "deliveries",
                column: "created_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_idempotency_keys_created_at",
                table: "idempotency_keys");

            migrationBuilder.DropIndex(
                name: "ix_deliveries_created_at",
                table: "deliveries");
        }
    }
}
