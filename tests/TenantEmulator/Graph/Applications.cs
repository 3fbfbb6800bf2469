using System.Text.Json.Nodes;

namespace TenantEmulator;

/// <summary>/applications, /applications/{id}, /applications(appId='...').</summary>
public static class Applications
{
    public static readonly string[] KnownProperties =
    {
        "id", "appId", "displayName", "description", "notes", "keyCredentials", "passwordCredentials",
        "requiredResourceAccess", "createdDateTime", "deletedDateTime", "signInAudience", "identifierUris",
        "web", "spa", "publicClient", "api", "appRoles", "info", "tags", "publisherDomain", "uniqueName",
        "optionalClaims", "isFallbackPublicClient", "groupMembershipClaims", "serviceManagementReference",
        "tokenEncryptionKeyId", "verifiedPublisher", "certification", "disabledByMicrosoftStatus",
        "defaultRedirectUri", "isDeviceOnlyAuthSupported", "parentalControlSettings", "addIns",
        "applicationTemplateId", "samlMetadataUrl", "servicePrincipalLockConfiguration",
    };

    // Properties a PATCH may set as plain values (keyCredentials and requiredResourceAccess are validated apart).
    private static readonly HashSet<string> Settable = new(StringComparer.Ordinal)
    {
        "displayName", "description", "notes", "signInAudience", "identifierUris", "web", "spa", "publicClient",
        "api", "appRoles", "info", "tags", "optionalClaims", "isFallbackPublicClient", "groupMembershipClaims",
        "serviceManagementReference", "tokenEncryptionKeyId", "parentalControlSettings", "isDeviceOnlyAuthSupported",
        "defaultRedirectUri", "uniqueName",
    };

    private static readonly HashSet<string> ReadOnly = new(StringComparer.Ordinal)
    {
        "id", "appId", "createdDateTime", "deletedDateTime", "publisherDomain", "verifiedPublisher",
        "certification", "disabledByMicrosoftStatus", "applicationTemplateId",
    };

    public static GraphResponse Handle(EmulatorStore store, GraphRequest request, EntityKey? key, string[] rest)
    {
        var apps = store.Collection("applications");
        if (key is null)
        {
            if (request.Method != "GET") throw request.Method == "POST" ? NotEmulated("Creating an application") : GraphApi.MethodNotAllowed();
            var filter = ODataQuery.Filter(request, "applications", "appId", "displayName", "id");
            var all = apps.OfType<JsonObject>().ToList();
            var select = ODataQuery.Select(request, "application", all, KnownProperties);
            // "key" comes back whenever $select names keyCredentials, on a list as on a single
            // application (resources/keycredential.md: "returned only on $select"; application-list.md).
            var keepKeys = select?.Contains("keyCredentials") == true;
            return ODataQuery.Collection(request, "applications", all.Where(a => ODataQuery.Matches(a, filter)), select, keepKeys);
        }

        var app = Resolve(apps, key);
        if (rest.Length == 1 && (rest[0].Equals("addPassword", StringComparison.OrdinalIgnoreCase) || rest[0].Equals("removePassword", StringComparison.OrdinalIgnoreCase)))
            return PasswordCredentials.Handle(store, request, app, rest[0]);
        if (rest.Length > 0) throw NotEmulated($"'{rest[0]}' on an application");
        switch (request.Method)
        {
            case "GET":
            {
                var select = ODataQuery.Select(request, "application", new[] { app }, KnownProperties);
                // "key" is returned only when $select names keyCredentials (resources/keycredential.md).
                var keepKeys = select?.Contains("keyCredentials") == true;
                return ODataQuery.Single(request, "applications", app, select, keepKeys);
            }
            case "PATCH":
            {
                var body = GraphApi.RequireBodyObject(request);
                var readByOtherWriter = request.OtherWriter is null ? null : (JsonObject)app.DeepClone();
                Patch(store, app, body);
                if (request.OtherWriter is { } writer) OtherWriter.Write(app, readByOtherWriter!, body, writer);
                return GraphResponse.NoContent();
            }
            default:
                throw request.Method == "DELETE" ? NotEmulated("Deleting an application") : GraphApi.MethodNotAllowed();
        }
    }

    public static JsonObject Resolve(JsonArray apps, EntityKey key)
    {
        if (key.Id is not null) GraphApi.RequireObjectId(key.Id);
        return (key.Id is not null ? GraphApi.FindBy(apps, "id", key.Id) : GraphApi.FindBy(apps, "appId", key.AppId!))
            ?? throw GraphException.NotFound(key.ToString());
    }

    /// <summary>
    /// Validates the whole body first and only then applies it, so a rejected PATCH changes
    /// nothing. Collections are replaced, never merged (applications-how-to-add-certificate).
    /// </summary>
    private static void Patch(EmulatorStore store, JsonObject app, JsonObject body)
    {
        var changes = new List<(string Name, JsonNode? Value)>();
        foreach (var (name, value) in body)
        {
            if (name.StartsWith('@')) continue; // @odata.type and the like
            if (name == "passwordCredentials")
                throw GraphException.BadRequest("Property 'passwordCredentials' is read-only and cannot be set. Use addPassword and removePassword.");
            if (ReadOnly.Contains(name))
                throw GraphException.BadRequest($"Property '{name}' is read-only and cannot be set.");
            if (name == "keyCredentials") changes.Add((name, KeyCredentials.Validate(value, app["keyCredentials"] as JsonArray, store.RejectExpiredCertificateSentBack)));
            else if (name == "requiredResourceAccess") changes.Add((name, RequiredResourceAccess.Validate(value)));
            else if (Settable.Contains(name)) changes.Add((name, value?.DeepClone()));
            else throw GraphException.BadRequest($"Invalid property '{name}'. The property does not exist on type 'microsoft.graph.application' or is not emulated.");
        }
        foreach (var (name, value) in changes) app[name] = value;
    }

    public static GraphException NotEmulated(string what) =>
        new(501, "NotEmulated", $"{what} is not emulated by the tenant emulator.");
}

/// <summary>requiredResourceAccess: the shape and the documented limits (50 APIs, 400 permissions).</summary>
public static class RequiredResourceAccess
{
    public static JsonArray Validate(JsonNode? value)
    {
        if (value is not JsonArray entries) throw Invalid("requiredResourceAccess");
        if (entries.Count > 50) throw GraphException.BadRequest("An application can request permissions to at most 50 resource applications.");
        var result = new JsonArray();
        var total = 0;
        foreach (var node in entries)
        {
            if (node is not JsonObject entry || !IsGuid(entry["resourceAppId"]) || entry["resourceAccess"] is not JsonArray access)
                throw Invalid("requiredResourceAccess");
            var copy = new JsonArray();
            foreach (var item in access)
            {
                if (item is not JsonObject permission || !IsGuid(permission["id"]) || (string?)permission["type"] is not ("Role" or "Scope"))
                    throw Invalid("resourceAccess");
                copy.Add(new JsonObject { ["id"] = (string?)permission["id"], ["type"] = (string?)permission["type"] });
            }
            total += copy.Count;
            result.Add(new JsonObject { ["resourceAppId"] = (string?)entry["resourceAppId"], ["resourceAccess"] = copy });
        }
        if (total > 400) throw GraphException.BadRequest("An application can request at most 400 permissions in all.");
        return result;
    }

    private static bool IsGuid(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) && Guid.TryParse(s, out _);

    private static GraphException Invalid(string property) =>
        GraphException.BadRequest($"Invalid value specified for property '{property}' of resource 'Application'.");
}
