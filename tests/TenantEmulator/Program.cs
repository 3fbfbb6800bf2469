using TenantEmulator;

// Usage: TenantEmulator --tenant <file.json> [--port 0] [--port-file <path>] [--parent-pid <pid>]
//        [--authority-cert-file <cert.pem> --authority-port-file <path>]
// With the authority options it also serves the identity platform's endpoints over https on a port
// of its own (Identity/EntraAuthority.cs), writing that port and its self-signed certificate (PEM,
// public part only) for the test process to trust (SSL_CERT_FILE).
// Binds 127.0.0.1 only, prints "Listening on http://127.0.0.1:<port>" on stdout and writes the port
// to --port-file when given. With --parent-pid it exits by itself once that process is gone, so a
// test run that dies cannot leave an emulator behind.
var options = EmulatorOptions.Parse(args);
var authorityCertificate = options.AuthorityCertFile is null ? null : EntraAuthority.NewCertificate();
var host = await EmulatorHost.StartAsync(EmulatorStore.FromFile(options.TenantFile), options.Port, authorityCertificate: authorityCertificate);
if (authorityCertificate is not null)
{
    File.WriteAllText(options.AuthorityCertFile!, authorityCertificate.ExportCertificatePem());
    File.WriteAllText(options.AuthorityPortFile! + ".tmp", host.AuthorityUri!.Port.ToString());
    File.Move(options.AuthorityPortFile! + ".tmp", options.AuthorityPortFile!, overwrite: true);
    Console.WriteLine($"Authority on {host.AuthorityUri}");
}

if (options.PortFile is not null)
{
    // Written aside then moved, so a reader never sees a half-written port.
    File.WriteAllText(options.PortFile + ".tmp", host.Port.ToString());
    File.Move(options.PortFile + ".tmp", options.PortFile, overwrite: true);
}
Console.WriteLine($"Listening on http://127.0.0.1:{host.Port}");
ParentWatch.ExitWhenGone(options.ParentPid, host.App);
await host.App.WaitForShutdownAsync();
