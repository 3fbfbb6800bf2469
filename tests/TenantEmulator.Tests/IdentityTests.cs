using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Xunit;

namespace TenantEmulator.Tests;

/// <summary>The Cloud Shell token endpoint, and what Graph does with the claims of a Bearer JWT.</summary>
public sealed class IdentityTests : EmulatorTest
{
    private static string Jwt(JsonObject claims) =>
        Base64Url.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Base64Url.Encode(claims.ToJsonString()) + ".";

    private static Action<HttpRequestMessage> As(string token) => r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

    private static JsonObject Claims(string? scp = null, string[]? roles = null, DateTimeOffset? exp = null)
    {
        var claims = new JsonObject { ["tid"] = "t", ["exp"] = (exp ?? DateTimeOffset.UtcNow.AddHours(1)).ToUnixTimeSeconds() };
        if (scp is not null) claims["scp"] = scp;
        if (roles is not null) claims["roles"] = new JsonArray(roles.Select(r => (JsonNode)r).ToArray());
        return claims;
    }

    private async Task<Reply> Token(string? resource, bool metadata = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, CloudShellTokenEndpoint.Path)
        {
            Content = new FormUrlEncodedContent(resource is null ? [] : [new KeyValuePair<string, string>("resource", resource)]),
        };
        if (metadata) request.Headers.Add("Metadata", "true");
        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text), response);
    }

    [Fact]
    public async Task The_Cloud_Shell_endpoint_serves_the_configured_claims_for_the_resource_asked()
    {
        await Send(HttpMethod.Put, "/_emulator/cloudshell", new JsonObject { ["claims"] = new JsonObject { ["upn"] = "alex@contoso.com", ["scp"] = "User.Read" } });
        var reply = await Token("https://graph.microsoft.com");

        Assert.Equal(200, reply.Code);
        Assert.Equal("Bearer", (string?)reply.Body!["token_type"]);
        Assert.Equal("https://graph.microsoft.com", (string?)reply.Body["resource"]);
        var expiresOn = long.Parse((string)reply.Body["expires_on"]!);
        Assert.InRange(expiresOn, DateTimeOffset.UtcNow.AddMinutes(50).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(70).ToUnixTimeSeconds());
        var payload = JsonNode.Parse(Base64Url.Decode(((string)reply.Body["access_token"]!).Split('.')[1]))!;
        Assert.Equal("alex@contoso.com", (string?)payload["upn"]);
        Assert.Equal("User.Read", (string?)payload["scp"]);
        Assert.Equal("https://graph.microsoft.com", (string?)payload["aud"]);
        Assert.Equal("6f2d4e1a-3c5b-4a7e-9d8f-1b2c3d4e5f60", (string?)payload["tid"]);
    }

    [Fact]
    public async Task The_Cloud_Shell_endpoint_refuses_other_audiences_and_requests_without_Metadata()
    {
        var audience = await Token("https://vault.azure.net");
        Assert.Equal(400, audience.Code);
        Assert.Equal("AudienceNotSupported", audience.ErrorCode);

        var noHeader = await Token("https://graph.microsoft.com", metadata: false);
        Assert.Equal(400, noHeader.Code);
        Assert.Equal("invalid_request", (string?)noHeader.Body!["error"]);
    }

    [Fact]
    public async Task A_write_needs_the_permission_in_scp_or_for_an_app_only_token_in_roles()
    {
        var body = new JsonObject { ["requiredResourceAccess"] = new JsonArray() };
        var url = $"/v1.0/applications/{DropzoneAppObjectId}";

        var reader = await Send(HttpMethod.Patch, url, body, As(Jwt(Claims(scp: "User.Read Application.Read.All"))));
        Assert.Equal((403, "Authorization_RequestDenied"), (reader.Code, reader.ErrorCode));
        Assert.Equal("Insufficient privileges to complete the operation.", (string?)reader.Body!["error"]!["message"]);
        Assert.Equal(200, (await Send(HttpMethod.Get, url, configure: As(Jwt(Claims(scp: "User.Read"))))).Code);

        Assert.Equal(204, (await Send(HttpMethod.Patch, url, body, As(Jwt(Claims(scp: "Directory.AccessAsUser.All"))))).Code);
        Assert.Equal(204, (await Send(HttpMethod.Patch, url, body, As(Jwt(Claims(roles: ["Application.ReadWrite.OwnedBy"]))))).Code);
        // A delegated scope name in roles does not count: app-only tokens are judged by roles.
        Assert.Equal(403, (await Send(HttpMethod.Patch, url, body, As(Jwt(Claims(roles: ["Directory.AccessAsUser.All"]))))).Code);
        // An opaque (non-JWT) token is not judged at all.
        Assert.Equal(204, (await Patch(url, body)).Code);
    }

    [Fact]
    public async Task Consent_needs_AppRoleAssignment_ReadWrite_All_with_a_permission_to_read_applications()
    {
        var body = new JsonObject { ["principalId"] = ExchangeSpId, ["resourceId"] = ExchangeSpId, ["appRoleId"] = ManageAsApp };
        var url = $"/v1.0/servicePrincipals/{ExchangeSpId}/appRoleAssignedTo";
        Assert.Equal(403, (await Send(HttpMethod.Post, url, body, As(Jwt(Claims(scp: "Application.ReadWrite.All"))))).Code);
        Assert.Equal(403, (await Send(HttpMethod.Post, url, body, As(Jwt(Claims(scp: "AppRoleAssignment.ReadWrite.All"))))).Code);
        Assert.Equal(201, (await Send(HttpMethod.Post, url, body, As(Jwt(Claims(scp: "AppRoleAssignment.ReadWrite.All Application.Read.All"))))).Code);
    }

    [Fact]
    public async Task An_expired_JWT_is_401_InvalidAuthenticationToken()
    {
        var reply = await Send(HttpMethod.Get, "/v1.0/organization", configure: As(Jwt(Claims(scp: "User.Read", exp: DateTimeOffset.UtcNow.AddHours(-1)))));
        Assert.Equal((401, "InvalidAuthenticationToken"), (reply.Code, reply.ErrorCode));
    }
}
