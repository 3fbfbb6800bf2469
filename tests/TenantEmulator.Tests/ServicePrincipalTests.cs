using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace TenantEmulator.Tests;

public sealed class ServicePrincipalTests : EmulatorTest
{
    private static JsonObject Create(string appId) => new() { ["appId"] = appId };

    [Fact]
    public async Task Post_creates_the_service_principal_named_after_its_application()
    {
        var reply = await Post("/v1.0/servicePrincipals", Create(DropzoneAppId));

        Assert.Equal(HttpStatusCode.Created, reply.Status);
        Assert.Equal("Dropzone AI", (string?)reply.Body!["displayName"]);
        Assert.Equal(DropzoneAppId, (string?)reply.Body!["appId"]);
        Assert.Equal("Application", (string?)reply.Body!["servicePrincipalType"]);
        var id = (string?)reply.Body!["id"];
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal(id, (string?)(await Get($"/v1.0/servicePrincipals(appId='{DropzoneAppId}')")).Body!["id"]);
    }

    [Fact]
    public async Task Post_for_an_appId_that_already_has_one_is_409_Request_MultipleObjectsWithSameKeyValue()
    {
        await Post("/v1.0/servicePrincipals", Create(DropzoneAppId));

        var second = await Post("/v1.0/servicePrincipals", Create(DropzoneAppId));
        var firstParty = await Post("/v1.0/servicePrincipals", Create(ExchangeAppId));

        Assert.Equal((409, "Request_MultipleObjectsWithSameKeyValue"), (second.Code, second.ErrorCode));
        Assert.Equal(409, firstParty.Code);
    }

    [Fact]
    public async Task Post_for_an_appId_with_no_application_is_400()
    {
        var reply = await Post("/v1.0/servicePrincipals", Create(Guid.NewGuid().ToString()));

        Assert.Equal((400, "Request_BadRequest"), (reply.Code, reply.ErrorCode));
        Assert.Contains("does not reference a valid application object", (string?)reply.Body!["error"]!["message"]);
    }

    [Fact]
    public async Task Service_principals_are_found_by_id_alternate_key_and_filter()
    {
        var byId = await Get($"/v1.0/servicePrincipals/{ExchangeSpId}");
        var byAppId = await Get($"/v1.0/servicePrincipals(appId='{ExchangeAppId}')?$select=id,appRoles");
        var byFilter = await Get($"/v1.0/servicePrincipals?$filter=appId eq '{ExchangeAppId}'&$select=id");

        Assert.Equal("Office 365 Exchange Online", (string?)byId.Body!["displayName"]);
        Assert.Equal(ExchangeSpId, (string?)byAppId.Body!["id"]);
        Assert.Contains(byAppId.Body!["appRoles"]!.AsArray(), r => (string?)r!["value"] == "Exchange.ManageAsApp");
        Assert.Equal(ExchangeSpId, (string?)Assert.Single(byFilter.Value)!["id"]);
    }

    [Fact]
    public async Task A_service_principal_id_that_is_not_a_guid_is_400()
    {
        var reply = await Get("/v1.0/servicePrincipals/not-a-guid");
        Assert.Equal((400, "Request_BadRequest"), (reply.Code, reply.ErrorCode));
    }

    private static JsonArray Strings(params string[] values) => new(values.Select(v => (JsonNode?)v).ToArray());

    [Fact]
    public async Task Post_keeps_tags_and_notes_and_reads_return_them()
    {
        var body = Create(DropzoneAppId);
        body["tags"] = Strings("CreatedBy:Dropzone.ExoSetup", "WindowsAzureActiveDirectoryIntegratedApp");
        body["notes"] = "Created by Dropzone.ExoSetup";

        var created = await Post("/v1.0/servicePrincipals", body);
        var id = (string)created.Body!["id"]!;
        var selected = await Get($"/v1.0/servicePrincipals/{id}?$select=tags,notes");
        var listed = await Get($"/v1.0/servicePrincipals?$filter=appId eq '{DropzoneAppId}'");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(new[] { "CreatedBy:Dropzone.ExoSetup", "WindowsAzureActiveDirectoryIntegratedApp" },
            created.Body!["tags"]!.AsArray().Select(t => (string?)t));
        Assert.Equal("Created by Dropzone.ExoSetup", (string?)created.Body!["notes"]);
        Assert.Equal(new[] { "notes", "tags" }, selected.Body!.AsObject().Select(p => p.Key).Where(k => !k.StartsWith('@')).Order());
        Assert.Equal("CreatedBy:Dropzone.ExoSetup", (string?)selected.Body!["tags"]![0]);
        Assert.Equal("Created by Dropzone.ExoSetup", (string?)selected.Body!["notes"]);
        Assert.Equal(2, Assert.Single(listed.Value)!["tags"]!.AsArray().Count);
    }

    [Fact]
    public async Task Post_without_tags_gives_an_empty_tags_collection_and_null_notes()
    {
        var created = await Post("/v1.0/servicePrincipals", Create(DropzoneAppId));

        Assert.Empty(created.Body!["tags"]!.AsArray());
        Assert.Null(created.Body!["notes"]);
    }

    [Fact]
    public async Task Patch_sets_tags_and_notes_by_id_and_by_alternate_key_and_answers_204()
    {
        var id = (string)(await Post("/v1.0/servicePrincipals", Create(DropzoneAppId))).Body!["id"]!;
        var byAppId = $"/v1.0/servicePrincipals(appId='{DropzoneAppId}')";

        var first = await Patch($"/v1.0/servicePrincipals/{id}", new JsonObject { ["tags"] = Strings("a", "b"), ["notes"] = "first" });
        var afterFirst = (await Get($"{byAppId}?$select=tags,notes")).Body!;
        var second = await Patch(byAppId, new JsonObject { ["tags"] = Strings("c") });
        var afterSecond = (await Get($"/v1.0/servicePrincipals/{id}")).Body!;
        var third = await Patch(byAppId, new JsonObject { ["notes"] = null });

        Assert.Equal(HttpStatusCode.NoContent, first.Status);
        Assert.Null(first.Body);
        Assert.Equal(new[] { "a", "b" }, afterFirst["tags"]!.AsArray().Select(t => (string?)t));
        Assert.Equal("first", (string?)afterFirst["notes"]);
        Assert.Equal(HttpStatusCode.NoContent, second.Status);
        // tags is replaced as a whole; a property left out of the body keeps its value.
        Assert.Equal(new[] { "c" }, afterSecond["tags"]!.AsArray().Select(t => (string?)t));
        Assert.Equal("first", (string?)afterSecond["notes"]);
        Assert.Equal(HttpStatusCode.NoContent, third.Status);
        Assert.Null((await Get($"/v1.0/servicePrincipals/{id}")).Body!["notes"]);
    }

    [Fact]
    public async Task Patch_of_any_other_property_is_still_501_and_changes_nothing()
    {
        var id = (string)(await Post("/v1.0/servicePrincipals", Create(DropzoneAppId))).Body!["id"]!;

        var reply = await Patch($"/v1.0/servicePrincipals/{id}", new JsonObject { ["tags"] = Strings("x"), ["displayName"] = "Renamed" });

        Assert.Equal((501, "NotEmulated"), (reply.Code, reply.ErrorCode));
        var sp = (await Get($"/v1.0/servicePrincipals/{id}")).Body!;
        Assert.Empty(sp["tags"]!.AsArray());
        Assert.Equal("Dropzone AI", (string?)sp["displayName"]);
    }

    [Fact]
    public async Task Tags_that_are_not_strings_and_notes_over_1024_characters_are_400()
    {
        var badTags = Create(DropzoneAppId);
        badTags["tags"] = new JsonArray(1, 2);
        var postBadTags = await Post("/v1.0/servicePrincipals", badTags);
        var id = (string)(await Post("/v1.0/servicePrincipals", Create(DropzoneAppId))).Body!["id"]!;

        var nullTags = await Patch($"/v1.0/servicePrincipals/{id}", new JsonObject { ["tags"] = null });
        var stringTags = await Patch($"/v1.0/servicePrincipals/{id}", new JsonObject { ["tags"] = "a" });
        var longNotes = await Patch($"/v1.0/servicePrincipals/{id}", new JsonObject { ["tags"] = Strings("kept?"), ["notes"] = new string('n', 1025) });
        var maxNotes = await Patch($"/v1.0/servicePrincipals/{id}", new JsonObject { ["notes"] = new string('n', 1024) });

        Assert.Equal((400, "Request_BadRequest"), (postBadTags.Code, postBadTags.ErrorCode));
        Assert.Equal((400, "Request_BadRequest"), (nullTags.Code, nullTags.ErrorCode));
        Assert.Equal((400, "Request_BadRequest"), (stringTags.Code, stringTags.ErrorCode));
        Assert.Equal((400, "Request_BadRequest"), (longNotes.Code, longNotes.ErrorCode));
        Assert.Equal(HttpStatusCode.NoContent, maxNotes.Status);
        // The rejected PATCH set nothing, not even its valid tags.
        Assert.Empty((await Get($"/v1.0/servicePrincipals/{id}")).Body!["tags"]!.AsArray());
    }

    [Fact]
    public async Task Delete_by_id_answers_204_and_leaves_the_application()
    {
        var id = (string)(await Post("/v1.0/servicePrincipals", Create(DropzoneAppId))).Body!["id"]!;

        var deleted = await Delete($"/v1.0/servicePrincipals/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Null(deleted.Body);
        var read = await Get($"/v1.0/servicePrincipals/{id}");
        Assert.Equal((404, "Request_ResourceNotFound"), (read.Code, read.ErrorCode));
        Assert.Equal(404, (await Get($"/v1.0/servicePrincipals(appId='{DropzoneAppId}')")).Code);
        Assert.Empty((await Get($"/v1.0/servicePrincipals?$filter=appId eq '{DropzoneAppId}'")).Value);
        Assert.Equal(HttpStatusCode.OK, (await Get($"/v1.0/applications/{DropzoneAppObjectId}")).Status);
        // The appId is free again.
        Assert.Equal(HttpStatusCode.Created, (await Post("/v1.0/servicePrincipals", Create(DropzoneAppId))).Status);
    }

    [Fact]
    public async Task Delete_by_alternate_key_answers_204()
    {
        var id = (string)(await Post("/v1.0/servicePrincipals", Create(DropzoneAppId))).Body!["id"]!;

        var deleted = await Delete($"/v1.0/servicePrincipals(appId='{DropzoneAppId}')");

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(404, (await Get($"/v1.0/servicePrincipals/{id}")).Code);
        Assert.Equal(HttpStatusCode.OK, (await Get($"/v1.0/applications(appId='{DropzoneAppId}')")).Status);
    }

    [Fact]
    public async Task Delete_of_an_unknown_service_principal_is_404()
    {
        var byId = await Delete($"/v1.0/servicePrincipals/{Guid.NewGuid()}");
        var byAppId = await Delete($"/v1.0/servicePrincipals(appId='{DropzoneAppId}')"); // default.json: no SP yet
        var notAGuid = await Delete("/v1.0/servicePrincipals/not-a-guid");

        Assert.Equal((404, "Request_ResourceNotFound"), (byId.Code, byId.ErrorCode));
        Assert.Equal((404, "Request_ResourceNotFound"), (byAppId.Code, byAppId.ErrorCode));
        Assert.Equal((400, "Request_BadRequest"), (notAGuid.Code, notAGuid.ErrorCode));
    }

    [Fact]
    public async Task A_not_yet_replicated_service_principal_can_be_patched_and_deleted_by_the_id_its_post_returned()
    {
        await Control(HttpMethod.Put, "replication", new JsonObject { ["servicePrincipalReads"] = 5 });
        var id = (string)(await Post("/v1.0/servicePrincipals", Create(DropzoneAppId))).Body!["id"]!;

        var patched = await Patch($"/v1.0/servicePrincipals/{id}", new JsonObject { ["notes"] = "x" });
        var deleted = await Delete($"/v1.0/servicePrincipals/{id}");
        var replication = (await Control(HttpMethod.Get, "replication")).Body!;

        Assert.Equal(HttpStatusCode.NoContent, patched.Status);
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Empty(replication["invisibleServicePrincipals"]!.AsObject());
        Assert.Equal(404, (await Delete($"/v1.0/servicePrincipals/{id}")).Code);
    }

    [Fact]
    public async Task Delete_works_inside_a_batch()
    {
        static JsonObject Inner(string id, string method, string url, JsonNode? body = null, string? dependsOn = null)
        {
            var request = new JsonObject { ["id"] = id, ["method"] = method, ["url"] = url };
            if (body is not null)
            {
                request["body"] = body;
                request["headers"] = new JsonObject { ["Content-Type"] = "application/json" };
            }
            if (dependsOn is not null) request["dependsOn"] = new JsonArray(dependsOn);
            return request;
        }
        var byAppId = $"/servicePrincipals(appId='{DropzoneAppId}')";

        var reply = await Post("/v1.0/$batch", new JsonObject
        {
            ["requests"] = new JsonArray(
                Inner("create", "POST", "/servicePrincipals", Create(DropzoneAppId)),
                Inner("delete", "DELETE", byAppId, dependsOn: "create"),
                Inner("read", "GET", byAppId, dependsOn: "delete"),
                Inner("unknown", "DELETE", $"/servicePrincipals/{Guid.NewGuid()}")),
        });

        JsonNode Response(string id) => reply.Body!["responses"]!.AsArray().Single(r => (string?)r!["id"] == id)!;
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(201, (int)Response("create")["status"]!);
        Assert.Equal(204, (int)Response("delete")["status"]!);
        Assert.Null(Response("delete")["body"]);
        Assert.Equal(404, (int)Response("read")["status"]!);
        Assert.Equal(404, (int)Response("unknown")["status"]!);
        Assert.Equal("Request_ResourceNotFound", (string?)Response("unknown")["body"]!["error"]!["code"]);
        Assert.Equal(404, (await Get($"/v1.0{byAppId}")).Code);
    }
}

/// <summary>Deleting a service principal takes its app role assignments with it, on both sides.</summary>
public sealed class ServicePrincipalDeleteTests : EmulatorTest
{
    protected override string Tenant => "customer";
    private const string HrPortalSpId = "9b1d3f5a-7c9e-4b1d-8f3a-6c8e0a2c4e6a";

    private async Task<string> Assign(string principalId, string resourceId, string appRoleId)
    {
        var reply = await Post($"/v1.0/servicePrincipals/{resourceId}/appRoleAssignedTo",
            new JsonObject { ["principalId"] = principalId, ["resourceId"] = resourceId, ["appRoleId"] = appRoleId });
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        return (string)reply.Body!["id"]!;
    }

    private async Task<string[]> Ids(string url) => (await Get(url)).Value.Select(a => (string)a!["id"]!).ToArray();

    [Fact]
    public async Task Deleting_a_principal_removes_the_assignments_it_holds_and_keeps_the_others()
    {
        var dropzoneOnExchange = await Assign(DropzoneSpId, ExchangeSpId, ManageAsApp);
        var hrOnGraph = await Assign(HrPortalSpId, GraphSpId, UserReadAll);
        var hrOnExchange = await Assign(HrPortalSpId, ExchangeSpId, ManageAsApp);
        Assert.Equal(3, (await Ids($"/v1.0/servicePrincipals/{GraphSpId}/appRoleAssignedTo")).Length);

        var deleted = await Delete($"/v1.0/servicePrincipals/{DropzoneSpId}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(new[] { hrOnGraph }, await Ids($"/v1.0/servicePrincipals/{GraphSpId}/appRoleAssignedTo"));
        Assert.Equal(new[] { hrOnExchange }, await Ids($"/v1.0/servicePrincipals/{ExchangeSpId}/appRoleAssignedTo"));
        Assert.DoesNotContain(dropzoneOnExchange, await Ids($"/v1.0/servicePrincipals/{ExchangeSpId}/appRoleAssignedTo"));
        var state = (await Control(HttpMethod.Get, "state")).Body!;
        Assert.DoesNotContain(state["appRoleAssignments"]!.AsArray(), a => (string?)a!["principalId"] == DropzoneSpId);
        // The app registration stays, with its requested permissions.
        var app = (await Get($"/v1.0/applications/{DropzoneAppObjectId}")).Body!;
        Assert.NotEmpty(app["requiredResourceAccess"]!.AsArray());
    }

    [Fact]
    public async Task Deleting_a_resource_removes_the_assignments_granted_on_it_and_keeps_the_others()
    {
        var dropzoneOnExchange = await Assign(DropzoneSpId, ExchangeSpId, ManageAsApp);
        var hrOnExchange = await Assign(HrPortalSpId, ExchangeSpId, ManageAsApp);
        var hrOnGraph = await Assign(HrPortalSpId, GraphSpId, UserReadAll);

        var deleted = await Delete($"/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')"); // Microsoft Graph

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(new[] { dropzoneOnExchange }, await Ids($"/v1.0/servicePrincipals/{DropzoneSpId}/appRoleAssignments"));
        Assert.Equal(new[] { hrOnExchange }, await Ids($"/v1.0/servicePrincipals/{HrPortalSpId}/appRoleAssignments"));
        Assert.DoesNotContain(hrOnGraph, await Ids($"/v1.0/servicePrincipals/{HrPortalSpId}/appRoleAssignments"));
        Assert.Equal(404, (await Get($"/v1.0/servicePrincipals/{GraphSpId}/appRoleAssignedTo")).Code);
    }

    [Fact]
    public async Task Deleting_a_service_principal_leaves_Exchanges_own_copy_alone()
    {
        var state = (await Control(HttpMethod.Get, "state")).Body!.AsObject();
        state["exchange"]!["servicePrincipals"] = new JsonArray(new JsonObject
        {
            ["objectId"] = DropzoneSpId, ["appId"] = DropzoneAppId, ["displayName"] = "Dropzone AI", ["whenCreatedUtc"] = "2025-03-14T10:00:00Z",
        });
        await Control(HttpMethod.Put, "state", state);
        var exchangeBefore = state["exchange"]!.ToJsonString();

        var deleted = await Delete($"/v1.0/servicePrincipals/{DropzoneSpId}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(exchangeBefore, (await Control(HttpMethod.Get, "state")).Body!["exchange"]!.ToJsonString());
    }
}

public sealed class AppRoleAssignmentTests : EmulatorTest
{
    protected override string Tenant => "customer";
    private const string AssignedTo = $"/v1.0/servicePrincipals/{ExchangeSpId}/appRoleAssignedTo";

    private static JsonObject Assignment(string principalId, string resourceId, string appRoleId) =>
        new() { ["principalId"] = principalId, ["resourceId"] = resourceId, ["appRoleId"] = appRoleId };

    [Fact]
    public async Task Post_appRoleAssignedTo_grants_the_permission_and_answers_201_with_the_assignment()
    {
        var reply = await Post(AssignedTo, Assignment(DropzoneSpId, ExchangeSpId, ManageAsApp));

        Assert.Equal(HttpStatusCode.Created, reply.Status);
        var a = reply.Body!;
        Assert.Equal(ManageAsApp, (string?)a["appRoleId"]);
        Assert.Equal("Dropzone AI", (string?)a["principalDisplayName"]);
        Assert.Equal("Office 365 Exchange Online", (string?)a["resourceDisplayName"]);
        Assert.Equal("ServicePrincipal", (string?)a["principalType"]);
        Assert.False(string.IsNullOrEmpty((string?)a["id"]));
        Assert.NotNull((string?)a["createdDateTime"]);
        Assert.Contains((await Get(AssignedTo)).Value, x => (string?)x!["id"] == (string?)a["id"]);
    }

    [Fact]
    public async Task A_duplicate_assignment_is_400_Permission_being_assigned_already_exists()
    {
        await Post(AssignedTo, Assignment(DropzoneSpId, ExchangeSpId, ManageAsApp));

        var again = await Post(AssignedTo, Assignment(DropzoneSpId, ExchangeSpId, ManageAsApp));
        var seeded = await Post($"/v1.0/servicePrincipals/{GraphSpId}/appRoleAssignedTo", Assignment(DropzoneSpId, GraphSpId, UserReadAll));

        Assert.Equal((400, "Request_BadRequest"), (again.Code, again.ErrorCode));
        Assert.Equal("Permission being assigned already exists on the object", (string?)again.Body!["error"]!["message"]);
        Assert.Equal(400, seeded.Code);
    }

    [Fact]
    public async Task An_appRoleId_the_resource_does_not_define_is_400()
    {
        var reply = await Post(AssignedTo, Assignment(DropzoneSpId, ExchangeSpId, UserReadAll)); // a Graph role, not an Exchange one
        Assert.Equal((400, "Request_BadRequest"), (reply.Code, reply.ErrorCode));
    }

    [Fact]
    public async Task An_unknown_principal_is_404()
    {
        var reply = await Post(AssignedTo, Assignment(Guid.NewGuid().ToString(), ExchangeSpId, ManageAsApp));
        Assert.Equal((404, "Request_ResourceNotFound"), (reply.Code, reply.ErrorCode));
    }

    [Fact]
    public async Task Delete_of_an_assignment_answers_204_and_removes_it_from_both_sides()
    {
        var created = (await Post(AssignedTo, Assignment(DropzoneSpId, ExchangeSpId, ManageAsApp))).Body!;
        var id = (string)created["id"]!;
        var principalSide = $"/v1.0/servicePrincipals/{DropzoneSpId}/appRoleAssignments";
        Assert.Contains((await Get(principalSide)).Value, x => (string?)x!["id"] == id);

        var deleted = await Delete($"{AssignedTo}/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.DoesNotContain((await Get(AssignedTo)).Value, x => (string?)x!["id"] == id);
        Assert.DoesNotContain((await Get(principalSide)).Value, x => (string?)x!["id"] == id);
        Assert.Equal(404, (await Delete($"{AssignedTo}/{id}")).Code);
    }

    [Fact]
    public async Task AppRoleAssignments_lists_what_the_principal_holds_and_can_delete_it()
    {
        var principalSide = $"/v1.0/servicePrincipals(appId='{DropzoneAppId}')/appRoleAssignments";

        var list = await Get(principalSide);
        var first = (string)list.Value[0]!["id"]!;
        var deleted = await Delete($"/v1.0/servicePrincipals/{DropzoneSpId}/appRoleAssignments/{first}");

        Assert.Equal(2, list.Value.Count);
        Assert.All(list.Value, a => Assert.Equal(GraphSpId, (string?)a!["resourceId"]));
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Single((await Get(principalSide)).Value);
    }

    [Fact]
    public async Task Post_appRoleAssignments_on_the_principal_grants_too()
    {
        var reply = await Post($"/v1.0/servicePrincipals/{DropzoneSpId}/appRoleAssignments", Assignment(DropzoneSpId, ExchangeSpId, ManageAsApp));

        Assert.Equal(HttpStatusCode.Created, reply.Status);
        Assert.Contains((await Get(AssignedTo)).Value, x => (string?)x!["principalId"] == DropzoneSpId);
    }
}

public sealed class DirectoryTests : EmulatorTest
{
    [Fact]
    public async Task Organization_verifiedDomains_flags_the_initial_onmicrosoft_domain()
    {
        var reply = await Get("/v1.0/organization");

        var org = Assert.Single(reply.Value)!;
        var domains = org["verifiedDomains"]!.AsArray();
        Assert.Equal(3, domains.Count);
        var initial = Assert.Single(domains, d => (bool)d!["isInitial"]!)!;
        Assert.Equal("contoso.onmicrosoft.com", (string?)initial["name"]);
        Assert.Equal("contoso.com", (string?)domains.Single(d => (bool)d!["isDefault"]!)!["name"]);
    }

    [Fact]
    public async Task Domains_lists_every_domain_with_isInitial()
    {
        var reply = await Get("/v1.0/domains");

        Assert.Equal(3, reply.Value.Count);
        Assert.Equal("contoso.onmicrosoft.com", (string?)reply.Value.Single(d => (bool)d!["isInitial"]!)!["id"]);
    }
}
