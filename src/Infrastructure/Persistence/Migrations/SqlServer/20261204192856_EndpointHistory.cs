using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhooks.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class EndpointHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "failing_since",
                table: "webhook_endpoints",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "webhook_endpoint_history",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    endpoint_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    actor_type = table.Column<string>(type: "varchar(16)", unicode: false, maxLength: 16, nullable: false),
                    actor_id = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    actor_reason = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    action = table.Column<string>(type: "varchar(32)", unicode: false, maxLength: 32, nullable: false),
                    changes = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    list_position = table.Column<string>(type: "char(36)", unicode: false, fixedLength: true, maxLength: 36, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_endpoint_history", x => x.id);
                    table.ForeignKey(
                        name: "FK_webhook_endpoint_history_webhook_endpoints_endpoint_id",
                        column: x => x.endpoint_id,
                        principalTable: "webhook_endpoints",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_webhook_endpoint_history_endpoint_id_list_position",
                table: "webhook_endpoint_history",
                columns: new[] { "endpoint_id", "list_position" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "webhook_endpoint_history");

            migrationBuilder.DropColumn(
                name: "failing_since",
                table: "webhook_endpoints");
        }
    }
}
