namespace TenantEmulator;

// OWNER: emulator-core helper. /v1.0/* endpoints.
public static class GraphApi
{
    public static void Map(WebApplication app, EmulatorStore store) { }
}
