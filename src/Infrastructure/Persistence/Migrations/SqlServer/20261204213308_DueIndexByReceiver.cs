using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhooks.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class DueIndexByReceiver : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_deliveries_due",
                table: "deliveries");

            migrationBuilder.DropIndex(
                name: "ix_deliveries_event_id",
                table: "deliveries");

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_due",
                table: "deliveries",
                columns: new[] { "next_attempt_at", "endpoint_id", "client_id" },
                filter: "status = 'pending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_deliveries_due",
                table: "deliveries");

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_due",
                table: "deliveries",
                column: "next_attempt_at",
                filter: "status = 'pending'");

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_event_id",
                table: "deliveries",
                column: "event_id");
        }
    }
}
