using System.Net;

namespace TenantEmulator;

/// <summary>
/// A running emulator: Kestrel on 127.0.0.1 (port 0 = a free one) serving one tenant, or several (<see cref="TenantDirectory"/>). Used by
/// Program (the process the Pester tests start) and by the xunit tests, which host it in-process.
/// </summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    public WebApplication App { get; }
    public EmulatorStore Store { get; }

    /// <summary>Every tenant served: <see cref="Store"/> is the primary.</summary>
    public TenantDirectory Tenants { get; }
    public int Port { get; }
    public Uri BaseUri => new($"http://127.0.0.1:{Port}");

    /// <summary>The identity platform's endpoints over https (EntraAuthority), when started with a certificate; else null.</summary>
    public Uri? AuthorityUri { get; private set; }

    private EmulatorHost(WebApplication app, TenantDirectory tenants, int port)
    {
        App = app;
        Tenants = tenants;
        Store = tenants.Primary;
        Port = port;
    }

    /// <param name="configure">Extra endpoints (tests use it to stand in for an API), mapped before the fallback.</param>
    /// <param name="authorityCertificate">With it, the identity platform's endpoints are also served over https on a port of their own (<see cref="AuthorityUri"/>).</param>
    public static async Task<EmulatorHost> StartAsync(EmulatorStore store, int port = 0, Action<WebApplication>? configure = null,
        System.Security.Cryptography.X509Certificates.X509Certificate2? authorityCertificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            if (authorityCertificate is not null) k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(authorityCertificate));
        });
        builder.Services.AddSingleton(store);
        var tenants = new TenantDirectory(store);

        var app = builder.Build();
        EmulatorPipeline.Use(app, tenants);
        ControlApi.Map(app, tenants);
        GraphApi.Map(app);
        ExchangeAdminApi.Map(app);
        CloudShellTokenEndpoint.Map(app, store);
        EntraAuthority.Map(app, tenants);
        configure?.Invoke(app);
        // Whatever no API claimed: answered in Graph's error shape.
        app.MapFallback(context => GraphErrors.WriteAsync(context, 404, "UnknownRoute",
            $"No emulated endpoint at '{context.Request.Method} {context.Request.Path}'."));

        await app.StartAsync();
        var urls = app.Urls.Select(u => new Uri(u)).ToList();
        var actual = urls.First(u => u.Scheme == "http").Port;
        var https = urls.FirstOrDefault(u => u.Scheme == "https");
        return new EmulatorHost(app, tenants, actual) { AuthorityUri = https is null ? null : new Uri($"https://127.0.0.1:{https.Port}") };
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
