using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhooks.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class DeliveryLists : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "list_position",
                table: "events",
                type: "char(36)",
                unicode: false,
                fixedLength: true,
                maxLength: 36,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "list_position",
                table: "deliveries",
                type: "char(36)",
                unicode: false,
                fixedLength: true,
                maxLength: 36,
                nullable: false,
                defaultValue: "");

            // Rows from before this migration take their position from their id. EXEC: an idempotent
            // script runs the column's ALTER and this UPDATE in one batch, compiled before the column exists.
            migrationBuilder.Sql("EXEC(N'UPDATE [events] SET [list_position] = LOWER(CONVERT(char(36), [id]));');");
            migrationBuilder.Sql("EXEC(N'UPDATE [deliveries] SET [list_position] = LOWER(CONVERT(char(36), [id]));');");

            migrationBuilder.CreateIndex(
                name: "ix_events_org_id_list_position",
                table: "events",
                columns: new[] { "org_id", "list_position" });

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_endpoint_id_list_position",
                table: "deliveries",
                columns: new[] { "endpoint_id", "list_position" });

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_event_id_list_position",
                table: "deliveries",
                columns: new[] { "event_id", "list_position" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_events_org_id_list_position",
                table: "events");

            migrationBuilder.DropIndex(
                name: "ix_deliveries_endpoint_id_list_position",
                table: "deliveries");

            migrationBuilder.DropIndex(
                name: "ix_deliveries_event_id_list_position",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "list_position",
                table: "events");

            migrationBuilder.DropColumn(
                name: "list_position",
                table: "deliveries");
        }
    }
}
