namespace TenantEmulator;

// OWNER: emulator-core helper. Request log, Bearer check, latency, fault injection, request-id.
public static class EmulatorPipeline
{
    public static void Use(WebApplication app, EmulatorStore store) { }
}
