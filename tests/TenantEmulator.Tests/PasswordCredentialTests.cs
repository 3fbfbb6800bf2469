using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace TenantEmulator.Tests;

/// <summary>addPassword / removePassword and the lifetime policy, as Graph documents and answers them.</summary>
public sealed class PasswordCredentialTests : EmulatorTest
{
    protected override string Tenant => "customer";
    private const string App = $"/v1.0/applications/{DropzoneAppObjectId}";
    private const string LegacySecret = "5e1a9c3d-7b2f-4e6a-8d0c-2a4b6c8e0f1a";

    private async Task<JsonObject> StoredApp()
    {
        var state = (await Control(HttpMethod.Get, "state")).Body!;
        return state["applications"]!.AsArray().First(a => (string?)a!["id"] == DropzoneAppObjectId)!.AsObject();
    }

    [Fact]
    public async Task AddPassword_returns_the_secret_once_and_reads_show_only_its_hint()
    {
        var reply = await Post($"/v1.0/applications(appId='{DropzoneAppId}')/addPassword",
            new JsonObject { ["passwordCredential"] = new JsonObject { ["displayName"] = "Dropzone AI 2026-12-07" } });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var secret = (string?)reply.Body!["secretText"];
        Assert.InRange(secret!.Length, 16, 64);
        Assert.Equal(secret[..3], (string?)reply.Body["hint"]);
        var start = DateTime.Parse((string)reply.Body["startDateTime"]!).ToUniversalTime();
        var end = DateTime.Parse((string)reply.Body["endDateTime"]!).ToUniversalTime();
        Assert.Equal(start.AddYears(2), end);

        var read = (await Get($"{App}?$select=passwordCredentials")).Body!["passwordCredentials"]!.AsArray();
        Assert.Equal(2, read.Count);
        Assert.All(read, c => Assert.Null((string?)c!["secretText"]));
        Assert.DoesNotContain(secret, (await Control(HttpMethod.Get, "state")).Body!.ToJsonString());
    }

    [Fact]
    public async Task RemovePassword_removes_that_secret_only_and_a_second_time_is_refused()
    {
        var before = (await StoredApp()).DeepClone().AsObject();
        var added = await Post($"{App}/addPassword", new JsonObject { ["passwordCredential"] = new JsonObject { ["displayName"] = "new" } });

        var removed = await Post($"{App}/removePassword", new JsonObject { ["keyId"] = (string?)added.Body!["keyId"] });
        var again = await Post($"{App}/removePassword", new JsonObject { ["keyId"] = (string?)added.Body!["keyId"] });

        Assert.Equal(HttpStatusCode.NoContent, removed.Status);
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal(before.ToJsonString(), (await StoredApp()).ToJsonString());
    }

    [Fact]
    public async Task A_lifetime_policy_refuses_a_longer_secret_naming_the_policy_and_serves_its_cap()
    {
        var state = (await Control(HttpMethod.Get, "state")).Body!.AsObject();
        state["defaultAppManagementPolicy"] = JsonNode.Parse("""
            {"id":"00000000-0000-0000-0000-000000000000","isEnabled":true,
             "applicationRestrictions":{"passwordCredentials":[{"restrictionType":"passwordLifetime","maxLifetime":"P180D","restrictForAppsCreatedAfterDateTime":"2019-01-01T00:00:00Z"}]}}
            """);
        await Control(HttpMethod.Put, "state", state);

        var tooLong = await Post($"{App}/addPassword", new JsonObject { ["passwordCredential"] = new JsonObject { ["displayName"] = "two years" } });
        var within = await Post($"{App}/addPassword", new JsonObject
        {
            ["passwordCredential"] = new JsonObject { ["displayName"] = "half a year", ["endDateTime"] = DateTime.UtcNow.AddDays(179).ToString("o") },
        });
        var policy = await Get("/v1.0/policies/defaultAppManagementPolicy");

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.Equal("CredentialInvalidLifetimeAsPerAppPolicy", tooLong.ErrorCode);
        Assert.Contains("policy '00000000-0000-0000-0000-000000000000'", (string?)tooLong.Body!["error"]!["message"]);
        Assert.Equal(HttpStatusCode.OK, within.Status);
        Assert.Equal("P180D", (string?)policy.Body!["applicationRestrictions"]!["passwordCredentials"]![0]!["maxLifetime"]);
        Assert.Equal(2, (await StoredApp())["passwordCredentials"]!.AsArray().Count);
    }

    [Fact]
    public async Task PasswordCredentials_cannot_be_patched()
    {
        var reply = await Patch(App, new JsonObject { ["passwordCredentials"] = new JsonArray() });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(LegacySecret, (string?)(await StoredApp())["passwordCredentials"]![0]!["keyId"]);
    }
}
