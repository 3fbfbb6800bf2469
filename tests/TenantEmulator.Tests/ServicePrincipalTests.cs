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
