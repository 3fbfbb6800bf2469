using System.Text.Json;
using System.Text.Json.Nodes;

namespace TenantEmulator;

/// <summary>
/// /_emulator/*: what tests use to seed, inspect and disturb the tenant. No token needed, never
/// faulted, delayed or logged. Bodies and answers are plain JSON (schema: tenants/README.md).
/// </summary>
public static class ControlApi
{
    public static void Map(WebApplication app, EmulatorStore store)
    {
        app.MapGet("/_emulator/state", () => Json(store.Snapshot()));
        app.MapPut("/_emulator/state", async (HttpRequest request) =>
        {
            if (await ReadAsync(request) is not JsonObject state) return Problem("The state must be a JSON object.");
            store.Replace(state);
            return Results.NoContent();
        });
        app.MapPost("/_emulator/reset", () =>
        {
            store.Reset();
            return Results.NoContent();
        });

        app.MapGet("/_emulator/requests", () => Json(new JsonObject
        {
            ["value"] = JsonSerializer.SerializeToNode(store.Log.Entries(), EmulatorStore.Json),
        }));
        app.MapDelete("/_emulator/requests", () =>
        {
            store.Log.Clear();
            return Results.NoContent();
        });

        app.MapGet("/_emulator/faults", () => Json(new JsonObject { ["value"] = store.Faults.ToJson() }));
        app.MapPost("/_emulator/faults", async (HttpRequest request) =>
        {
            if (await ReadAsync(request) is not JsonObject body) return Problem("The fault must be a JSON object.");
            Fault fault;
            try { fault = Fault.Parse(body); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException) { return Problem(e.Message); }
            store.Faults.Add(fault);
            return Results.Text(fault.ToJson().ToJsonString(GraphErrors.Wire), "application/json", statusCode: 201);
        });
        app.MapDelete("/_emulator/faults", () =>
        {
            store.Faults.Clear();
            return Results.NoContent();
        });

        MapMilliseconds(app, "latency", () => store.LatencyMilliseconds, ms => store.LatencyMilliseconds = ms);
        MapMilliseconds(app, "interleave", () => store.InterleaveMilliseconds, ms => store.InterleaveMilliseconds = ms);

        app.MapGet("/_emulator/replication", () =>
        {
            lock (store.Gate)
            {
                var invisible = new JsonObject();
                foreach (var (id, reads) in store.InvisibleServicePrincipals) invisible[id] = reads;
                return Json(new JsonObject
                {
                    ["servicePrincipalReads"] = store.ServicePrincipalReplicationReads,
                    ["invisibleServicePrincipals"] = invisible,
                });
            }
        });
        app.MapPut("/_emulator/replication", async (HttpRequest request) =>
        {
            var body = await ReadAsync(request) as JsonObject;
            if (!TryInt(body?["servicePrincipalReads"], out var reads) || reads < 0) return Problem("Send {\"servicePrincipalReads\": n} with n >= 0.");
            lock (store.Gate) store.ServicePrincipalReplicationReads = reads;
            return Results.NoContent();
        });
    }

    /// <summary>A knob in milliseconds: GET shows it, PUT {"milliseconds": n} sets it.</summary>
    private static void MapMilliseconds(WebApplication app, string name, Func<int> get, Action<int> set)
    {
        app.MapGet($"/_emulator/{name}", () => Json(new JsonObject { ["milliseconds"] = get() }));
        app.MapPut($"/_emulator/{name}", async (HttpRequest request) =>
        {
            var body = await ReadAsync(request) as JsonObject;
            if (!TryInt(body?["milliseconds"], out var ms) || ms < 0) return Problem("Send {\"milliseconds\": n} with n >= 0.");
            set(ms);
            return Results.NoContent();
        });
    }

    private static IResult Json(JsonNode node) => Results.Text(node.ToJsonString(GraphErrors.Wire), "application/json");

    private static IResult Problem(string message) =>
        Results.Text(new JsonObject { ["error"] = message }.ToJsonString(), "application/json", statusCode: 400);

    private static async Task<JsonNode?> ReadAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync();
        try { return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text); }
        catch (JsonException) { return null; }
    }

    private static bool TryInt(JsonNode? node, out int value)
    {
        value = 0;
        return node is JsonValue v && (v.TryGetValue(out value) || (v.TryGetValue<string>(out var s) && int.TryParse(s, out value)));
    }
}
