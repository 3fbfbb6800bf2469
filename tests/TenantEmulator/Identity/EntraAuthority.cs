using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace TenantEmulator;

/// <summary>
/// The Microsoft identity platform's endpoints for the tenants the emulator serves, so that the
/// module's real sign-in (Azure.Identity, MSAL) can run against it: MSAL takes only an https
/// authority, so these are served on a second listener, https://127.0.0.1:&lt;port&gt;, with a
/// self-signed certificate the emulator makes at start (trusted by the test process through
/// SSL_CERT_FILE). Shapes as the v2.0 endpoints answer (identity platform docs: OpenID Connect
/// discovery, v2-oauth2-device-code, v2-oauth2-auth-code-flow "refresh the access token", reference-error-codes):
/// - GET /{tenant}/v2.0/.well-known/openid-configuration;
/// - POST /{tenant}/oauth2/v2.0/devicecode: approved at once for the signed-in account;
/// - POST /{tenant}/oauth2/v2.0/token: grant device_code (the account's home tenant for
///   organizations/common) and refresh_token (at any served tenant: a token whose tid is that
///   tenant, the silent token a partner gets for a customer through GDAP). A tenant listed in
///   consentRequiredIn answers 400 invalid_grant AADSTS65001 (consent_required), as GDAP does for a
///   client the customer never consented (partner-center gdap-supported-workloads); a tenant the
///   emulator does not serve answers 400 AADSTS90002 "Tenant ... not found".
/// Tokens are unsigned JWTs (alg none) with tid, oid, upn, scp, aud, exp. Control:
/// PUT /_emulator/authority {"upn", "scopes", "consentRequiredIn": [tenant ids], "latencyMilliseconds"}:
/// the last a fixed delay per identity request (discovery, devicecode, token; the Bench sets it to
/// the Graph latency: a token request is a round trip of its own). Reset clears all but scopes.
/// </summary>
public static class EntraAuthority
{
    private sealed class Settings
    {
        public string? Upn;
        public string Oid = "0a1b2c3d-1111-4222-8333-944455566677";
        public string Scopes = "Application.ReadWrite.All AppRoleAssignment.ReadWrite.All User.Read";
        public HashSet<string> ConsentRequiredIn = new(StringComparer.OrdinalIgnoreCase);
        // A request to login.microsoftonline.com is a round trip like a Graph one; 0 = none (the default).
        public int LatencyMilliseconds;
    }

    /// <summary>A self-signed certificate for 127.0.0.1 (server authentication), made at start.</summary>
    public static X509Certificate2 NewCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }

    public static void Map(WebApplication app, TenantDirectory tenants)
    {
        var settings = new Settings();
        // Refresh token -> the account's home tenant it was issued in (one account: the partner's).
        var refreshTokens = new ConcurrentDictionary<string, string>();
        tenants.Primary.AfterReset += () => { lock (settings) { settings.Upn = null; settings.ConsentRequiredIn.Clear(); settings.LatencyMilliseconds = 0; } };
        Task Delay() { int ms; lock (settings) ms = settings.LatencyMilliseconds; return ms > 0 ? Task.Delay(ms) : Task.CompletedTask; }

        app.MapPut("/_emulator/authority", async (HttpRequest request) =>
        {
            if (await JsonNode.ParseAsync(request.Body) is not JsonObject body) return Results.BadRequest();
            lock (settings)
            {
                if ((string?)body["upn"] is { } upn) settings.Upn = upn;
                if ((string?)body["scopes"] is { } scopes) settings.Scopes = scopes;
                if (body["latencyMilliseconds"] is JsonValue latency && latency.TryGetValue(out int ms) && ms >= 0) settings.LatencyMilliseconds = ms;
                if (body["consentRequiredIn"] is JsonArray consent)
                    settings.ConsentRequiredIn = new HashSet<string>(consent.Select(c => (string?)c).OfType<string>(), StringComparer.OrdinalIgnoreCase);
            }
            return Results.NoContent();
        });

        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", async (HttpContext context, string tenant) =>
        {
            await Delay();
            var authority = $"{Base(context)}/{tenant}";
            return Json(200, new JsonObject
            {
                ["issuer"] = $"{Base(context)}/{(IsMultiTenant(tenant) ? "{tenantid}" : tenant)}/v2.0",
                ["authorization_endpoint"] = $"{authority}/oauth2/v2.0/authorize",
                ["token_endpoint"] = $"{authority}/oauth2/v2.0/token",
                ["device_authorization_endpoint"] = $"{authority}/oauth2/v2.0/devicecode",
                ["jwks_uri"] = $"{authority}/discovery/v2.0/keys",
                ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
                ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "private_key_jwt", "client_secret_basic"),
            });
        });

        app.MapPost("/{tenant}/oauth2/v2.0/devicecode", async (string tenant) =>
        {
            await Delay();
            return Json(200, new JsonObject
            {
                ["device_code"] = "emulator-device-code-" + Guid.NewGuid().ToString("N"),
                ["user_code"] = "EMULATOR",
                ["verification_uri"] = "https://microsoft.com/devicelogin",
                ["expires_in"] = 900,
                ["interval"] = 1,
                ["message"] = "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code EMULATOR to authenticate. (Tenant emulator: approved at once.)",
            });
        });

        app.MapPost("/{tenant}/oauth2/v2.0/token", async (HttpContext context, string tenant) =>
        {
            await Delay();
            var form = await context.Request.ReadFormAsync();
            var grant = form["grant_type"].ToString();
            string target;
            // The docs name the URN (v2-oauth2-device-code); MSAL.NET sends "device_code", which Entra takes too.
            if (grant is "urn:ietf:params:oauth:grant-type:device_code" or "device_code")
            {
                target = IsMultiTenant(tenant) ? TenantIdOf(tenants.Primary) : tenant;
            }
            else if (grant == "refresh_token")
            {
                if (!refreshTokens.ContainsKey(form["refresh_token"].ToString()))
                    return Error("invalid_grant", 9002313, "AADSTS9002313: Invalid request. Request is malformed or invalid.");
                target = IsMultiTenant(tenant) ? TenantIdOf(tenants.Primary) : tenant;
            }
            else return Error("unsupported_grant_type", 70003, $"AADSTS70003: The app requested an unsupported grant type '{grant}'.");

            var store = tenants.Find(target);
            if (store is null)
                return Error("invalid_request", 90002, $"AADSTS90002: Tenant '{target}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.");
            var tid = TenantIdOf(store);
            string upn, oid, scopes;
            lock (settings)
            {
                if (settings.ConsentRequiredIn.Contains(tid))
                    return Error("invalid_grant", 65001, "AADSTS65001: The user or administrator has not consented to use the application with ID '" + form["client_id"] +
                        "' named 'Microsoft Graph Command Line Tools'. Send an interactive authorization request for this user and resource.", "consent_required");
                upn = settings.Upn ?? "admin@" + (TenantDirectory.InitialDomainOf(tenants.Primary) ?? "contoso.onmicrosoft.com");
                oid = settings.Oid;
                scopes = settings.Scopes;
            }
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var resource = (form["scope"].ToString().Split(' ').FirstOrDefault(s => s.Contains("://")) ?? "https://graph.microsoft.com/.default");
            var audience = resource[..resource.LastIndexOf('/')];
            var refresh = "emulator-refresh-" + Guid.NewGuid().ToString("N");
            refreshTokens[refresh] = TenantIdOf(tenants.Primary);
            return Json(200, new JsonObject
            {
                ["token_type"] = "Bearer",
                ["scope"] = string.Join(' ', scopes.Split(' ').Select(s => $"{audience}/{s}")) + " openid profile offline_access",
                ["expires_in"] = 3600,
                ["ext_expires_in"] = 3600,
                ["access_token"] = Unsigned(new JsonObject
                {
                    ["aud"] = audience, ["iss"] = $"https://sts.windows.net/{tid}/", ["iat"] = now, ["nbf"] = now, ["exp"] = now + 3600,
                    ["tid"] = tid, ["oid"] = oid, ["upn"] = upn, ["scp"] = scopes, ["appid"] = form["client_id"].ToString(),
                }),
                ["refresh_token"] = refresh,
                ["id_token"] = Unsigned(new JsonObject
                {
                    ["aud"] = form["client_id"].ToString(), ["iss"] = $"{Base(context)}/{tid}/v2.0", ["iat"] = now, ["nbf"] = now, ["exp"] = now + 3600,
                    ["oid"] = oid, ["sub"] = oid, ["tid"] = tid, ["preferred_username"] = upn, ["name"] = upn, ["ver"] = "2.0",
                }),
                ["client_info"] = Base64Url.Encode(new JsonObject { ["uid"] = oid, ["utid"] = TenantIdOf(tenants.Primary) }.ToJsonString()),
            });
        });
    }

    private static bool IsMultiTenant(string tenant) => tenant is "organizations" or "common";

    private static string Base(HttpContext context) => $"https://{context.Request.Host}";

    private static string TenantIdOf(EmulatorStore store) => TenantDirectory.TenantIdOf(store) ?? "";

    private static string Unsigned(JsonObject payload) =>
        $"{Base64Url.Encode("{\"typ\":\"JWT\",\"alg\":\"none\"}")}.{Base64Url.Encode(payload.ToJsonString())}.";

    // The identity platform's error body (reference-error-codes): error, error_description, error_codes, timestamp, trace_id, correlation_id.
    private static IResult Error(string error, int code, string description, string? suberror = null)
    {
        var body = new JsonObject
        {
            ["error"] = error,
            ["error_description"] = $"{description}\r\nTrace ID: {Guid.NewGuid()}\r\nCorrelation ID: {Guid.NewGuid()}\r\nTimestamp: {DateTime.UtcNow:yyyy-MM-dd HH:mm:ssZ}",
            ["error_codes"] = new JsonArray(code),
            ["timestamp"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ssZ"),
            ["trace_id"] = Guid.NewGuid().ToString(),
            ["correlation_id"] = Guid.NewGuid().ToString(),
        };
        if (suberror is not null) body["suberror"] = suberror;
        return Json(400, body);
    }

    private static IResult Json(int status, JsonObject body) => Results.Text(body.ToJsonString(), "application/json; charset=utf-8", statusCode: status);
}
