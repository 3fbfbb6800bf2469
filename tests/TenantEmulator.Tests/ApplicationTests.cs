using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace TenantEmulator.Tests;

public sealed class ApplicationTests : EmulatorTest
{
    protected override string Tenant => "customer";
    private const string App = $"/v1.0/applications/{DropzoneAppObjectId}";

    private async Task<JsonArray> StoredKeys()
    {
        var state = (await Control(HttpMethod.Get, "state")).Body!;
        var app = state["applications"]!.AsArray().First(a => (string?)a!["id"] == DropzoneAppObjectId)!;
        return app["keyCredentials"]!.AsArray();
    }

    [Fact]
    public async Task Patch_keyCredentials_replaces_the_whole_collection()
    {
        Assert.Equal(2, (await StoredKeys()).Count);
        var (key, _) = NewCertificate();

        var reply = await Patch(App, new JsonObject { ["keyCredentials"] = new JsonArray(KeyCredential(key)) });

        Assert.Equal(HttpStatusCode.NoContent, reply.Status);
        var keys = await StoredKeys();
        Assert.Single(keys);
        Assert.Equal(key, (string?)keys[0]!["key"]);
    }

    [Fact]
    public async Task Patch_requiredResourceAccess_replaces_the_whole_collection()
    {
        var body = JsonNode.Parse($$"""
            {"requiredResourceAccess":[{"resourceAppId":"{{ExchangeAppId}}","resourceAccess":[{"id":"{{ManageAsApp}}","type":"Role"}]}]}
            """)!;
        Assert.Equal(HttpStatusCode.NoContent, (await Patch(App, body)).Status);

        var app = (await Get(App)).Body!;
        var rra = app["requiredResourceAccess"]!.AsArray();
        Assert.Single(rra);
        Assert.Equal(ExchangeAppId, (string?)rra[0]!["resourceAppId"]);
    }

    [Fact]
    public async Task Key_is_null_in_list_reads_and_in_a_plain_single_read()
    {
        var list = await Get("/v1.0/applications");
        var single = await Get(App);

        foreach (var app in new[] { list.Value.First(a => (string?)a!["id"] == DropzoneAppObjectId)!, single.Body! })
        {
            var keys = app["keyCredentials"]!.AsArray();
            Assert.Equal(2, keys.Count);
            Assert.All(keys, k => Assert.Null(k!["key"]));
            Assert.All(keys, k => Assert.NotNull(k!["customKeyIdentifier"]));
        }
    }

    [Fact]
    public async Task Key_is_returned_when_a_list_of_applications_is_read_with_select_keyCredentials()
    {
        // resources/keycredential.md: key is "returned only on $select" (for a list as for one application).
        var listWithSelect = await Get("/v1.0/applications?$select=id,keyCredentials");

        var keys = listWithSelect.Value.First(a => (string?)a!["id"] == DropzoneAppObjectId)!["keyCredentials"]!.AsArray();
        Assert.Equal(2, keys.Count);
        Assert.All(keys, k => Assert.False(string.IsNullOrEmpty((string?)k!["key"])));
    }

    [Fact]
    public async Task Key_is_returned_when_a_single_application_is_read_with_select_keyCredentials()
    {
        var reply = await Get($"/v1.0/applications(appId='{DropzoneAppId}')?$select=keyCredentials");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var keys = reply.Body!["keyCredentials"]!.AsArray();
        Assert.Equal(2, keys.Count);
        Assert.All(keys, k => Assert.False(string.IsNullOrEmpty((string?)k!["key"])));
    }

    [Fact]
    public async Task Select_returns_only_the_named_properties()
    {
        var reply = await Get($"{App}?$select=displayName,appId");

        var names = reply.Body!.AsObject().Select(p => p.Key).ToList();
        Assert.Equal(new[] { "@odata.context", "displayName", "appId" }, names);
        Assert.EndsWith("$metadata#applications(displayName,appId)/$entity", (string?)reply.Body!["@odata.context"]);
    }

    [Fact]
    public async Task Select_of_an_unknown_property_is_400()
    {
        var reply = await Get($"{App}?$select=noSuchThing");
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
    }

    [Fact]
    public async Task Patch_rejects_dates_outside_the_certificate_validity_with_KeyCredentialsInvalidEndDate()
    {
        var (key, _) = NewCertificate(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var lateEnd = await Patch(App, new JsonObject { ["keyCredentials"] = new JsonArray(KeyCredential(key, "2025-01-01T00:00:00Z", "2041-01-01T00:00:00Z")) });
        var earlyStart = await Patch(App, new JsonObject { ["keyCredentials"] = new JsonArray(KeyCredential(key, "2024-06-01T00:00:00Z", "2030-01-01T00:00:00Z")) });

        Assert.Equal((400, "KeyCredentialsInvalidEndDate"), (lateEnd.Code, lateEnd.ErrorCode));
        Assert.Equal((400, "KeyCredentialsInvalidEndDate"), (earlyStart.Code, earlyStart.ErrorCode));
        Assert.Equal(2, (await StoredKeys()).Count); // a rejected PATCH changes nothing
    }

    [Fact]
    public async Task Patch_rejects_an_expired_certificate_with_KeyCredentialsInvalidEndDate()
    {
        var (key, _) = NewCertificate(DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddDays(-1));

        var reply = await Patch(App, new JsonObject { ["keyCredentials"] = new JsonArray(KeyCredential(key)) });

        Assert.Equal((400, "KeyCredentialsInvalidEndDate"), (reply.Code, reply.ErrorCode));
    }

    [Theory]
    [InlineData("reject", 400)]
    [InlineData("accept", 204)]
    public async Task An_expired_certificate_sent_back_unchanged_is_refused_or_kept_as_the_switch_says(string option, int expected)
    {
        // UNCONFIRMED in Graph (graph-and-exchange.md): both behaviours are emulated.
        var (expiredKey, _) = NewCertificate(DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddDays(-1));
        var state = (await Control(HttpMethod.Get, "state")).Body!.AsObject();
        var app = state["applications"]!.AsArray().First(a => (string?)a!["id"] == DropzoneAppObjectId)!.AsObject();
        var expired = new JsonObject
        {
            ["keyId"] = Guid.NewGuid().ToString(), ["type"] = "AsymmetricX509Cert", ["usage"] = "Verify", ["key"] = expiredKey,
            ["displayName"] = "Last year", ["startDateTime"] = KeyCredentials.Iso(DateTime.UtcNow.AddYears(-2).AddMinutes(1)),
            ["endDateTime"] = KeyCredentials.Iso(DateTime.UtcNow.AddDays(-1).AddMinutes(-1)), ["customKeyIdentifier"] = "AB",
        };
        app["keyCredentials"]!.AsArray().Add(expired);
        Assert.Equal(204, (await Control(HttpMethod.Put, "state", state)).Code);
        Assert.Equal(200, (await Control(HttpMethod.Put, "graph-options", new JsonObject { ["expiredCertificateSentBack"] = option })).Code);
        var (newKey, _) = NewCertificate();
        var sentBack = new JsonArray((await Get($"{App}?$select=keyCredentials")).Body!["keyCredentials"]!.AsArray()
            .Select(k => k!.DeepClone()).Append(KeyCredential(newKey)).ToArray());

        var reply = await Patch(App, new JsonObject { ["keyCredentials"] = sentBack });
        var stored = await StoredKeys();

        Assert.Equal(expected, reply.Code);
        if (expected == 400)
        {
            Assert.Equal("KeyCredentialsInvalidEndDate", reply.ErrorCode);
            Assert.Equal(3, stored.Count);
        }
        else
        {
            Assert.Equal(4, stored.Count);
            Assert.Equal(expired.ToJsonString(), stored.First(k => (string?)k!["keyId"] == (string?)expired["keyId"])!.ToJsonString());
        }
        // A NEW expired certificate is refused either way.
        var fresh = await Patch(App, new JsonObject { ["keyCredentials"] = new JsonArray(KeyCredential(expiredKey)) });
        Assert.Equal((400, "KeyCredentialsInvalidEndDate"), (fresh.Code, fresh.ErrorCode));
    }

    [Fact]
    public async Task Patch_rejects_a_keyCredential_without_key()
    {
        // Sending an existing entry back by keyId alone: UNCONFIRMED in Graph, so refused here.
        var existing = (await StoredKeys())[0]!.AsObject();
        var keyIdOnly = new JsonObject { ["keyId"] = (string?)existing["keyId"], ["type"] = "AsymmetricX509Cert", ["usage"] = "Verify" };

        var reply = await Patch(App, new JsonObject { ["keyCredentials"] = new JsonArray(keyIdOnly) });

        Assert.Equal((400, "Request_BadRequest"), (reply.Code, reply.ErrorCode));
    }

    [Fact]
    public async Task Patch_rejects_a_key_that_is_not_a_DER_certificate()
    {
        var (key, certificate) = NewCertificate();
        var pem = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()));

        var garbage = await Patch(App, new JsonObject { ["keyCredentials"] = new JsonArray(KeyCredential("bm90IGEgY2VydGlmaWNhdGU=")) });
        var pemText = await Patch(App, new JsonObject { ["keyCredentials"] = new JsonArray(KeyCredential(pem)) });
        var notBase64 = await Patch(App, new JsonObject { ["keyCredentials"] = new JsonArray(KeyCredential("%%%")) });

        Assert.All(new[] { garbage, pemText, notBase64 }, r => Assert.Equal(HttpStatusCode.BadRequest, r.Status));
        Assert.Equal(HttpStatusCode.NoContent, (await Patch(App, new JsonObject { ["keyCredentials"] = new JsonArray(KeyCredential(key)) })).Status);
    }

    [Fact]
    public async Task Patch_generates_keyId_and_defaults_customKeyIdentifier_to_the_thumbprint()
    {
        var (key, certificate) = NewCertificate();

        await Patch(App, new JsonObject { ["keyCredentials"] = new JsonArray(KeyCredential(key)) });

        var stored = (await StoredKeys())[0]!;
        Assert.True(Guid.TryParse((string?)stored["keyId"], out _));
        Assert.Equal(certificate.Thumbprint, (string?)stored["customKeyIdentifier"]);
        Assert.Equal("2024-01-01T00:00:00Z", (string?)stored["startDateTime"]);
        Assert.Equal("2049-12-31T00:00:00Z", (string?)stored["endDateTime"]);
    }

    [Fact]
    public async Task Patch_rejects_a_wrong_type_or_usage()
    {
        var (key, _) = NewCertificate();
        var badType = KeyCredential(key); badType["type"] = "Symmetric";
        var badUsage = KeyCredential(key); badUsage["usage"] = "Encrypt";

        Assert.Equal(HttpStatusCode.BadRequest, (await Patch(App, new JsonObject { ["keyCredentials"] = new JsonArray(badType) })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Patch(App, new JsonObject { ["keyCredentials"] = new JsonArray(badUsage) })).Status);
    }

    [Fact]
    public async Task Patch_rejects_passwordCredentials()
    {
        var reply = await Patch(App, JsonNode.Parse("""{"passwordCredentials":[]}"""));

        Assert.Equal((400, "Request_BadRequest"), (reply.Code, reply.ErrorCode));
        var state = (await Control(HttpMethod.Get, "state")).Body!;
        Assert.Single(state["applications"]![0]!["passwordCredentials"]!.AsArray());
    }

    [Fact]
    public async Task Patch_rejects_more_than_50_resource_apps()
    {
        var rra = new JsonArray();
        for (var i = 0; i < 51; i++)
            rra.Add(new JsonObject { ["resourceAppId"] = Guid.NewGuid().ToString(), ["resourceAccess"] = new JsonArray(new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["type"] = "Role" }) });

        var reply = await Patch(App, new JsonObject { ["requiredResourceAccess"] = rra });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
    }

    [Fact]
    public async Task Patch_of_a_simple_property_updates_it()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await Patch(App, JsonNode.Parse("""{"notes":"managed by Dropzone.ExoSetup"}"""))).Status);
        Assert.Equal("managed by Dropzone.ExoSetup", (string?)(await Get(App)).Body!["notes"]);
    }

    [Fact]
    public async Task Alternate_key_appId_reads_and_patches_the_application()
    {
        var byAppId = $"/v1.0/applications(appId='{DropzoneAppId}')";

        var read = await Get(byAppId);
        var patched = await Patch(byAppId, JsonNode.Parse("""{"requiredResourceAccess":[]}"""));

        Assert.Equal(DropzoneAppObjectId, (string?)read.Body!["id"]);
        Assert.Equal(HttpStatusCode.NoContent, patched.Status);
        Assert.Empty((await Get(App)).Body!["requiredResourceAccess"]!.AsArray());
    }

    [Fact]
    public async Task Filter_by_appId_or_displayName_returns_the_matching_applications()
    {
        var byAppId = await Get($"/v1.0/applications?$filter=appId eq '{DropzoneAppId}'");
        var byName = await Get("/v1.0/applications?$filter=displayName eq 'Contoso HR Portal'&$select=id,displayName");
        var none = await Get("/v1.0/applications?$filter=displayName eq 'Nobody'");

        Assert.Equal(DropzoneAppObjectId, (string?)Assert.Single(byAppId.Value)!["id"]);
        Assert.Equal("Contoso HR Portal", (string?)Assert.Single(byName.Value)!["displayName"]);
        Assert.Empty(none.Value);
        Assert.EndsWith("$metadata#applications", (string?)byAppId.Body!["@odata.context"]);
    }

    [Fact]
    public async Task An_unsupported_filter_is_400_Request_UnsupportedQuery()
    {
        var reply = await Get("/v1.0/applications?$filter=startswith(displayName,'Drop')");
        Assert.Equal((400, "Request_UnsupportedQuery"), (reply.Code, reply.ErrorCode));
    }

    [Fact]
    public async Task An_unknown_object_id_is_404_Request_ResourceNotFound()
    {
        var byId = await Get($"/v1.0/applications/{Guid.NewGuid()}");
        var byAppId = await Patch($"/v1.0/applications(appId='{Guid.NewGuid()}')", JsonNode.Parse("""{"notes":"x"}"""));

        Assert.Equal((404, "Request_ResourceNotFound"), (byId.Code, byId.ErrorCode));
        Assert.Equal((404, "Request_ResourceNotFound"), (byAppId.Code, byAppId.ErrorCode));
    }
}

public sealed class TwoAppsTests : EmulatorTest
{
    protected override string Tenant => "twoapps";

    [Fact]
    public async Task Filter_by_displayName_returns_both_applications_of_the_same_name()
    {
        var reply = await Get("/v1.0/applications?$filter=displayName eq 'Dropzone AI'");
        Assert.Equal(2, reply.Value.Count);
    }
}
