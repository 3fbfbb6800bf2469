using System.Text.Json.Nodes;

namespace TenantEmulator;

/// <summary>
/// /servicePrincipals, /servicePrincipals/{id}, /servicePrincipals(appId='...'), and their
/// appRoleAssignedTo / appRoleAssignments navigations. Reads honour the replication delay: a
/// service principal created while it is set is invisible to its next N reads, writes naming it
/// still work (the id a POST returned is usable at once, as in Graph).
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
            if (!isRead) throw request.Method is "PATCH" or "DELETE" ? Applications.NotEmulated($"{request.Method} of a service principal") : GraphApi.MethodNotAllowed();
            var select = ODataQuery.Select(request, "servicePrincipal", new[] { principal }, KnownProperties);
            return ODataQuery.Single(request, "servicePrincipals", principal, select);
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
            ["notes"] = body["notes"]?.DeepClone(),
            ["servicePrincipalNames"] = new JsonArray((string?)app["appId"]),
            ["servicePrincipalType"] = "Application",
            ["signInAudience"] = (string?)app["signInAudience"] ?? "AzureADMyOrg",
            ["tags"] = body["tags"]?.DeepClone() ?? new JsonArray(),
            ["keyCredentials"] = new JsonArray(),
            ["passwordCredentials"] = new JsonArray(),
        };
        sps.Add(sp);
        if (store.ServicePrincipalReplicationReads > 0)
            store.InvisibleServicePrincipals[(string)sp["id"]!] = store.ServicePrincipalReplicationReads;
        return ODataQuery.Single(request, "servicePrincipals", sp, select: null, status: 201);
    }
}
