using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace TenantEmulator.Tests;

/// <summary>Several tenants in one emulator: each request reaches the tenant its token (or Exchange organization) names.</summary>
public sealed class MultiTenantTests : EmulatorTest
{
    private const string Fabrikam = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    private static JsonObject FabrikamState()
    {
        var state = JsonNode.Parse(File.ReadAllText(TenantFile("default")))!.AsObject();
        state["tenantId"] = Fabrikam;
        state["organization"]!["id"] = Fabrikam;
        state["organization"]!["displayName"] = "Fabrikam";
        state["domains"] = new JsonArray(new JsonObject { ["id"] = "fabrikam.onmicrosoft.com", ["isInitial"] = true, ["isDefault"] = true, ["isVerified"] = true });
        state["applications"]![0]!["displayName"] = "Dropzone AI (Fabrikam)";
        return state;
    }

    private static string Token(string? tid)
    {
        var payload = new JsonObject { ["scp"] = "Application.ReadWrite.All", ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() };
        if (tid is not null) payload["tid"] = tid;
        return $"{Base64Url.Encode("{\"alg\":\"none\"}")}.{Base64Url.Encode(payload.ToJsonString())}.sig";
    }

    private Task<Reply> GetAs(string? tid, string url) =>
        Send(HttpMethod.Get, url, configure: r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(tid)));

    [Fact]
    public async Task Graph_requests_reach_the_tenant_their_token_names()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await Control(HttpMethod.Post, "tenants", FabrikamState())).Status);

        var contoso = await GetAs("6f2d4e1a-3c5b-4a7e-9d8f-1b2c3d4e5f60", "/v1.0/organization");
        var fabrikam = await GetAs(Fabrikam, "/v1.0/organization");
        var fabrikamApps = await GetAs(Fabrikam, "/v1.0/applications?$select=displayName");

        Assert.Equal("Contoso", (string?)contoso.Value[0]!["displayName"]);
        Assert.Equal("Fabrikam", (string?)fabrikam.Value[0]!["displayName"]);
        Assert.Equal("Dropzone AI (Fabrikam)", (string?)fabrikamApps.Value[0]!["displayName"]);
    }

    [Fact]
    public async Task A_token_for_a_tenant_the_emulator_does_not_serve_is_refused_once_it_serves_several()
    {
        var before = await GetAs(Guid.NewGuid().ToString(), "/v1.0/organization");
        await Control(HttpMethod.Post, "tenants", FabrikamState());
        var after = await GetAs(Guid.NewGuid().ToString(), "/v1.0/organization");

        Assert.Equal(HttpStatusCode.OK, before.Status); // one tenant: any token reaches it, as before
        Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
        Assert.Equal("InvalidAuthenticationToken", after.ErrorCode);
    }

    [Fact]
    public async Task Each_tenant_has_its_own_state_faults_and_request_log()
    {
        await Control(HttpMethod.Post, "tenants", FabrikamState());
        await Control(HttpMethod.Post, $"faults?tenant={Fabrikam}", new JsonObject { ["path"] = "/v1.0/organization", ["status"] = 503, ["retryAfterSeconds"] = 0 });

        var contoso = await GetAs(null, "/v1.0/organization");
        var fabrikam = await GetAs(Fabrikam, "/v1.0/organization");
        var fabrikamLog = (await Control(HttpMethod.Get, "requests?tenant=fabrikam.onmicrosoft.com")).Value;
        var contosoLog = (await Control(HttpMethod.Get, "requests")).Value;
        var fabrikamState = (await Control(HttpMethod.Get, $"state?tenant={Fabrikam}")).Body!;
        var unknown = await Control(HttpMethod.Get, "state?tenant=nowhere.onmicrosoft.com");

        Assert.Equal(HttpStatusCode.OK, contoso.Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, fabrikam.Status);
        Assert.Single(fabrikamLog);
        Assert.Single(contosoLog);
        Assert.Equal(Fabrikam, (string?)fabrikamState["tenantId"]);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(2, (await Control(HttpMethod.Get, "tenants")).Value.Count);
    }

    [Fact]
    public async Task Exchange_calls_reach_the_tenant_their_organization_names()
    {
        await Control(HttpMethod.Post, "tenants", FabrikamState());
        var call = new JsonObject { ["CmdletInput"] = new JsonObject { ["CmdletName"] = "Get-ServicePrincipal", ["Parameters"] = new JsonObject() } };
        var state = (await Control(HttpMethod.Get, $"state?tenant={Fabrikam}")).Body!.AsObject();
        state["exchange"]!["servicePrincipals"] = new JsonArray(new JsonObject
        {
            ["appId"] = Guid.NewGuid().ToString(), ["objectId"] = Guid.NewGuid().ToString(), ["displayName"] = "Fabrikam's", ["whenCreatedUtc"] = "2026-01-01T00:00:00Z",
        });
        await Control(HttpMethod.Put, $"state?tenant={Fabrikam}", state);

        var fabrikam = await Post("/adminapi/beta/fabrikam.onmicrosoft.com/InvokeCommand", call);
        var contoso = await Post("/adminapi/beta/contoso.onmicrosoft.com/InvokeCommand", call);

        Assert.Equal(HttpStatusCode.OK, fabrikam.Status);
        Assert.Equal("Fabrikam's", (string?)fabrikam.Value.Single()!["DisplayName"]);
        Assert.Equal(HttpStatusCode.OK, contoso.Status);
        Assert.DoesNotContain(contoso.Value, sp => (string?)sp!["DisplayName"] == "Fabrikam's");
        Assert.Single((await Control(HttpMethod.Get, $"requests?tenant={Fabrikam}")).Value);
    }
}
