namespace TenantEmulator;

// OWNER: emulator-core helper. /_emulator/* endpoints for tests.
public static class ControlApi
{
    public static void Map(WebApplication app, EmulatorStore store) { }
}
