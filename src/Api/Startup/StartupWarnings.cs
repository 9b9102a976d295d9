using Webhooks.Infrastructure;
using Webhooks.Infrastructure.Security;

namespace Webhooks.Api.Startup;

/// <summary>
/// Warns once at start (outside Development) about what production needs and the defaults leave
/// out; each warning names the setting that silences it.
/// </summary>
public sealed partial class StartupWarnings(
    KeyRingProtection keyRing, IConfiguration configuration, IHostEnvironment environment, ILogger<StartupWarnings> logger) : IHostedService
{
    public const string AutoMapperLicenseKey = "AutoMapper:LicenseKey";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (environment.IsDevelopment())
        {
            return Task.CompletedTask;
        }

        if (keyRing.Certificate is null)
        {
            LogUnencryptedKeyRing(logger, DependencyInjection.KeysDirectory(configuration, environment).FullName, KeyRingProtection.CertificatePathKey, KeyRingProtection.CertificatePasswordKey);
        }

        if (string.IsNullOrWhiteSpace(configuration[AutoMapperLicenseKey]))
        {
            LogNoAutoMapperLicense(logger, AutoMapperLicenseKey);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Data Protection key ring in {KeysPath} (it encrypts signing secrets) is stored unencrypted: set {CertificatePathSetting} to a PFX file with a private key (and {CertificatePasswordSetting}) to encrypt it with an X.509 certificate")]
    private static partial void LogUnencryptedKeyRing(ILogger logger, string keysPath, string certificatePathSetting, string certificatePasswordSetting);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{LicenseKeySetting} is not set: AutoMapper logs a licence warning when it is first used; set {LicenseKeySetting} to your AutoMapper licence key (luckypennysoftware.com) to silence it")]
    private static partial void LogNoAutoMapperLicense(ILogger logger, string licenseKeySetting);
}
