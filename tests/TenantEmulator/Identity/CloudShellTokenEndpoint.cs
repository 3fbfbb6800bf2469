using System.Text.Json.Nodes;

namespace TenantEmulator;

/// <summary>
/// Azure Cloud Shell's local token endpoint, what MSI_ENDPOINT points at (azure-docs
/// articles/cloud-shell/msi-authorization.md; MSAL's CloudShellManagedIdentitySource):
/// POST /oauth2/token with the form field "resource" and the header "Metadata: true" answers
/// {access_token, expires_on, resource, token_type} for the user signed in to the portal, for an
/// allow-list of audiences; any other gets 400 "AudienceNotSupported".
///
/// Which Graph scopes the portal's token carries is UNCONFIRMED, so the token's claims are set by
/// the tests (PUT /_emulator/cloudshell {"claims":{...},"audiences":[...]}), which run the module
/// under a token with the scopes and one without. The token is an unsigned JWT (alg none) whose
/// aud is the resource asked for.
/// </summary>
public static class CloudShellTokenEndpoint
{
    public const string Path = "/oauth2/token";

    private sealed class Settings
    {
        public JsonObject Claims = new();
        public List<string>? Audiences;
    }

    public static void Map(WebApplication app, EmulatorStore store)
    {
        var settings = new Settings();
        store.AfterReset += () => { lock (settings) { settings.Claims = new JsonObject(); settings.Audiences = null; } };

        app.MapGet("/_emulator/cloudshell", () =>
        {
            lock (settings) return Results.Text(new JsonObject
            {
                ["claims"] = settings.Claims.DeepClone(),
                ["audiences"] = settings.Audiences is null ? null : new JsonArray(settings.Audiences.Select(a => (JsonNode)a).ToArray()),
            }.ToJsonString(), "application/json");
        });
        app.MapPut("/_emulator/cloudshell", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            if (JsonNode.Parse(await reader.ReadToEndAsync()) is not JsonObject body || body["claims"] is not JsonObject claims)
                return Results.Text("{\"error\":\"Send {\\\"claims\\\":{...},\\\"audiences\\\":[...]}.\"}", "application/json", statusCode: 400);
            lock (settings)
            {
                settings.Claims = (JsonObject)claims.DeepClone();
                settings.Audiences = (body["audiences"] as JsonArray)?.Select(a => (string?)a).OfType<string>().ToList();
            }
            return Results.NoContent();
        });

        app.MapPost(Path, async (HttpContext context) =>
        {
            // Required as for every managed identity endpoint (IMDS answers this message without it).
            if (!string.Equals(context.Request.Headers["Metadata"].FirstOrDefault(), "true", StringComparison.OrdinalIgnoreCase))
                return Json(400, new JsonObject { ["error"] = "invalid_request", ["error_description"] = "Required metadata header not specified" });
            var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync() : null;
            var resource = form?["resource"].FirstOrDefault()?.Trim() ?? "";
            var baseUrl = $"{context.Request.Scheme}://{context.Request.Host}";
            JsonObject claims;
            List<string> audiences;
            lock (settings)
            {
                claims = (JsonObject)settings.Claims.DeepClone();
                // The emulator stands in for Graph, so its own address is an audience like graph.microsoft.com.
                audiences = settings.Audiences ?? ["https://graph.microsoft.com", "https://management.azure.com", baseUrl];
            }
            if (!audiences.Any(a => string.Equals(a.TrimEnd('/'), resource.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)))
                return Json(400, new JsonObject
                {
                    ["error"] = new JsonObject
                    {
                        ["code"] = "AudienceNotSupported",
                        ["message"] = $"Audience {resource} is not a supported MSI token audience. Supported audiences: {string.Join(",", audiences)}.",
                    },
                });

            var now = DateTimeOffset.UtcNow;
            var expires = now.AddHours(1).ToUnixTimeSeconds();
            string tenantId;
            lock (store.Gate) tenantId = (string?)store.State["tenantId"] ?? "";
            claims["aud"] = resource;
            claims["tid"] ??= tenantId;
            claims["iss"] ??= $"https://sts.windows.net/{claims["tid"]}/";
            claims["iat"] = now.ToUnixTimeSeconds();
            claims["nbf"] = now.ToUnixTimeSeconds();
            claims["exp"] = expires;
            var token = Base64Url.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Base64Url.Encode(claims.ToJsonString()) + ".";
            return Json(200, new JsonObject
            {
                ["access_token"] = token,
                ["expires_on"] = expires.ToString(),
                ["resource"] = resource,
                ["token_type"] = "Bearer",
            });
        });
    }

    private static IResult Json(int status, JsonObject body) => Results.Text(body.ToJsonString(), "application/json", statusCode: status);
}
