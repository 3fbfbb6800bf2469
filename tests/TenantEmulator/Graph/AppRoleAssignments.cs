using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace TenantEmulator;

/// <summary>
/// App role assignments (admin consent to application permissions), reached from a service
/// principal: appRoleAssignedTo = those where it is the resource, appRoleAssignments = those where
/// it is the principal. All live in the tenant's one "appRoleAssignments" collection.
/// </summary>
public static class AppRoleAssignments
{
    public static readonly string[] KnownProperties =
    {
        "id", "appRoleId", "createdDateTime", "deletedDateTime", "principalDisplayName", "principalId",
        "principalType", "resourceDisplayName", "resourceId",
    };

    public static GraphResponse Handle(EmulatorStore store, GraphRequest request, JsonObject sp, string navigation, string[] rest)
    {
        var spId = (string)sp["id"]!;
        var side = navigation == "appRoleAssignedTo" ? "resourceId" : "principalId";
        var all = store.Collection("appRoleAssignments");
        var mine = all.OfType<JsonObject>().Where(a => string.Equals((string?)a[side], spId, StringComparison.OrdinalIgnoreCase)).ToList();
        var entitySet = $"servicePrincipals('{spId}')/{navigation}";

        if (rest.Length == 0)
        {
            switch (request.Method)
            {
                case "GET":
                {
                    // No filter is emulated here: filter what comes back instead.
                    ODataQuery.Filter(request, navigation);
                    // "Might have replication delays" (api/serviceprincipal-list-approleassignments.md):
                    // an assignment made inside the replication window is missed by reads meanwhile.
                    var visible = mine.Where(a => !store.IsReplicating((string?)a["id"])).ToList();
                    return ODataQuery.Collection(request, entitySet, visible, ODataQuery.Select(request, "appRoleAssignment", visible, KnownProperties));
                }
                case "POST":
                    return ODataQuery.Single(request, entitySet, Create(store, request, spId, side), select: null, status: 201);
                default:
                    throw GraphApi.MethodNotAllowed();
            }
        }
        if (rest.Length > 1) throw GraphApi.UnknownSegment(rest[1]);

        var assignment = mine.FirstOrDefault(a => string.Equals((string?)a["id"], rest[0], StringComparison.Ordinal))
            ?? throw GraphException.NotFound(rest[0]);
        if (request.Method == "GET" && store.IsReplicating(rest[0])) throw GraphException.NotFound(rest[0]);
        switch (request.Method)
        {
            case "GET":
                return ODataQuery.Single(request, entitySet, assignment, ODataQuery.Select(request, "appRoleAssignment", new[] { assignment }, KnownProperties));
            case "DELETE":
                all.Remove(assignment);
                return GraphResponse.NoContent();
            default:
                throw GraphApi.MethodNotAllowed();
        }
    }

    private static JsonObject Create(EmulatorStore store, GraphRequest request, string spId, string side)
    {
        var body = GraphApi.RequireBodyObject(request);
        var principalId = RequiredGuid(body, "principalId");
        var resourceId = RequiredGuid(body, "resourceId");
        var appRoleId = RequiredGuid(body, "appRoleId");
        var urlSide = side == "resourceId" ? resourceId : principalId;
        if (!string.Equals(urlSide, spId, StringComparison.OrdinalIgnoreCase))
            throw GraphException.BadRequest($"The {side} in the body must be the service principal '{spId}' named in the URL.");

        // Writes see every object, replicated or not: no visibility check here.
        var sps = store.Collection("servicePrincipals");
        var principal = GraphApi.FindBy(sps, "id", principalId) ?? throw GraphException.NotFound(principalId);
        var resource = GraphApi.FindBy(sps, "id", resourceId) ?? throw GraphException.NotFound(resourceId);
        // The write side replicates too: consent to a service principal created moments ago is
        // refused until it has replicated (microsoftgraph/msgraph-sdk-dotnet issue 2508,
        // msgraph-bicep-types issue 193, microsoft-graph-docs-contrib issue 1407).
        if (store.IsReplicating(principalId) || store.IsReplicating(resourceId))
            throw GraphException.BadRequest("Not a valid reference update.");

        // The all-zero id is Graph's "default access" role, valid for any resource.
        if (Guid.Parse(appRoleId) != Guid.Empty)
        {
            var role = (resource["appRoles"] as JsonArray)?.OfType<JsonObject>()
                .FirstOrDefault(r => string.Equals((string?)r["id"], appRoleId, StringComparison.OrdinalIgnoreCase));
            if (role is null || role["isEnabled"]?.GetValue<bool>() == false)
                throw GraphException.BadRequest($"Permission being assigned was not found on application '{(string?)resource["appId"]}'.");
            var memberTypes = (role["allowedMemberTypes"] as JsonArray)?.Select(t => (string?)t) ?? Enumerable.Empty<string?>();
            if (!memberTypes.Contains("Application"))
                throw GraphException.BadRequest("The app role being assigned is not assignable to applications (allowedMemberTypes lacks 'Application').");
        }

        var all = store.Collection("appRoleAssignments");
        if (all.OfType<JsonObject>().Any(a =>
                string.Equals((string?)a["principalId"], principalId, StringComparison.OrdinalIgnoreCase) &&
                string.Equals((string?)a["resourceId"], resourceId, StringComparison.OrdinalIgnoreCase) &&
                string.Equals((string?)a["appRoleId"], appRoleId, StringComparison.OrdinalIgnoreCase)))
            throw GraphException.BadRequest("Permission being assigned already exists on the object");

        var assignment = new JsonObject
        {
            ["id"] = NewId(),
            ["deletedDateTime"] = null,
            ["appRoleId"] = appRoleId,
            ["createdDateTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ"),
            ["principalDisplayName"] = (string?)principal["displayName"],
            ["principalId"] = (string?)principal["id"],
            ["principalType"] = "ServicePrincipal",
            ["resourceDisplayName"] = (string?)resource["displayName"],
            ["resourceId"] = (string?)resource["id"],
        };
        all.Add(assignment);
        store.StartReplication((string)assignment["id"]!);
        return assignment;
    }

    /// <summary>Graph's assignment ids are 43-character base64url strings, not GUIDs.</summary>
    public static string NewId() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string RequiredGuid(JsonObject body, string name) =>
        body[name] is JsonValue v && v.TryGetValue<string>(out var s) && Guid.TryParse(s, out _)
            ? s
            : throw GraphException.BadRequest($"Invalid value specified for property '{name}' of resource 'AppRoleAssignment'.");
}
