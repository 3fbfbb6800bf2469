using TenantEmulator;

// Usage: TenantEmulator --tenant <file.json> [--port 0] [--port-file <path>] [--parent-pid <pid>]
// Binds 127.0.0.1 only, prints "Listening on http://127.0.0.1:<port>" on stdout and writes the port
// to --port-file when given. With --parent-pid it exits by itself once that process is gone, so a
// test run that dies cannot leave an emulator behind.
var options = EmulatorOptions.Parse(args);
var host = await EmulatorHost.StartAsync(EmulatorStore.FromFile(options.TenantFile), options.Port);

if (options.PortFile is not null)
{
    // Written aside then moved, so a reader never sees a half-written port.
    File.WriteAllText(options.PortFile + ".tmp", host.Port.ToString());
    File.Move(options.PortFile + ".tmp", options.PortFile, overwrite: true);
}
Console.WriteLine($"Listening on http://127.0.0.1:{host.Port}");
ParentWatch.ExitWhenGone(options.ParentPid, host.App);
await host.App.WaitForShutdownAsync();
