global using Microsoft.Data.Sqlite;
global using Microsoft.EntityFrameworkCore;
global using Microsoft.Extensions.DependencyInjection;
global using Webhooks.Infrastructure.Persistence;
global using Webhooks.Infrastructure.Tests.Support;
