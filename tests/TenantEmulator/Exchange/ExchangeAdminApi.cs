namespace TenantEmulator;

// OWNER: exchange helper. /adminapi/beta/{organization}/InvokeCommand and /_emulator/exchange/*.
public static class ExchangeAdminApi
{
    public static void Map(WebApplication app, EmulatorStore store) { }
}
