using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Xunit;

namespace TenantEmulator.Tests;

/// <summary>The identity platform's endpoints over https: device code sign-in, then a token per served tenant by refresh token.</summary>
public sealed class EntraAuthorityTests : IAsyncLifetime
{
    private const string Contoso = "6f2d4e1a-3c5b-4a7e-9d8f-1b2c3d4e5f60";
    private const string Fabrikam = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    private const string ClientId = "14d82eec-204b-4c2f-b7e8-296a70dab67e";
    private EmulatorHost _host = null!;
    private HttpClient _https = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var certificate = EntraAuthority.NewCertificate();
        _host = await EmulatorHost.StartAsync(EmulatorStore.FromFile(EmulatorTest.TenantFile("default")), authorityCertificate: certificate);
        // Trusts the emulator's own certificate only, as SSL_CERT_FILE makes a test process do.
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == certificate.Thumbprint };
        _https = new HttpClient(handler) { BaseAddress = _host.AuthorityUri };
        _http = new HttpClient { BaseAddress = _host.BaseUri };
        var fabrikam = JsonNode.Parse(File.ReadAllText(EmulatorTest.TenantFile("default")))!.AsObject();
        fabrikam["tenantId"] = Fabrikam;
        fabrikam["organization"]!["id"] = Fabrikam;
        fabrikam["organization"]!["displayName"] = "Fabrikam";
        fabrikam["domains"] = new JsonArray(new JsonObject { ["id"] = "fabrikam.onmicrosoft.com", ["isInitial"] = true, ["isVerified"] = true });
        (await _http.PostAsync("/_emulator/tenants", new StringContent(fabrikam.ToJsonString(), System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _https.Dispose();
        _http.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> Token(string tenant, Dictionary<string, string> form)
    {
        var reply = await _https.PostAsync($"/{tenant}/oauth2/v2.0/token", new FormUrlEncodedContent(form));
        return (reply.StatusCode, JsonNode.Parse(await reply.Content.ReadAsStringAsync())!.AsObject());
    }

    private async Task<string> SignInRefreshToken()
    {
        var code = JsonNode.Parse(await (await _https.PostAsync("/organizations/oauth2/v2.0/devicecode",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = ClientId, ["scope"] = "https://graph.microsoft.com/.default offline_access" }))).Content.ReadAsStringAsync())!;
        var (status, body) = await Token("organizations", new()
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code", ["client_id"] = ClientId, ["device_code"] = (string)code["device_code"]!,
        });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Contoso, Claims((string)body["access_token"]!)["tid"]!.GetValue<string>());
        return (string)body["refresh_token"]!;
    }

    private static JsonObject Claims(string jwt) => JsonNode.Parse(Base64Url.Decode(jwt.Split('.')[1]))!.AsObject();

    [Fact]
    public async Task Discovery_names_the_tenants_own_endpoints_over_https()
    {
        var doc = JsonNode.Parse(await _https.GetStringAsync($"/{Fabrikam}/v2.0/.well-known/openid-configuration"))!;

        Assert.Equal($"{_host.AuthorityUri!.ToString().TrimEnd('/')}/{Fabrikam}/oauth2/v2.0/token", (string?)doc["token_endpoint"]);
        Assert.StartsWith("https://127.0.0.1:", (string?)doc["device_authorization_endpoint"]);
    }

    [Fact]
    public async Task A_refresh_token_gets_a_token_for_a_customer_tenant_that_reaches_that_tenant_only()
    {
        var refresh = await SignInRefreshToken();

        var (status, body) = await Token(Fabrikam, new() { ["grant_type"] = "refresh_token", ["client_id"] = ClientId, ["refresh_token"] = refresh, ["scope"] = "https://graph.microsoft.com/.default" });
        var token = (string)body["access_token"]!;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1.0/organization");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var organization = JsonNode.Parse(await (await _http.SendAsync(request)).Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Fabrikam, Claims(token)["tid"]!.GetValue<string>());
        Assert.Equal("https://graph.microsoft.com", Claims(token)["aud"]!.GetValue<string>());
        Assert.Equal("Fabrikam", (string?)organization["value"]![0]!["displayName"]);
    }

    [Fact]
    public async Task A_tenant_that_needs_consent_answers_AADSTS65001_and_an_unknown_one_AADSTS90002()
    {
        var refresh = await SignInRefreshToken();
        (await _http.PutAsync("/_emulator/authority", new StringContent(new JsonObject { ["consentRequiredIn"] = new JsonArray(Fabrikam) }.ToJsonString()))).EnsureSuccessStatusCode();

        var consent = await Token(Fabrikam, new() { ["grant_type"] = "refresh_token", ["client_id"] = ClientId, ["refresh_token"] = refresh, ["scope"] = "https://graph.microsoft.com/.default" });
        var unknown = await Token(Guid.NewGuid().ToString(), new() { ["grant_type"] = "refresh_token", ["client_id"] = ClientId, ["refresh_token"] = refresh, ["scope"] = "https://graph.microsoft.com/.default" });

        Assert.Equal(HttpStatusCode.BadRequest, consent.Status);
        Assert.Equal("invalid_grant", (string?)consent.Body["error"]);
        Assert.Equal(65001, consent.Body["error_codes"]![0]!.GetValue<int>());
        Assert.Equal("consent_required", (string?)consent.Body["suberror"]);
        Assert.StartsWith("AADSTS65001:", (string?)consent.Body["error_description"]);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Equal(90002, unknown.Body["error_codes"]![0]!.GetValue<int>());
    }
}
