using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace TenantEmulator.Tests;

/// <summary>The "otherWriter" fault and the interleave switch: a second writer on the same application.</summary>
public sealed class ConcurrentWriterTests : EmulatorTest
{
    protected override string Tenant => "customer";
    private const string App = $"/v1.0/applications/{DropzoneAppObjectId}";
    private const string GraphAppId = "00000003-0000-0000-c000-000000000000";
    private const string DirectoryReadAll = "7ab1d382-f21e-4acd-a863-ba3e13f7da61";

    private async Task<JsonArray> Stored(string collection)
    {
        var state = (await Control(HttpMethod.Get, "state")).Body!;
        var app = state["applications"]!.AsArray().First(a => (string?)a!["id"] == DropzoneAppObjectId)!;
        return app[collection]!.AsArray();
    }

    private async Task<JsonArray> KeysAsRead() =>
        (await Get($"{App}?$select=keyCredentials")).Body!["keyCredentials"]!.AsArray();

    private static JsonObject OtherWritersCertificate(out string keyId)
    {
        var (key, _) = NewCertificate();
        keyId = Guid.NewGuid().ToString();
        var entry = KeyCredential(key);
        entry["keyId"] = keyId;
        entry["displayName"] = "Other writer";
        return entry;
    }

    private static string[] KeyIds(JsonArray keys) => keys.Select(k => (string)k!["keyId"]!).OrderBy(k => k).ToArray();

    [Fact]
    public async Task Other_writer_replaces_the_patched_certificates_with_what_it_read_before_plus_its_own()
    {
        var before = await KeysAsRead();
        var theirs = OtherWritersCertificate(out var theirKeyId);
        Assert.Equal(HttpStatusCode.Created, (await Control(HttpMethod.Post, "faults", new JsonObject
        {
            ["kind"] = "otherWriter", ["path"] = "/v1.0/applications/*",
            ["add"] = new JsonObject { ["keyCredentials"] = new JsonArray(theirs) },
        })).Status);
        var (ours, _) = NewCertificate();
        var sent = (JsonArray)before.DeepClone();
        sent.Add(KeyCredential(ours));

        Assert.Equal(HttpStatusCode.NoContent, (await Patch(App, new JsonObject { ["keyCredentials"] = sent })).Status);

        var stored = await Stored("keyCredentials");
        Assert.DoesNotContain(stored, k => (string?)k!["key"] == ours);
        Assert.Equal(KeyIds(before).Append(theirKeyId).OrderBy(k => k), KeyIds(stored));
        var entry = (await RequestLog()).Single(e => (string?)e!["method"] == "PATCH");
        Assert.Equal("otherWriter", (string?)entry!["fault"]);

        // Used up: the next PATCH stays as sent, and keeps the other writer's certificate when it sends it.
        var again = (JsonArray)stored.DeepClone();
        again.Add(KeyCredential(ours));
        Assert.Equal(HttpStatusCode.NoContent, (await Patch(App, new JsonObject { ["keyCredentials"] = again })).Status);
        var final = await Stored("keyCredentials");
        Assert.Contains(final, k => (string?)k!["key"] == ours);
        Assert.Contains(final, k => (string?)k!["keyId"] == theirKeyId);
    }

    [Fact]
    public async Task Other_writer_with_a_count_undoes_each_patch_and_adds_its_certificate_once()
    {
        var theirs = OtherWritersCertificate(out var theirKeyId);
        await Control(HttpMethod.Post, "faults", new JsonObject
        {
            ["kind"] = "otherWriter", ["path"] = "/v1.0/applications/*", ["count"] = 3,
            ["add"] = new JsonObject { ["keyCredentials"] = new JsonArray(theirs) },
        });
        var (ours, _) = NewCertificate();
        for (var i = 0; i < 3; i++)
        {
            var sent = (JsonArray)(await KeysAsRead()).DeepClone();
            sent.Add(KeyCredential(ours));
            Assert.Equal(HttpStatusCode.NoContent, (await Patch(App, new JsonObject { ["keyCredentials"] = sent })).Status);
            var stored = await Stored("keyCredentials");
            Assert.DoesNotContain(stored, k => (string?)k!["key"] == ours);
            Assert.Single(stored, k => (string?)k!["keyId"] == theirKeyId);
        }
        Assert.Empty((await Control(HttpMethod.Get, "faults")).Value);
    }

    [Fact]
    public async Task Other_writer_acts_on_a_patch_inside_a_batch_and_can_remove_a_permission()
    {
        var before = await Stored("requiredResourceAccess");
        var removed = (string)before[0]!["resourceAccess"]![0]!["id"]!;
        await Control(HttpMethod.Post, "faults", new JsonObject
        {
            ["kind"] = "otherWriter", ["path"] = "/v1.0/applications/*",
            ["remove"] = new JsonObject { ["requiredResourceAccess"] = new JsonArray(removed) },
            ["add"] = new JsonObject { ["requiredResourceAccess"] = JsonNode.Parse($$"""[{"resourceAppId":"{{GraphAppId}}","resourceAccess":[{"id":"{{DirectoryReadAll}}","type":"Role"}]}]""") },
        });
        var sent = (JsonArray)before.DeepClone();
        sent.Add(JsonNode.Parse($$"""{"resourceAppId":"{{ExchangeAppId}}","resourceAccess":[{"id":"{{ManageAsApp}}","type":"Role"}]}"""));
        var batch = await Post("/v1.0/$batch", new JsonObject
        {
            ["requests"] = new JsonArray(new JsonObject
            {
                ["id"] = "1", ["method"] = "PATCH", ["url"] = $"/applications/{DropzoneAppObjectId}",
                ["headers"] = new JsonObject { ["Content-Type"] = "application/json" },
                ["body"] = new JsonObject { ["requiredResourceAccess"] = sent },
            }),
        });

        Assert.Equal(204, (int)batch.Body!["responses"]![0]!["status"]!);
        var ids = (await Stored("requiredResourceAccess")).SelectMany(r => r!["resourceAccess"]!.AsArray()).Select(a => (string)a!["id"]!).ToList();
        Assert.DoesNotContain(ManageAsApp, ids);
        Assert.DoesNotContain(removed, ids);
        Assert.Contains(DirectoryReadAll, ids);
        Assert.Equal("otherWriter", (string?)(await RequestLog()).Single(e => (string?)e!["method"] == "PATCH")!["fault"]);
    }

    [Theory]
    [InlineData("""{"kind":"otherWriter","method":"GET","path":"/v1.0/applications/*"}""")]
    [InlineData("""{"kind":"otherWriter","path":"/v1.0/applications/*","add":{"passwordCredentials":[]}}""")]
    [InlineData("""{"kind":"otherWriter","path":"/v1.0/applications/*","add":{"keyCredentials":[{"keyId":"6f0c2d8e-7a4b-4c1d-9e3f-5a6b7c8d9e0f","type":"AsymmetricX509Cert","usage":"Verify","key":"bm90IGEgY2VydA=="}]}}""")]
    [InlineData("""{"kind":"otherWriter","path":"/v1.0/applications/*","add":{"requiredResourceAccess":[{"resourceAppId":"x","resourceAccess":[]}]}}""")]
    public async Task Other_writer_fault_is_refused_when_Graph_would_refuse_its_write(string fault)
    {
        var reply = await Control(HttpMethod.Post, "faults", JsonNode.Parse(fault));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Empty((await Control(HttpMethod.Get, "faults")).Value);
    }

    [Fact]
    public async Task Interleave_lets_a_read_answer_with_what_was_there_before_a_write_that_answered_first()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await Control(HttpMethod.Put, "interleave", new JsonObject { ["milliseconds"] = 3000 })).Status);
        var sent = (JsonArray)(await KeysAsRead()).DeepClone();
        var (ours, _) = NewCertificate();
        sent.Add(KeyCredential(ours));

        // The write lands 3 s after it arrives; a read made 1 s later answers 3 s after it read.
        var write = Patch(App, new JsonObject { ["keyCredentials"] = sent });
        await Task.Delay(1000);
        var read = Get($"{App}?$select=keyCredentials");
        Assert.Same(write, await Task.WhenAny(write, read));
        Assert.Equal(HttpStatusCode.NoContent, (await write).Status);

        Assert.DoesNotContain((await read).Body!["keyCredentials"]!.AsArray(), k => (string?)k!["key"] == ours);
        Assert.Contains(await Stored("keyCredentials"), k => (string?)k!["key"] == ours);
    }

    [Fact]
    public async Task Reset_turns_interleave_off_and_a_negative_value_is_refused()
    {
        await Control(HttpMethod.Put, "interleave", new JsonObject { ["milliseconds"] = 200 });
        Assert.Equal(200, (int)(await Control(HttpMethod.Get, "interleave")).Body!["milliseconds"]!);
        Assert.Equal(HttpStatusCode.BadRequest, (await Control(HttpMethod.Put, "interleave", new JsonObject { ["milliseconds"] = -1 })).Status);
        await Control(HttpMethod.Post, "reset");
        Assert.Equal(0, (int)(await Control(HttpMethod.Get, "interleave")).Body!["milliseconds"]!);
    }
}
