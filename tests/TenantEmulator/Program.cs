using System.Net;
using TenantEmulator;

// Usage: TenantEmulator --tenant <file.json> [--port 0] [--port-file <path>] [--parent-pid <pid>]
// Binds 127.0.0.1 only, prints "Listening on http://127.0.0.1:<port>" on stdout and writes the port
// to --port-file when given. With --parent-pid it exits by itself once that process is gone, so a
// test run that dies cannot leave an emulator behind.
var options = EmulatorOptions.Parse(args);
var store = EmulatorStore.FromFile(options.TenantFile);

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
builder.Services.AddSingleton(store);

var app = builder.Build();
EmulatorPipeline.Use(app, store);
ControlApi.Map(app, store);
GraphApi.Map(app, store);
ExchangeAdminApi.Map(app, store);

await app.StartAsync();
var port = new Uri(app.Urls.First()).Port;
if (options.PortFile is not null)
{
    File.WriteAllText(options.PortFile + ".tmp", port.ToString());
    File.Move(options.PortFile + ".tmp", options.PortFile, overwrite: true);
}
Console.WriteLine($"Listening on http://127.0.0.1:{port}");
ParentWatch.ExitWhenGone(options.ParentPid, app);
await app.WaitForShutdownAsync();
