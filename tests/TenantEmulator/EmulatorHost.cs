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

    private EmulatorHost(WebApplication app, TenantDirectory tenants, int port)
    {
        App = app;
        Tenants = tenants;
        Store = tenants.Primary;
        Port = port;
    }

    /// <param name="configure">Extra endpoints (tests use it to stand in for an API), mapped before the fallback.</param>
    public static async Task<EmulatorHost> StartAsync(EmulatorStore store, int port = 0, Action<WebApplication>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddSingleton(store);
        var tenants = new TenantDirectory(store);

        var app = builder.Build();
        EmulatorPipeline.Use(app, tenants);
        ControlApi.Map(app, tenants);
        GraphApi.Map(app);
        ExchangeAdminApi.Map(app);
        CloudShellTokenEndpoint.Map(app, store);
        configure?.Invoke(app);
        // Whatever no API claimed: answered in Graph's error shape.
        app.MapFallback(context => GraphErrors.WriteAsync(context, 404, "UnknownRoute",
            $"No emulated endpoint at '{context.Request.Method} {context.Request.Path}'."));

        await app.StartAsync();
        var actual = new Uri(app.Urls.First()).Port;
        return new EmulatorHost(app, tenants, actual);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
