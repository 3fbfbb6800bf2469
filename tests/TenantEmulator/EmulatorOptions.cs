namespace TenantEmulator;

public sealed record EmulatorOptions(string TenantFile, int Port, string? PortFile, int? ParentPid, string? AuthorityCertFile = null, string? AuthorityPortFile = null)
{
    public static EmulatorOptions Parse(string[] args)
    {
        string? tenant = null, portFile = null, authorityCertFile = null, authorityPortFile = null;
        int port = 0;
        int? parentPid = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--tenant": tenant = Next(); break;
                case "--port": port = int.Parse(Next()); break;
                case "--port-file": portFile = Next(); break;
                case "--parent-pid": parentPid = int.Parse(Next()); break;
                case "--authority-cert-file": authorityCertFile = Next(); break;
                case "--authority-port-file": authorityPortFile = Next(); break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'");
            }
        }
        if (tenant is null) throw new ArgumentException("--tenant <file.json> is required");
        if ((authorityCertFile is null) != (authorityPortFile is null)) throw new ArgumentException("--authority-cert-file and --authority-port-file go together");
        return new EmulatorOptions(tenant, port, portFile, parentPid, authorityCertFile, authorityPortFile);
    }
}

public static class ParentWatch
{
    public static void ExitWhenGone(int? parentPid, WebApplication app)
    {
        if (parentPid is null) return;
        var thread = new Thread(() =>
        {
            while (true)
            {
                try
                {
                    using var p = System.Diagnostics.Process.GetProcessById(parentPid.Value);
                    if (p.HasExited) break;
                }
                catch (ArgumentException) { break; }
                Thread.Sleep(500);
            }
            app.Lifetime.StopApplication();
        }) { IsBackground = true, Name = "parent-watch" };
        thread.Start();
    }
}
