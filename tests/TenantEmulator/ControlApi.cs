using System.Text.Json;
using System.Text.Json.Nodes;

namespace TenantEmulator;

/// <summary>
/// /_emulator/*: what tests use to seed, inspect and disturb the tenant. No token needed, never
/// faulted, delayed or logged. Bodies and answers are plain JSON (schema: tenants/README.md).
/// </summary>
public static class ControlApi
{
    public static void Map(WebApplication app, TenantDirectory tenants)
    {
        app.MapGet("/_emulator/state", (HttpContext http) => Json(TenantDirectory.Of(http).Snapshot()));
        app.MapPut("/_emulator/state", async (HttpRequest request) =>
        {
            var store = TenantDirectory.Of(request.HttpContext);
            if (await ReadAsync(request) is not JsonObject state) return Problem("The state must be a JSON object.");
            store.Replace(state);
            return Results.NoContent();
        });
        // Several tenants in one emulator (TenantDirectory): add one (its state, as for PUT /state), list them.
        app.MapPost("/_emulator/tenants", async (HttpRequest request) =>
        {
            if (await ReadAsync(request) is not JsonObject state) return Problem("The tenant must be a JSON object.");
            try
            {
                tenants.Add(state);
            }
            catch (ArgumentException e)
            {
                return Problem(e.Message);
            }
            return Results.NoContent();
        });
        app.MapGet("/_emulator/tenants", () => Json(new JsonObject
        {
            ["value"] = new JsonArray(tenants.All().Select(t => (JsonNode)new JsonObject
            {
                ["tenantId"] = t.TenantId,
                ["primary"] = ReferenceEquals(t.Store, tenants.Primary),
            }).ToArray()),
        }));

        app.MapPost("/_emulator/reset", (HttpContext http) =>
        {
            var store = TenantDirectory.Of(http);
            store.Reset();
            return Results.NoContent();
        });

        app.MapGet("/_emulator/requests", (HttpContext http) => Json(new JsonObject
        {
            ["value"] = JsonSerializer.SerializeToNode(TenantDirectory.Of(http).Log.Entries(), EmulatorStore.Json),
        }));
        app.MapDelete("/_emulator/requests", (HttpContext http) =>
        {
            var store = TenantDirectory.Of(http);
            store.Log.Clear();
            return Results.NoContent();
        });

        app.MapGet("/_emulator/faults", (HttpContext http) => Json(new JsonObject { ["value"] = TenantDirectory.Of(http).Faults.ToJson() }));
        app.MapPost("/_emulator/faults", async (HttpRequest request) =>
        {
            var store = TenantDirectory.Of(request.HttpContext);
            if (await ReadAsync(request) is not JsonObject body) return Problem("The fault must be a JSON object.");
            Fault fault;
            try { fault = Fault.Parse(body); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException) { return Problem(e.Message); }
            store.Faults.Add(fault);
            return Results.Text(fault.ToJson().ToJsonString(GraphErrors.Wire), "application/json", statusCode: 201);
        });
        app.MapDelete("/_emulator/faults", (HttpContext http) =>
        {
            var store = TenantDirectory.Of(http);
            store.Faults.Clear();
            return Results.NoContent();
        });

        MapMilliseconds(app, "latency", s => s.LatencyMilliseconds, (s, ms) => s.LatencyMilliseconds = ms);
        MapMilliseconds(app, "interleave", s => s.InterleaveMilliseconds, (s, ms) => s.InterleaveMilliseconds = ms);

        app.MapGet("/_emulator/replication", (HttpContext http) =>
        {
            var store = TenantDirectory.Of(http);
            lock (store.Gate)
            {
                var invisible = new JsonObject();
                foreach (var (id, reads) in store.InvisibleServicePrincipals) invisible[id] = reads;
                var replicating = new JsonObject();
                foreach (var (id, until) in store.ReplicatingUntil) replicating[id] = until.ToString("O");
                return Json(new JsonObject
                {
                    ["servicePrincipalReads"] = store.ServicePrincipalReplicationReads,
                    ["invisibleServicePrincipals"] = invisible,
                    ["seconds"] = store.ReplicationDelay.TotalSeconds,
                    ["exchangeSeconds"] = store.ExchangeReplicationDelay?.TotalSeconds,
                    ["replicatingUntil"] = replicating,
                });
            }
        });
        app.MapPut("/_emulator/replication", async (HttpRequest request) =>
        {
            var store = TenantDirectory.Of(request.HttpContext);
            var body = await ReadAsync(request) as JsonObject;
            const string usage = "Send {\"servicePrincipalReads\": n} (n >= 0), {\"seconds\": s} and/or {\"exchangeSeconds\": s} (0 <= s <= 600; exchangeSeconds -1 = the same as seconds).";
            if (body is null || (body["servicePrincipalReads"] is null && body["seconds"] is null && body["exchangeSeconds"] is null)) return Problem(usage);
            var reads = 0;
            if (body["servicePrincipalReads"] is not null && (!TryInt(body["servicePrincipalReads"], out reads) || reads < 0)) return Problem(usage);
            double seconds = 0;
            if (body["seconds"] is not null && (!TryDouble(body["seconds"], out seconds) || seconds < 0 || seconds > 600)) return Problem(usage);
            double exchangeSeconds = -1;
            if (body["exchangeSeconds"] is not null && (!TryDouble(body["exchangeSeconds"], out exchangeSeconds) || exchangeSeconds < -1 || exchangeSeconds > 600)) return Problem(usage);
            lock (store.Gate)
            {
                if (body["servicePrincipalReads"] is not null) store.ServicePrincipalReplicationReads = reads;
                if (body["seconds"] is not null) store.ReplicationDelay = TimeSpan.FromSeconds(seconds);
                if (body["exchangeSeconds"] is not null) store.ExchangeReplicationDelay = exchangeSeconds < 0 ? null : TimeSpan.FromSeconds(exchangeSeconds);
            }
            return Results.NoContent();
        });

        app.MapGet("/_emulator/graph-options", (HttpContext http) =>
        {
            var store = TenantDirectory.Of(http);
            lock (store.Gate) return Json(GraphOptions(store));
        });
        app.MapPut("/_emulator/graph-options", async (HttpRequest request) =>
        {
            var store = TenantDirectory.Of(request.HttpContext);
            var body = await ReadAsync(request) as JsonObject;
            var value = body?["expiredCertificateSentBack"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            if (value is not ("reject" or "accept")) return Problem("Send {\"expiredCertificateSentBack\": \"reject\" | \"accept\"}.");
            lock (store.Gate)
            {
                store.RejectExpiredCertificateSentBack = value == "reject";
                return Json(GraphOptions(store));
            }
        });
    }

    /// <summary>A knob in milliseconds: GET shows it, PUT {"milliseconds": n} sets it.</summary>
    private static void MapMilliseconds(WebApplication app, string name, Func<EmulatorStore, int> get, Action<EmulatorStore, int> set)
    {
        app.MapGet($"/_emulator/{name}", (HttpContext http) => Json(new JsonObject { ["milliseconds"] = get(TenantDirectory.Of(http)) }));
        app.MapPut($"/_emulator/{name}", async (HttpRequest request) =>
        {
            var body = await ReadAsync(request) as JsonObject;
            if (!TryInt(body?["milliseconds"], out var ms) || ms < 0) return Problem("Send {\"milliseconds\": n} with n >= 0.");
            set(TenantDirectory.Of(request.HttpContext), ms);
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

    private static JsonObject GraphOptions(EmulatorStore store) =>
        new() { ["expiredCertificateSentBack"] = store.RejectExpiredCertificateSentBack ? "reject" : "accept" };

    private static bool TryDouble(JsonNode? node, out double value)
    {
        value = 0;
        return node is JsonValue v && (v.TryGetValue(out value) || (v.TryGetValue<string>(out var s)
            && double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value)));
    }

    private static bool TryInt(JsonNode? node, out int value)
    {
        value = 0;
        return node is JsonValue v && (v.TryGetValue(out value) || (v.TryGetValue<string>(out var s) && int.TryParse(s, out value)));
    }
}
