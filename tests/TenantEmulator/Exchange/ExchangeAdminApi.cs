using System.Text.Json;
using System.Text.Json.Nodes;

namespace TenantEmulator;

// OWNER: exchange helper. /adminapi/beta/{organization}/InvokeCommand and /_emulator/exchange/*.
//
// POST /adminapi/beta/{organization}/InvokeCommand
//   body  {"CmdletInput":{"CmdletName":"New-ServicePrincipal","Parameters":{"AppId":"...","ObjectId":"..."}}}
//   200   {"@odata.context":".../adminapi/beta/$metadata#Collection(Exchange.GenericHashTable)","value":[ {...} ],"@adminapi.warnings":[]}
//   4xx   the error body of ExchangeError.ToBody() (innererror.internalexception carries message and type)
//   401   no "Authorization: Bearer ..." header
// {organization} must be one of the tenant's domain names or its tenant id when the tenant lists any.
//
// Control endpoints (no auth):
//   POST   /_emulator/exchange/faults   {"cmdlet":"New-ServicePrincipal","kind":"replication"|"error","count":N,
//                                        "message"?,"exceptionType"?,"status"?}
//   GET    /_emulator/exchange/faults   {"value":[ the queued faults ]}
//   DELETE /_emulator/exchange/faults
//   GET    /_emulator/exchange/state    the exchange section
//   POST   /_emulator/exchange/options  {"unknownIdentity":"all"|"error","duplicateRoleAssignment":"create"|"error",
//                                        "appRoles":"any"|"applicationOnly","assigneeShownAs":"objectId"|"displayName",
//                                        "defaultAssignmentName":"roleObjectId"|"roleDisplayName",
//                                        "replicationError":"azureAd"|"objectNotFound",
//                                        "replicationLagAt":"newServicePrincipal"|"newManagementRoleAssignment"}
//                                        merged into exchange.options (ExchangeCmdlets.Options says why each exists)
public static class ExchangeAdminApi
{
    public static void Map(WebApplication app)
    {
        // Each tenant has its own Exchange faults (EmulatorStore.ExchangeFaults; reset clears them).
        app.MapPost("/adminapi/beta/{organization}/InvokeCommand", async (HttpContext http, string organization) =>
        {
            var store = TenantDirectory.Of(http);
            var faults = store.ExchangeFaults;
            JsonObject? input = null;
            try
            {
                input = (await JsonNode.ParseAsync(http.Request.Body) as JsonObject)?["CmdletInput"] as JsonObject;
            }
            catch (JsonException)
            {
            }
            var cmdlet = (string?)input?["CmdletName"];
            http.Items["emulator.detail"] = cmdlet ?? "(no CmdletName)";

            var auth = http.Request.Headers.Authorization.ToString();
            if (!auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || auth.Length <= "Bearer ".Length)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return Error(new ExchangeError("System.UnauthorizedAccessException", "The request has no Bearer access token.", 401, "Ex401000"));
            }
            if (input is null || string.IsNullOrWhiteSpace(cmdlet))
                return Error(ExchangeError.Argument("The request body must be {\"CmdletInput\":{\"CmdletName\":...,\"Parameters\":{...}}}."));
            var parameters = input["Parameters"] as JsonObject ?? new JsonObject();

            try
            {
                lock (store.Gate)
                {
                    if (!KnownOrganization(store, organization))
                        return Error(new ExchangeError("Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
                            $"The organization '{organization}' couldn't be found.", 404, "Ex404000"));
                }
                JsonObject options;
                lock (store.Gate) options = new JsonObject { ["options"] = store.Exchange["options"]?.DeepClone() };
                var fault = faults.Take(cmdlet, parameters, options, out var secondAdminFirst);
                if (fault is not null) return Error(fault);
                JsonArray value;
                lock (store.Gate)
                {
                    if (secondAdminFirst) ExchangeCmdlets.Invoke(store, cmdlet, parameters);
                    value = ExchangeCmdlets.Invoke(store, cmdlet, parameters);
                }
                var context = $"{http.Request.Scheme}://{http.Request.Host}/adminapi/beta/$metadata#Collection(Exchange.GenericHashTable)";
                return Results.Json(new JsonObject
                {
                    ["@odata.context"] = context,
                    ["adminapi.warnings@odata.type"] = "#Collection(String)",
                    ["@adminapi.warnings"] = new JsonArray(),
                    ["value"] = value,
                }, EmulatorStore.Json);
            }
            catch (ExchangeError e)
            {
                return Error(e);
            }
        });

        app.MapPost("/_emulator/exchange/faults", async (HttpContext http) =>
        {
            var faults = TenantDirectory.Of(http).ExchangeFaults;
            try
            {
                var body = await JsonNode.ParseAsync(http.Request.Body) as JsonObject ?? throw new ArgumentException("Expected a JSON object.");
                return Results.Json(faults.Add(body), EmulatorStore.Json);
            }
            catch (Exception e) when (e is ArgumentException or JsonException)
            {
                return Results.Json(new JsonObject { ["error"] = e.Message }, EmulatorStore.Json, statusCode: 400);
            }
        });
        app.MapGet("/_emulator/exchange/faults", (HttpContext http) => Results.Json(new JsonObject { ["value"] = TenantDirectory.Of(http).ExchangeFaults.List() }, EmulatorStore.Json));
        app.MapDelete("/_emulator/exchange/faults", (HttpContext http) =>
        {
            TenantDirectory.Of(http).ExchangeFaults.Clear();
            return Results.NoContent();
        });

        app.MapGet("/_emulator/exchange/state", (HttpContext http) =>
        {
            var store = TenantDirectory.Of(http);
            lock (store.Gate) return Results.Json(store.Exchange.DeepClone(), EmulatorStore.Json);
        });

        app.MapPost("/_emulator/exchange/options", async (HttpContext http) =>
        {
            var store = TenantDirectory.Of(http);
            JsonObject body;
            try
            {
                body = await JsonNode.ParseAsync(http.Request.Body) as JsonObject ?? throw new JsonException("Expected a JSON object.");
            }
            catch (JsonException e)
            {
                return Results.Json(new JsonObject { ["error"] = e.Message }, EmulatorStore.Json, statusCode: 400);
            }
            var allowed = ExchangeCmdlets.Options;
            foreach (var (key, value) in body)
            {
                if (!allowed.TryGetValue(key, out var values))
                    return Results.Json(new JsonObject { ["error"] = $"Unknown option '{key}'. Known: {string.Join(", ", allowed.Keys)}." }, EmulatorStore.Json, statusCode: 400);
                var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
                if (text is null || !values.Contains(text))
                    return Results.Json(new JsonObject { ["error"] = $"Option '{key}' must be one of: {string.Join(", ", values)}." }, EmulatorStore.Json, statusCode: 400);
            }
            lock (store.Gate)
            {
                var options = store.Exchange["options"] as JsonObject;
                if (options is null)
                {
                    options = new JsonObject();
                    store.Exchange["options"] = options;
                }
                foreach (var (key, value) in body)
                    options[allowed.Keys.First(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase))] = value?.DeepClone();
                return Results.Json(options.DeepClone(), EmulatorStore.Json);
            }
        });
    }

    private static IResult Error(ExchangeError e) => Results.Json(e.ToBody(), EmulatorStore.Json, statusCode: e.Status);

    /// <summary>The {organization} path segment: a domain of the tenant or its tenant id. Any value when the tenant lists none.</summary>
    private static bool KnownOrganization(EmulatorStore store, string organization)
    {
        var names = new List<string>();
        foreach (var d in store.Collection("domains").OfType<JsonObject>())
            if ((string?)d["id"] is { } id) names.Add(id);
        var org = store.State["organization"];
        if (org is JsonObject o && (string?)o["id"] is { } oid) names.Add(oid);
        if (org is JsonArray arr)
            foreach (var item in arr.OfType<JsonObject>())
                if ((string?)item["id"] is { } aid) names.Add(aid);
        if (store.State["tenantId"] is JsonValue t && t.TryGetValue<string>(out var tid)) names.Add(tid);
        return names.Count == 0 || names.Any(n => string.Equals(n, organization, StringComparison.OrdinalIgnoreCase));
    }
}
