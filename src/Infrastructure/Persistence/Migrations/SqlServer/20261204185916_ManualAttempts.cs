using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhooks.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ManualAttempts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "scheduled_attempts",
                table: "deliveries",
                type: "int",
                nullable: false,
                defaultValue: 0);

            // Every attempt so far was scheduled: the current round is all of them.
            migrationBuilder.Sql("EXEC(N'UPDATE [deliveries] SET [scheduled_attempts] = [attempt_count];');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "scheduled_attempts",
                table: "deliveries");
        }
    }
}
