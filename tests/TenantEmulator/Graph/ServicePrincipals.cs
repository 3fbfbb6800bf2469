using System.Text.Json.Nodes;

namespace TenantEmulator;

/// <summary>
/// /servicePrincipals, /servicePrincipals/{id}, /servicePrincipals(appId='...'), and their
/// appRoleAssignedTo / appRoleAssignments navigations. PATCH sets tags and notes only; DELETE
/// removes the service principal with its app role assignments. Reads honour the replication
/// delay: a service principal created while it is set is invisible to its next N reads, writes
/// naming it (PATCH, DELETE, assignments) still work (the id a POST returned is usable at once,
/// as in Graph). The time-based delay (<see cref="EmulatorStore.ReplicationDelay"/>) hides it from
/// reads for that long, and consent naming it meanwhile is refused (see AppRoleAssignments).
/// </summary>
public static class ServicePrincipals
{
    public static readonly string[] KnownProperties =
    {
        "id", "appId", "displayName", "appDisplayName", "servicePrincipalType", "appRoles", "accountEnabled",
        "servicePrincipalNames", "appOwnerOrganizationId", "tags", "keyCredentials", "passwordCredentials",
        "oauth2PermissionScopes", "appRoleAssignmentRequired", "homepage", "replyUrls", "signInAudience",
        "alternativeNames", "description", "notes", "publisherName", "preferredSingleSignOnMode", "loginUrl",
        "logoutUrl", "deletedDateTime", "info", "appDescription", "applicationTemplateId",
        "resourceSpecificApplicationPermissions", "samlSingleSignOnSettings", "tokenEncryptionKeyId",
        "verifiedPublisher", "disabledByMicrosoftStatus", "notificationEmailAddresses",
        "preferredTokenSigningKeyThumbprint", "addIns",
    };

    private static readonly HashSet<string> AcceptedOnCreate = new(StringComparer.Ordinal)
    {
        "appId", "accountEnabled", "tags", "appRoleAssignmentRequired", "notes", "description",
    };

    public static GraphResponse Handle(EmulatorStore store, GraphRequest request, EntityKey? key, string[] rest)
    {
        var sps = store.Collection("servicePrincipals");
        if (key is null)
        {
            switch (request.Method)
            {
                case "GET":
                {
                    var filter = ODataQuery.Filter(request, "servicePrincipals", "appId", "displayName", "id");
                    var all = sps.OfType<JsonObject>().ToList();
                    var select = ODataQuery.Select(request, "servicePrincipal", all, KnownProperties);
                    var found = all.Where(sp => ODataQuery.Matches(sp, filter)).ToList();
                    // Each read that would have returned a not-yet-replicated one uses up one of its reads.
                    return ODataQuery.Collection(request, "servicePrincipals", found.Where(sp => IsVisible(store, sp)).ToList(), select);
                }
                case "POST":
                    return Create(store, request);
                default:
                    throw GraphApi.MethodNotAllowed();
            }
        }

        var isRead = request.Method == "GET";
        var principal = Resolve(store, key, isRead);
        if (rest.Length == 0)
        {
            switch (request.Method)
            {
                case "GET":
                {
                    var select = ODataQuery.Select(request, "servicePrincipal", new[] { principal }, KnownProperties);
                    return ODataQuery.Single(request, "servicePrincipals", principal, select);
                }
                case "PATCH":
                    Patch(principal, GraphApi.RequireBodyObject(request));
                    return GraphResponse.NoContent();
                case "DELETE":
                    Delete(store, principal);
                    return GraphResponse.NoContent();
                default:
                    throw GraphApi.MethodNotAllowed();
            }
        }
        if (rest[0].Equals("appRoleAssignedTo", StringComparison.OrdinalIgnoreCase))
            return AppRoleAssignments.Handle(store, request, principal, "appRoleAssignedTo", rest[1..]);
        if (rest[0].Equals("appRoleAssignments", StringComparison.OrdinalIgnoreCase))
            return AppRoleAssignments.Handle(store, request, principal, "appRoleAssignments", rest[1..]);
        throw Applications.NotEmulated($"'{rest[0]}' on a service principal");
    }

    /// <summary>The service principal a URL names; for a read, one that has not replicated yet is a 404.</summary>
    public static JsonObject Resolve(EmulatorStore store, EntityKey key, bool isRead)
    {
        var sps = store.Collection("servicePrincipals");
        if (key.Id is not null) GraphApi.RequireObjectId(key.Id);
        var sp = (key.Id is not null ? GraphApi.FindBy(sps, "id", key.Id) : GraphApi.FindBy(sps, "appId", key.AppId!))
            ?? throw GraphException.NotFound(key.ToString());
        if (isRead && !IsVisible(store, sp)) throw GraphException.NotFound(key.ToString());
        return sp;
    }

    /// <summary>Whether a read sees this service principal; a read it is hidden from counts down its delay.</summary>
    public static bool IsVisible(EmulatorStore store, JsonObject sp)
    {
        var id = (string?)sp["id"] ?? "";
        // Reads of a new object may miss it for a while (graph-and-exchange.md, "Admin consent":
        // ScubaGear polls 10x2 s then 10x3 s for a new service principal).
        if (store.IsReplicating(id)) return false;
        if (!store.InvisibleServicePrincipals.TryGetValue(id, out var remaining)) return true;
        if (remaining <= 1) store.InvisibleServicePrincipals.Remove(id);
        else store.InvisibleServicePrincipals[id] = remaining - 1;
        return false;
    }

    private static GraphResponse Create(EmulatorStore store, GraphRequest request)
    {
        var body = GraphApi.RequireBodyObject(request);
        foreach (var (name, _) in body)
            if (!name.StartsWith('@') && !AcceptedOnCreate.Contains(name))
                throw GraphException.BadRequest($"Invalid property '{name}' for a new service principal (not emulated).");
        var appId = body["appId"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (string.IsNullOrWhiteSpace(appId))
            throw GraphException.BadRequest("Property 'appId' is required to create a service principal.");

        var tags = body.ContainsKey("tags") ? Tags(body["tags"]) : new JsonArray();
        var notes = Notes(body["notes"]);

        var sps = store.Collection("servicePrincipals");
        // Checked first: Graph refuses a second service principal even for a first-party app.
        if (GraphApi.FindBy(sps, "appId", appId) is not null)
            throw new GraphException(409, "Request_MultipleObjectsWithSameKeyValue",
                $"The service principal cannot be created, updated, or restored because the service principal name {appId} is already in use.");
        var app = GraphApi.FindBy(store.Collection("applications"), "appId", appId)
            ?? throw GraphException.BadRequest($"The appId '{appId}' of the service principal does not reference a valid application object.");

        var sp = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["accountEnabled"] = body["accountEnabled"]?.DeepClone() ?? true,
            ["appDisplayName"] = (string?)app["displayName"],
            ["appId"] = (string?)app["appId"],
            ["appOwnerOrganizationId"] = (string?)store.State["tenantId"],
            ["appRoleAssignmentRequired"] = body["appRoleAssignmentRequired"]?.DeepClone() ?? false,
            ["appRoles"] = app["appRoles"]?.DeepClone() ?? new JsonArray(),
            ["description"] = body["description"]?.DeepClone(),
            ["displayName"] = (string?)app["displayName"],
            ["notes"] = notes,
            ["servicePrincipalNames"] = new JsonArray((string?)app["appId"]),
            ["servicePrincipalType"] = "Application",
            ["signInAudience"] = (string?)app["signInAudience"] ?? "AzureADMyOrg",
            ["tags"] = tags,
            ["keyCredentials"] = new JsonArray(),
            ["passwordCredentials"] = new JsonArray(),
        };
        sps.Add(sp);
        store.StartReplication((string)sp["id"]!);
        store.StartExchangeReplication((string)sp["id"]!);
        if (store.ServicePrincipalReplicationReads > 0)
            store.InvisibleServicePrincipals[(string)sp["id"]!] = store.ServicePrincipalReplicationReads;
        return ODataQuery.Single(request, "servicePrincipals", sp, select: null, status: 201);
    }

    /// <summary>
    /// PATCH of a service principal: only tags and notes are emulated (any other property is a
    /// 501, as a PATCH was before). The body is checked as a whole first, so a rejected PATCH
    /// changes nothing. Writes see a not-yet-replicated service principal (no visibility check).
    /// </summary>
    private static void Patch(JsonObject sp, JsonObject body)
    {
        // @odata.type and the like are ignored; any other property is not emulated, whatever else the body holds.
        var names = body.Select(p => p.Key).Where(n => !n.StartsWith('@')).ToList();
        foreach (var name in names.Where(n => n is not ("tags" or "notes")))
            throw Applications.NotEmulated($"PATCH of the service principal property '{name}'");
        var changes = names.Select(n => (Name: n, Value: n == "tags" ? Tags(body[n]) : Notes(body[n]))).ToList();
        foreach (var (name, value) in changes) sp[name] = value;
    }

    /// <summary>
    /// Deletes a service principal and, as Entra ID does, every app role assignment it is part of:
    /// those it holds (appRoleAssignments) and those granted on it (appRoleAssignedTo). The
    /// application registration and Exchange's own service principal object are left alone.
    /// </summary>
    private static void Delete(EmulatorStore store, JsonObject sp)
    {
        var id = (string)sp["id"]!;
        store.Collection("servicePrincipals").Remove(sp);
        store.InvisibleServicePrincipals.Remove(id);
        store.ReplicatingUntil.Remove(id);
        store.ExchangeSeesAt.Remove(id);
        var assignments = store.Collection("appRoleAssignments");
        foreach (var assignment in assignments.OfType<JsonObject>().Where(a =>
                     string.Equals((string?)a["principalId"], id, StringComparison.OrdinalIgnoreCase) ||
                     string.Equals((string?)a["resourceId"], id, StringComparison.OrdinalIgnoreCase)).ToList())
            assignments.Remove(assignment);
    }

    /// <summary>tags: a collection of strings, not nullable (servicePrincipal resource).</summary>
    private static JsonArray Tags(JsonNode? value)
    {
        if (value is not JsonArray items) throw Invalid("tags");
        var result = new JsonArray();
        foreach (var item in items)
        {
            if (item is not JsonValue v || !v.TryGetValue<string>(out var tag)) throw Invalid("tags");
            result.Add(tag);
        }
        return result;
    }

    /// <summary>notes: a string of at most 1024 characters, or null (servicePrincipal resource).</summary>
    private static JsonNode? Notes(JsonNode? value)
    {
        if (value is null) return null;
        if (value is not JsonValue v || !v.TryGetValue<string>(out var notes)) throw Invalid("notes");
        if (notes.Length > 1024) throw GraphException.BadRequest("The value of property 'notes' exceeds the maximum allowed size of 1024 characters.");
        return notes;
    }

    private static GraphException Invalid(string property) =>
        GraphException.BadRequest($"Invalid value specified for property '{property}' of resource 'ServicePrincipal'.");
}
