using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace TenantEmulator.Tests;

public sealed class BatchTests : EmulatorTest
{
    private static JsonObject Request(string id, string method, string url, JsonNode? body = null, params string[] dependsOn)
    {
        var request = new JsonObject { ["id"] = id, ["method"] = method, ["url"] = url };
        if (body is not null)
        {
            request["body"] = body;
            request["headers"] = new JsonObject { ["Content-Type"] = "application/json" };
        }
        if (dependsOn.Length > 0) request["dependsOn"] = new JsonArray(dependsOn.Select(d => (JsonNode?)d).ToArray());
        return request;
    }

    private Task<Reply> Batch(params JsonObject[] requests) =>
        Post("/v1.0/$batch", new JsonObject { ["requests"] = new JsonArray(requests.Select(r => (JsonNode?)r.DeepClone()).ToArray()) });

    private static JsonObject Response(Reply reply, string id) =>
        reply.Body!["responses"]!.AsArray().Single(r => (string?)r!["id"] == id)!.AsObject();

    [Fact]
    public async Task Batch_answers_each_request_with_its_own_status_correlated_by_id()
    {
        var reply = await Batch(
            Request("a", "GET", $"/applications?$filter=appId eq '{DropzoneAppId}'"),
            Request("b", "GET", $"/applications/{Guid.NewGuid()}"),
            Request("c", "POST", "/servicePrincipals", new JsonObject { ["appId"] = DropzoneAppId }),
            Request("d", "PATCH", $"/applications/{DropzoneAppObjectId}", new JsonObject { ["notes"] = "x" }));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(200, (int)Response(reply, "a")["status"]!);
        Assert.Single(Response(reply, "a")["body"]!["value"]!.AsArray());
        Assert.Equal(404, (int)Response(reply, "b")["status"]!);
        Assert.Equal("Request_ResourceNotFound", (string?)Response(reply, "b")["body"]!["error"]!["code"]);
        Assert.Equal(201, (int)Response(reply, "c")["status"]!);
        Assert.Equal(204, (int)Response(reply, "d")["status"]!);
        // Graph may answer in any order; the emulator answers in reverse to keep clients honest.
        Assert.Equal("d", (string?)reply.Body!["responses"]![0]!["id"]);
    }

    [Fact]
    public async Task Batch_of_more_than_20_requests_is_400()
    {
        var requests = Enumerable.Range(1, 21).Select(i => Request(i.ToString(), "GET", "/domains")).ToArray();

        var reply = await Batch(requests);
        var twenty = await Batch(requests[..20]);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(HttpStatusCode.OK, twenty.Status);
    }

    [Fact]
    public async Task A_429_inside_a_batch_is_that_inner_response_with_its_Retry_After()
    {
        await Control(HttpMethod.Post, "faults", new JsonObject { ["method"] = "PATCH", ["path"] = "/v1.0/applications/*", ["status"] = 429, ["retryAfterSeconds"] = 7, ["count"] = 1 });

        var reply = await Batch(
            Request("1", "PATCH", $"/applications/{DropzoneAppObjectId}", new JsonObject { ["notes"] = "x" }),
            Request("2", "GET", "/domains"));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var throttled = Response(reply, "1");
        Assert.Equal(429, (int)throttled["status"]!);
        Assert.Equal("7", (string?)throttled["headers"]!["Retry-After"]);
        Assert.Equal(200, (int)Response(reply, "2")["status"]!);
    }

    [Fact]
    public async Task A_request_whose_dependency_failed_is_424()
    {
        var reply = await Batch(
            Request("1", "GET", $"/applications/{Guid.NewGuid()}"),
            Request("2", "GET", "/domains", null, "1"));

        Assert.Equal(424, (int)Response(reply, "2")["status"]!);
    }

    [Fact]
    public async Task A_body_without_a_Content_Type_header_fails_the_whole_batch()
    {
        var bad = new JsonObject { ["id"] = "1", ["method"] = "PATCH", ["url"] = $"/applications/{DropzoneAppObjectId}", ["body"] = new JsonObject { ["notes"] = "x" } };

        var reply = await Batch(bad);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
    }
}
