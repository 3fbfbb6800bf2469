using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Xunit;

namespace TenantEmulator.Tests;

public sealed class PipelineTests : EmulatorTest
{
    [Fact]
    public async Task A_request_without_a_bearer_token_is_401_InvalidAuthenticationToken()
    {
        var none = await Send(HttpMethod.Get, "/v1.0/applications", anonymous: true);
        var empty = await Send(HttpMethod.Get, "/v1.0/domains", configure: r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer  "), anonymous: true);
        var basic = await Send(HttpMethod.Get, "/adminapi/beta/x/InvokeCommand", configure: r => r.Headers.Authorization = new AuthenticationHeaderValue("Basic", "eA=="), anonymous: true);

        Assert.All(new[] { none, empty, basic }, r => Assert.Equal((401, "InvalidAuthenticationToken"), (r.Code, r.ErrorCode)));
    }

    [Fact]
    public async Task Every_response_has_a_request_id_and_echoes_client_request_id_and_errors_have_Graph_shape()
    {
        var clientId = Guid.NewGuid().ToString();
        var reply = await Send(HttpMethod.Get, $"/v1.0/applications/{Guid.NewGuid()}", configure: r => r.Headers.Add("client-request-id", clientId));
        var ok = await Get("/v1.0/domains");

        var requestId = reply.Response.Headers.GetValues("request-id").Single();
        Assert.True(Guid.TryParse(requestId, out _));
        Assert.Equal(clientId, reply.Response.Headers.GetValues("client-request-id").Single());
        var error = reply.Body!["error"]!;
        Assert.Equal("Request_ResourceNotFound", (string?)error["code"]);
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
        Assert.Equal(requestId, (string?)error["innerError"]!["request-id"]);
        Assert.Equal(clientId, (string?)error["innerError"]!["client-request-id"]);
        Assert.NotNull((string?)error["innerError"]!["date"]);
        Assert.True(ok.Response.Headers.Contains("request-id"));
    }

    [Fact]
    public async Task An_unknown_segment_is_400_and_an_unknown_root_is_404_in_Graph_error_shape()
    {
        var segment = await Get("/v1.0/users");
        var root = await Get("/nowhere");

        Assert.Equal((400, "BadRequest"), (segment.Code, segment.ErrorCode));
        Assert.Equal(404, root.Code);
        Assert.NotNull(root.ErrorCode);
    }

    [Fact]
    public async Task Control_endpoints_need_no_token()
    {
        var reply = await Control(HttpMethod.Get, "state");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }
}

public sealed class FaultTests : EmulatorTest
{
    private Task<Reply> AddFault(JsonObject fault) => Control(HttpMethod.Post, "faults", fault);

    [Fact]
    public async Task A_429_fault_answers_the_next_N_matching_requests_with_Retry_After_then_stops()
    {
        var added = await AddFault(new JsonObject { ["method"] = "GET", ["path"] = "/v1.0/applications*", ["status"] = 429, ["retryAfterSeconds"] = 3, ["count"] = 2 });

        var first = await Get("/v1.0/applications");
        var other = await Get("/v1.0/domains");
        var second = await Get($"/v1.0/applications/{DropzoneAppObjectId}");
        var third = await Get("/v1.0/applications");

        Assert.Equal(HttpStatusCode.Created, added.Status);
        Assert.Equal((429, "TooManyRequests"), (first.Code, first.ErrorCode));
        Assert.Equal("3", first.Response.Headers.GetValues("Retry-After").Single());
        Assert.Equal(200, other.Code);
        Assert.Equal(429, second.Code);
        Assert.Equal(200, third.Code);
    }

    [Fact]
    public async Task A_503_fault_answers_503_with_Retry_After()
    {
        await AddFault(new JsonObject { ["path"] = "/v1.0/servicePrincipals", ["status"] = 503, ["retryAfterSeconds"] = 1 });

        var reply = await Post("/v1.0/servicePrincipals", new JsonObject { ["appId"] = DropzoneAppId });

        Assert.Equal(503, reply.Code);
        Assert.True(reply.Response.Headers.Contains("Retry-After"));
        // The faulted POST did not happen: the next one creates the service principal.
        Assert.Equal(201, (await Post("/v1.0/servicePrincipals", new JsonObject { ["appId"] = DropzoneAppId })).Code);
    }

    [Fact]
    public async Task A_403_fault_answers_like_a_missing_permission_without_Retry_After()
    {
        await AddFault(new JsonObject { ["method"] = "GET", ["path"] = "/v1.0/organization", ["status"] = 403 });

        var refused = await Get("/v1.0/organization");

        Assert.Equal((403, "Authorization_RequestDenied"), (refused.Code, refused.ErrorCode));
        Assert.False(refused.Response.Headers.Contains("Retry-After"));
        Assert.Equal(200, (await Get("/v1.0/organization")).Code);
    }

    [Fact]
    public async Task A_drop_fault_aborts_the_connection()
    {
        await AddFault(new JsonObject { ["kind"] = "drop", ["method"] = "GET", ["path"] = "/v1.0/domains", ["count"] = 1 });

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Get("/v1.0/domains"));
        Assert.Equal(200, (await Get("/v1.0/domains")).Code);
        var log = await RequestLog();
        Assert.Equal("drop", (string?)log[0]!["fault"]);
        Assert.Equal(0, (int)log[0]!["status"]!);
    }

    [Fact]
    public async Task Faults_are_cleared_by_DELETE_and_an_invalid_status_is_refused()
    {
        await AddFault(new JsonObject { ["path"] = "/v1.0/*", ["count"] = 5 });
        var invalid = await AddFault(new JsonObject { ["path"] = "/v1.0/*", ["status"] = 500 });

        await Control(HttpMethod.Delete, "faults");

        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Equal(200, (await Get("/v1.0/domains")).Code);
    }

    [Fact]
    public async Task Latency_is_applied_per_request_and_once_per_batch()
    {
        await Control(HttpMethod.Put, "latency", new JsonObject { ["milliseconds"] = 20 });

        await Get("/v1.0/domains");
        await Post("/v1.0/$batch", JsonNode.Parse("""{"requests":[{"id":"1","method":"GET","url":"/domains"},{"id":"2","method":"GET","url":"/organization"}]}"""));

        Assert.Equal(20, (int)(await Control(HttpMethod.Get, "latency")).Body!["milliseconds"]!);
        var log = await RequestLog();
        Assert.Equal(new[] { 20, 20, 0, 0 }, log.Select(e => (int)e!["latencyMs"]!).ToArray());
    }

    [Fact]
    public async Task Faulted_requests_are_logged_with_the_status_they_got()
    {
        await AddFault(new JsonObject { ["path"] = "/v1.0/domains", ["status"] = 429 });

        await Get("/v1.0/domains");

        var entry = Assert.Single(await RequestLog())!;
        Assert.Equal(429, (int)entry["status"]!);
        Assert.Equal("429", (string?)entry["fault"]);
    }
}

public sealed class ReplicationTests : EmulatorTest
{
    [Fact]
    public async Task A_new_service_principal_is_invisible_to_its_next_N_reads_but_usable_in_writes()
    {
        await Control(HttpMethod.Put, "replication", new JsonObject { ["servicePrincipalReads"] = 2 });
        var created = await Post("/v1.0/servicePrincipals", new JsonObject { ["appId"] = DropzoneAppId });
        var id = (string)created.Body!["id"]!;

        // A write naming it works at once, and does not use up a read.
        var grant = await Post($"/v1.0/servicePrincipals/{ExchangeSpId}/appRoleAssignedTo",
            new JsonObject { ["principalId"] = id, ["resourceId"] = ExchangeSpId, ["appRoleId"] = ManageAsApp });
        var read1 = await Get($"/v1.0/servicePrincipals/{id}");
        var read2 = await Get($"/v1.0/servicePrincipals?$filter=appId eq '{DropzoneAppId}'");
        var read3 = await Get($"/v1.0/servicePrincipals(appId='{DropzoneAppId}')");

        Assert.Equal(201, created.Code);
        Assert.Equal(201, grant.Code);
        Assert.Equal((404, "Request_ResourceNotFound"), (read1.Code, read1.ErrorCode));
        Assert.Empty(read2.Value);
        Assert.Equal(200, read3.Code);
        Assert.Equal(id, (string?)read3.Body!["id"]);
    }

    [Fact]
    public async Task With_a_delay_in_seconds_reads_miss_a_new_service_principal_and_consent_naming_it_is_not_a_valid_reference_update()
    {
        await Control(HttpMethod.Put, "replication", new JsonObject { ["seconds"] = 3 });
        var created = await Post("/v1.0/servicePrincipals", new JsonObject { ["appId"] = DropzoneAppId });
        var id = (string)created.Body!["id"]!;
        var consent = new JsonObject { ["principalId"] = id, ["resourceId"] = ExchangeSpId, ["appRoleId"] = ManageAsApp };

        var read = await Get($"/v1.0/servicePrincipals(appId='{DropzoneAppId}')");
        var early = await Post($"/v1.0/servicePrincipals/{ExchangeSpId}/appRoleAssignedTo", consent);
        await Task.Delay(TimeSpan.FromSeconds(3.1));
        var later = await Post($"/v1.0/servicePrincipals/{ExchangeSpId}/appRoleAssignedTo", consent);
        var spRead = await Get($"/v1.0/servicePrincipals(appId='{DropzoneAppId}')");
        var assignmentsRead = await Get($"/v1.0/servicePrincipals/{id}/appRoleAssignments");
        var stored = (await Control(HttpMethod.Get, "state")).Body!["appRoleAssignments"]!.AsArray();

        Assert.Equal(404, read.Code);
        // microsoftgraph/msgraph-sdk-dotnet issue 2508: the write side replicates too.
        Assert.Equal((400, "Request_BadRequest"), (early.Code, early.ErrorCode));
        Assert.Equal("Not a valid reference update.", (string?)early.Body!["error"]!["message"]);
        Assert.Equal(201, later.Code);
        Assert.Equal(200, spRead.Code);
        // The new assignment is stored, but reads miss it for the delay too.
        Assert.Contains(stored, a => (string?)a!["id"] == (string?)later.Body!["id"]);
        Assert.Empty(assignmentsRead.Value);
    }

    [Fact]
    public async Task Without_a_replication_delay_a_new_service_principal_is_visible_at_once()
    {
        var id = (string)(await Post("/v1.0/servicePrincipals", new JsonObject { ["appId"] = DropzoneAppId })).Body!["id"]!;
        Assert.Equal(200, (await Get($"/v1.0/servicePrincipals/{id}")).Code);
    }
}

public sealed class RequestLogTests : EmulatorTest
{
    [Fact]
    public async Task The_log_records_method_path_query_status_and_batch_membership_but_no_token()
    {
        await Get($"/v1.0/applications?$filter=appId eq '{DropzoneAppId}'");
        var patch = new JsonObject { ["id"] = "1", ["method"] = "PATCH", ["url"] = $"/applications/{DropzoneAppObjectId}", ["body"] = new JsonObject { ["notes"] = "x" }, ["headers"] = new JsonObject { ["Content-Type"] = "application/json" } };
        await Post("/v1.0/$batch", new JsonObject { ["requests"] = new JsonArray(patch) });
        await Control(HttpMethod.Get, "state"); // control calls are not logged

        var log = await RequestLog();

        Assert.Equal(3, log.Count);
        var get = log[0]!;
        Assert.Equal("GET", (string?)get["method"]);
        Assert.Equal("/v1.0/applications", (string?)get["path"]);
        Assert.Equal($"$filter=appId eq '{DropzoneAppId}'", (string?)get["query"]);
        Assert.Equal(200, (int)get["status"]!);
        Assert.False((bool)get["inBatch"]!);
        Assert.True(DateTime.TryParse((string?)get["time"], out _));
        var envelope = log[1]!;
        Assert.Equal("/v1.0/$batch", (string?)envelope["path"]);
        var inner = log[2]!;
        Assert.True((bool)inner["inBatch"]!);
        Assert.Equal((long)envelope["sequence"]!, (long)inner["batchSequence"]!);
        Assert.Equal(("PATCH", 204), ((string?)inner["method"], (int)inner["status"]!));
        Assert.DoesNotContain("test-token", log.ToJsonString());

        await Control(HttpMethod.Delete, "requests");
        Assert.Empty(await RequestLog());
    }
}

public sealed class ServiceEndpointTests : EmulatorTest
{
    // Stands in for an Exchange admin API endpoint: it annotates its log entry with a cmdlet name.
    protected override void Configure(WebApplication app) =>
        app.MapPost("/adminapi/test/InvokeCommand", (Microsoft.AspNetCore.Http.HttpContext context) =>
        {
            context.Items[EmulatorPipeline.DetailKey] = "New-ServicePrincipal";
            return Microsoft.AspNetCore.Http.Results.Ok();
        });

    [Fact]
    public async Task An_api_can_annotate_its_log_entry_with_a_detail()
    {
        var reply = await Post("/adminapi/test/InvokeCommand", new JsonObject());

        Assert.Equal(200, reply.Code);
        var entry = Assert.Single(await RequestLog())!;
        Assert.Equal("New-ServicePrincipal", (string?)entry["detail"]);
        Assert.Equal("/adminapi/test/InvokeCommand", (string?)entry["path"]);
    }

    [Fact]
    public async Task Faults_and_the_token_check_apply_to_adminapi_too()
    {
        await Control(HttpMethod.Post, "faults", new JsonObject { ["path"] = "/adminapi/*", ["status"] = 503 });

        var faulted = await Post("/adminapi/test/InvokeCommand", new JsonObject());
        var anonymous = await Send(HttpMethod.Post, "/adminapi/test/InvokeCommand", new JsonObject(), anonymous: true);

        Assert.Equal(503, faulted.Code);
        Assert.Equal(401, anonymous.Code);
    }

    [Fact]
    public async Task A_drop_fault_on_a_request_inside_a_batch_drops_the_whole_batch_connection()
    {
        await Control(HttpMethod.Post, "faults", new JsonObject { ["kind"] = "drop", ["method"] = "PATCH", ["path"] = "/v1.0/applications/*" });
        var patch = new JsonObject { ["id"] = "2", ["method"] = "PATCH", ["url"] = $"/applications/{DropzoneAppObjectId}", ["body"] = new JsonObject { ["notes"] = "x" }, ["headers"] = new JsonObject { ["Content-Type"] = "application/json" } };
        var read = new JsonObject { ["id"] = "1", ["method"] = "GET", ["url"] = "/domains" };

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Post("/v1.0/$batch", new JsonObject { ["requests"] = new JsonArray(read, patch) }));

        var log = await RequestLog();
        var inner = log.Where(e => (bool)e!["inBatch"]!).ToList();
        Assert.Equal(new[] { 200, 0 }, inner.Select(e => (int)e!["status"]!).ToArray());
        Assert.Equal("drop", (string?)inner[1]!["fault"]);
    }
}

public sealed class ControlTests : EmulatorTest
{
    [Fact]
    public async Task State_can_be_replaced_and_reset_to_the_seed()
    {
        var state = (await Control(HttpMethod.Get, "state")).Body!.AsObject();
        state["applications"]![0]!["displayName"] = "Renamed";
        await Control(HttpMethod.Put, "latency", new JsonObject { ["milliseconds"] = 5 });

        var put = await Control(HttpMethod.Put, "state", state);
        var renamed = (string?)(await Get($"/v1.0/applications/{DropzoneAppObjectId}")).Body!["displayName"];
        var reset = await Control(HttpMethod.Post, "reset");

        Assert.Equal(HttpStatusCode.NoContent, put.Status);
        Assert.Equal("Renamed", renamed);
        Assert.Equal(HttpStatusCode.NoContent, reset.Status);
        Assert.Equal("Dropzone AI", (string?)(await Get($"/v1.0/applications/{DropzoneAppObjectId}")).Body!["displayName"]);
        Assert.Equal(0, (int)(await Control(HttpMethod.Get, "latency")).Body!["milliseconds"]!);
    }

    [Fact]
    public async Task Writes_show_in_the_state()
    {
        await Post("/v1.0/servicePrincipals", new JsonObject { ["appId"] = DropzoneAppId });

        var state = (await Control(HttpMethod.Get, "state")).Body!;
        Assert.Contains(state["servicePrincipals"]!.AsArray(), sp => (string?)sp!["appId"] == DropzoneAppId);
    }
}
